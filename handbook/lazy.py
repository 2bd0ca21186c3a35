"""A module (or one of its names) imported on first use, so that a process that never uses it
never pays for its import: `exp = lazy.Import("sqlglot.expressions")`, then `exp.Select` imports
sqlglot at that moment. Each name read is kept, so later reads cost an attribute lookup."""

from __future__ import annotations

import importlib


class Import:
    def __init__(self, module: str, name: str | None = None):
        self._module = module
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):  # copy, pickle and inspect probing: nothing to import for
            raise AttributeError(attribute)
        target = importlib.import_module(self._module)
        if self._name is not None:
            target = getattr(target, self._name)
        value = getattr(target, attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<imported on first use: {self._module}{'.' + self._name if self._name else ''}>"
