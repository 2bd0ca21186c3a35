"""A call condition's argument read from another call: what an id the account generated needs.

Some resources are named only by an id the service generates when the trainee creates them (a
GuardDuty IP set, a threat intel set): the check cannot write that id, it has to look it up the
way a responder does, listing first. So an argument of a `call` condition may be

    args:
      DetectorId: 12abc34d567e8fa901bc2d34eexample
      IpSetId: {from: guardduty.ListIPSets, args: {DetectorId: 12abc34d567e8fa901bc2d34eexample},
                query: "IpSetIds[0]"}

`from` names the operation (as `call` does), `args` its arguments (which may chain again) and
`query` the JMESPath of the value to pass. `validate` checks the form where the condition is
read (handbook.training.check.conditions); `resolve` makes the calls when it is evaluated, and
says in a sentence why the condition cannot be asked when the lookup fails or finds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from handbook.errors import HandbookError

FIELDS = {"from", "args", "query"}


def is_lookup(value: Any) -> bool:
    return isinstance(value, Mapping) and "from" in value


def validate(args: Mapping, path: str, line: int | None, n: int,
             operation: Callable[[dict, str, int | None, int], None]) -> None:
    """Each looked-up argument names a known operation, its fields, and a query JMESPath reads."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    for name, value in args.items():
        if not is_lookup(value):
            continue
        if set(value) - FIELDS or "query" not in value or not isinstance(value["query"], str):
            raise HandbookError(path, line, f"condition {n + 1}: the argument {name} read from another call is "
                                            "{from: <service>.<Operation>, args: {...}, query: <JMESPath>}")
        try:
            jmespath.compile(value["query"])
        except JMESPathError as bad:
            raise HandbookError(path, line, f"condition {n + 1}: JMESPath cannot read the query "
                                            f"{value['query']!r} of the argument {name}: {' '.join(str(bad).split())}")
        try:
            operation({"call": value["from"], "args": value.get("args") or {}}, path, line, n)
        except HandbookError as bad:
            raise HandbookError(path, line, f"the argument {name} is read from another call: {bad.message}") from None


def resolve(args: Mapping, runner) -> tuple[dict, str | None]:
    """The arguments with each lookup made, or the sentence saying why a lookup found nothing."""
    import jmespath
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError

    from handbook.training.check import plain

    out = {}
    for name, value in args.items():
        if not is_lookup(value):
            out[name] = value
            continue
        inner, problem = resolve(value.get("args") or {}, runner)
        if problem:
            return {}, problem
        service, _, operation = str(value["from"]).partition(".")
        try:
            response = getattr(runner.client(service), xform_name(operation))(**inner)
        except ClientError as refused:
            error = refused.response.get("Error", {})
            said = " ".join(str(error.get("Message") or refused).split()).rstrip(".")
            return {}, f"{operation}, which gives {name}, fails with {error.get('Code', '')}: {said}."
        except BotoCoreError as failed:
            return {}, f"{operation}, which gives {name}, cannot be made: {' '.join(str(failed).split())}"
        found = jmespath.search(value["query"], plain(response))
        if found in (None, "", [], {}):
            return {}, f"{operation} shows no {name} (nothing at {value['query']}), so there is nothing to check yet."
        out[name] = found
    return out, None
