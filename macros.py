"""mkdocs-macros entry point: the macros themselves live in handbook.site."""

from handbook.site import define_env, on_post_build  # noqa: F401
