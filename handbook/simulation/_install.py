"""How the extensions are put into moto, and the record of every change made.

moto looks up an operation as a method of the service's ``*Response`` class on every
request (``BaseResponse.call_action``), and rest-json services route a request path
through the ``url_paths`` dict of ``moto.<service>.urls`` (read again on every request).
So an extension is one of:

- ``operation``: a method added to a Response class for an operation moto lacks;
- ``override``: a method replacing one moto has but only as a stub;
- ``wrap``: a method of moto wrapped to observe calls (history, event recording);
- ``route``: a path added to a rest-json service's ``url_paths``;
- ``replace``: a method of moto's models replaced by one that behaves as AWS does (an
  Inactive access key refused; no placeholder S3 access log line).

Every change is recorded as a :class:`Patch` together with what was there before, so
``tests/simulation/test_drift.py`` can check that what we add is still missing from moto
(an upgrade that adds it is then noticed) and ``unregister`` can undo it all.

State added to a simulated service lives on moto's backend instance
(:func:`backend_state`), never in module globals: moto's reset wipes it with its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.core.utils import camelcase_to_underscores

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
_MARK = "__handbook_simulation__"


@dataclass(frozen=True)
class Patch:
    kind: str  # "operation" | "override" | "wrap" | "route" | "replace"
    service: str
    operation: str | None  # the AWS operation name, when the patch is one
    target: Any  # the class or dict changed
    name: str  # attribute name or url pattern
    original: Any  # what moto had before (inherited included), or MISSING
    installed: Any  # what we put there
    own: Any = MISSING  # what the class itself defined before (put back by unregister)

    def describe(self) -> str:
        where = getattr(self.target, "__qualname__", "url_paths")
        return f"{self.kind:9} {self.service}:{self.operation or '-'} -> {where}.{self.name}"


_PATCHES: dict[tuple[int, str], Patch] = {}


def patches() -> list[Patch]:
    """Every change currently installed, in installation order."""
    return list(_PATCHES.values())


def _mark(obj: Any) -> Any:
    try:
        setattr(obj, _MARK, True)
    except AttributeError:  # pragma: no cover - bound builtins
        pass
    return obj


def is_ours(obj: Any) -> bool:
    return bool(getattr(obj, _MARK, False))


def _install_attr(
    kind: str, service: str, operation: str | None, cls: type, name: str, value: Any
) -> None:
    key = (id(cls), name)
    if key in _PATCHES:  # already installed: register() is idempotent
        return
    own = cls.__dict__.get(name, MISSING)
    if own is not MISSING and is_ours(own):  # pragma: no cover - defensive
        return
    before = getattr(cls, name, MISSING)
    setattr(cls, name, _mark(value))
    _PATCHES[key] = Patch(kind, service, operation, cls, name, before, value, own)


def add_operation(
    service: str, response_cls: type, operation: str, func: Callable[..., Any]
) -> None:
    """Add the handler of an AWS operation (``LookupEvents``) that moto lacks."""
    name = camelcase_to_underscores(operation)
    func.__name__ = name
    _install_attr("operation", service, operation, response_cls, name, func)


def add_operations(service: str, response_cls: type, operations: dict[str, Callable[..., Any]]) -> None:
    """`add_operation` for each {operation: handler}."""
    for operation, func in operations.items():
        add_operation(service, response_cls, operation, func)


def override_operation(
    service: str, response_cls: type, operation: str, func: Callable[..., Any]
) -> None:
    """Replace moto's handler of an operation that moto only stubs."""
    name = camelcase_to_underscores(operation)
    func.__name__ = name
    _install_attr("override", service, operation, response_cls, name, func)


def replace_method(service: str, cls: type, name: str, func: Callable[..., Any]) -> None:
    """Replace ``cls.name`` (a model's method moto has, with behaviour AWS does not have)."""
    if getattr(cls, name, MISSING) is MISSING:  # pragma: no cover - checked by test_drift
        raise AttributeError(f"{cls.__qualname__}.{name} is not in moto")
    _install_attr("replace", service, None, cls, name, func)


def wrap_method(
    service: str,
    cls: type,
    name: str,
    make_wrapper: Callable[[Callable[..., Any]], Callable[..., Any]],
) -> None:
    """Wrap ``cls.name`` (looked up through the MRO) to observe its calls."""
    if (id(cls), name) in _PATCHES:
        return
    original = getattr(cls, name)
    wrapper = make_wrapper(original)
    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    _install_attr("wrap", service, None, cls, name, wrapper)


def add_route(
    service: str, url_paths: dict[str, Any], pattern: str, handler: Any, operations: str
) -> None:
    """Route a rest-json path to the service's dispatch (``url_paths`` of moto.<service>.urls)."""
    key = (id(url_paths), pattern)
    if key in _PATCHES:
        return
    original = url_paths.get(pattern, MISSING)
    if original is MISSING:
        url_paths[pattern] = handler
    _PATCHES[key] = Patch("route", service, operations, url_paths, pattern, original, handler)


def add_routes(service: str, url_paths: dict[str, Any], routes: dict[str, str], handler: Any) -> None:
    """`add_route` for each {pattern: operations}."""
    for pattern, operations in routes.items():
        add_route(service, url_paths, pattern, handler, operations)


def unregister_all() -> None:
    """Undo every change, newest first."""
    for patch in reversed(list(_PATCHES.values())):
        if patch.kind == "route":
            if patch.original is MISSING:
                patch.target.pop(patch.name, None)
        elif patch.own is MISSING:
            delattr(patch.target, patch.name)
        else:
            setattr(patch.target, patch.name, patch.own)
    _PATCHES.clear()


def backend_state(backend: Any, key: str, factory: Callable[[], Any]) -> Any:
    """State of an extension kept on a moto backend instance (wiped by moto's reset)."""
    attr = f"_handbook_{key}"
    state = backend.__dict__.get(attr, MISSING)
    if state is MISSING:
        state = factory()
        backend.__dict__[attr] = state
    return state
