"""JSON documents carried in string members: policies, event patterns, dashboard bodies, templates.

The API models these as plain strings, so botocore accepts any text, and AWS refuses a broken
document only when the command runs: in the middle of an incident. Two kinds:

- `JSON_STRING_MEMBERS` always hold a JSON object (an event pattern, a policy): a value that
  does not parse, or parses to something else, is an error;
- `JSON_DOCUMENT_MEMBERS` hold JSON when their value starts with `{` or `[` (a dashboard body,
  a metric widget, a trust or resolver rule policy, an input or input template; an input
  template's own `<name>` slots may stand outside quotes): such a value must parse.

Each problem is a sentence naming the member's path and the JSON error's column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

JSON_STRING_MEMBERS = {
    "EventPattern": "an EventBridge event pattern",
    "Event": "the sample event that test-event-pattern matches",
    "InputParameters": "the parameters of a Config rule",
    "Detail": "the detail of an event sent with put-events",
    "Policy": "a resource policy document",
    "PolicyDocument": "an IAM policy document",
}
JSON_DOCUMENT_MEMBERS = {
    "AssumeRolePolicyDocument": "a trust policy",
    "policy": "a resource policy",
    "policyDocument": "a resource policy",
    "ResourcePolicy": "a resource policy",
    "ResolverRulePolicy": "a resolver rule policy",
    "FirewallRuleGroupPolicy": "a firewall rule group policy",
    "DashboardBody": "a dashboard body",
    "MetricWidget": "a metric widget",
    "InputTemplate": "an input template",
    "Input": "a JSON input",
    "input": "a JSON input",
}
# Fields an API requires inside such a JSON document, where the model cannot say so.
REQUIRED_JSON_FIELDS = {
    # TestEventPattern answers "Parameter Event is not valid" unless the event has all of these.
    ("events", "TestEventPattern", "Event"): ("id", "account", "source", "time", "region",
                                              "resources", "detail-type"),
}
TEMPLATE_SLOT = re.compile(r"<[\w.-]+>")


def problems(value: str, where: str, call) -> Iterator[tuple[str, str]]:
    """(where, problem) for a string member's value at `where` (`Targets[0].InputTemplate`)."""
    name = where.rsplit(".", 1)[-1]
    if name in JSON_STRING_MEMBERS:
        yield from _object_problems(value, where, name, call)
    elif name in JSON_DOCUMENT_MEMBERS and value.lstrip()[:1] in ("{", "["):
        try:
            json.loads(TEMPLATE_SLOT.sub('"slot"', value) if name == "InputTemplate" else value)
        except json.JSONDecodeError as bad:
            yield where, (f"is not valid JSON ({bad.msg} at column {bad.colno}); it must hold "
                          f"{JSON_DOCUMENT_MEMBERS[name]}.")


def _object_problems(value, where, name, call) -> Iterator[tuple[str, str]]:
    try:
        document = json.loads(value)
    except json.JSONDecodeError as bad:
        yield where, (f"is not valid JSON ({bad.msg} at column {bad.colno}); it must hold "
                      f"{JSON_STRING_MEMBERS[name]}.")
        return
    if not isinstance(document, dict):
        yield where, (f"must hold a JSON object, {JSON_STRING_MEMBERS[name]}, "
                      f"not a JSON {type(document).__name__}.")
        return
    required = REQUIRED_JSON_FIELDS.get((call.service, call.operation, name), ())
    missing = [field for field in required if field not in document]
    if missing:
        yield where, (f"lacks {', '.join(repr(m) for m in missing)}: {call.operation} requires an "
                      f"event with all of {', '.join(required)}.")
