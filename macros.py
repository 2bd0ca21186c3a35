"""mkdocs-macros entry point: the macros themselves live in handbook.site."""

from handbook.site import define_env  # noqa: F401
