"""EventBridge ``TestEventPattern``, answered by moto's own event-pattern matcher.

moto 5.2.5 routes ``TestEventPattern`` to a stub handler (empty body) and a backend method
raising ``NotImplementedError``, while its ``EventPattern`` class (used for rules) matches
events for real. This module fills in both on moto's structure:

- ``EventsBackend.test_event_pattern(event_pattern, event)``: parses the pattern with
  moto's ``EventPatternParser`` (``InvalidEventPatternException`` for invalid JSON, values
  that are neither object nor array, empty arrays) plus the checks moto leaves out (a
  pattern must be a JSON object; content filters must be known ones: prefix, suffix,
  anything-but, numeric, exists, equals-ignore-case, cidr, wildcard; numeric operators
  must be <, <=, =, >=, >); validates the event as EventBridge does: a JSON object with
  ``id``, ``account``, ``source``, ``time``, ``region`` and ``detail-type``
  (``ValidationException: Parameter Event is not valid.``; ``resources``, listed as
  mandatory in the API reference, is not required by the service);
- ``EventsHandler.test_event_pattern``: returns ``{"Result": true|false}``.
"""

from __future__ import annotations

import json
from typing import Any

from moto.events.exceptions import InvalidEventPatternException, ValidationException
from moto.events.models import EventPattern, EventsBackend
from moto.events.responses import EventsHandler

from . import _install

REQUIRED_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type")
CONTENT_FILTERS = {
    "prefix",
    "suffix",
    "anything-but",
    "numeric",
    "exists",
    "equals-ignore-case",
    "cidr",
    "wildcard",
}
NUMERIC_OPERATORS = {"<", "<=", "=", ">=", ">"}


def _check_filters(node: Any) -> None:
    """Content filters moto's parser does not validate (it treats unknown ones as a match)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$or":
                if not isinstance(value, list) or not value:
                    raise InvalidEventPatternException(reason="$or must be a non-empty array")
                for option in value:
                    _check_filters(option)
            else:
                _check_filters(value)
    elif isinstance(node, list):
        for item in node:
            if not isinstance(item, dict):
                continue
            if len(item) != 1:
                raise InvalidEventPatternException(
                    reason="A content filter must contain exactly one match type"
                )
            (name, value), = item.items()
            if name not in CONTENT_FILTERS:
                raise InvalidEventPatternException(reason=f"Unrecognized match type {name}")
            if name == "exists" and not isinstance(value, bool):
                raise InvalidEventPatternException(reason="exists match pattern must be either true or false.")
            if name == "numeric":
                if not isinstance(value, list) or not value or len(value) % 2:
                    raise InvalidEventPatternException(reason="Value of numeric must be an array.")
                for operator, operand in zip(value[::2], value[1::2]):
                    if operator not in NUMERIC_OPERATORS:
                        raise InvalidEventPatternException(reason=f"Unrecognized numeric range operator: {operator}")
                    if isinstance(operand, bool) or not isinstance(operand, (int, float)):
                        raise InvalidEventPatternException(reason="Value of numeric operator must be numeric")


def load_pattern(event_pattern: str) -> EventPattern:
    try:
        parsed = json.loads(event_pattern)
    except (TypeError, ValueError):
        raise InvalidEventPatternException(reason="Invalid JSON")
    if not isinstance(parsed, dict):
        raise InvalidEventPatternException(reason="Filter is not an object")
    pattern = EventPattern.load(event_pattern)  # moto's parser and its validation
    _check_filters(pattern.get_pattern())
    return pattern


def parse_event(event: str) -> dict[str, Any]:
    try:
        parsed = json.loads(event)
    except (TypeError, ValueError):
        raise ValidationException("Parameter Event is not valid.")
    if not isinstance(parsed, dict) or any(f not in parsed for f in REQUIRED_EVENT_FIELDS):
        raise ValidationException("Parameter Event is not valid.")
    return parsed


def test_event_pattern_backend(self: EventsBackend, event_pattern: str, event: str) -> bool:
    pattern = load_pattern(event_pattern)
    return pattern.matches_event(parse_event(event))


test_event_pattern_backend.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def test_event_pattern_response(self: EventsHandler) -> str:
    result = self.events_backend.test_event_pattern(
        self._get_param("EventPattern"), self._get_param("Event")
    )
    return json.dumps({"Result": bool(result)})


test_event_pattern_response.__test__ = False  # type: ignore[attr-defined]


def register() -> None:
    _install.override_operation("events", EventsHandler, "TestEventPattern", test_event_pattern_response)
    # the backend method shares the operation's name (moto's own structure)
    _install.override_operation("events", EventsBackend, "TestEventPattern", test_event_pattern_backend)
