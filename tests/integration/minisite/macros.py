"""The mini-site uses the project's macros."""

from handbook.site import define_env, on_post_build  # noqa: F401
