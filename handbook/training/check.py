"""Conditions: what must hold in the simulated account, read through the AWS API, said in words.

One evaluator for every place that asks "does this hold now?": an exercise's `check:`, a
drill step's `then:` (handbook/training/drill.py) and an investigation's containment. Each condition
is a mapping in one of three forms, with `that:` saying in words what holds when it holds:

    - that: org-audit validates its log files     # a call, made by the account's administrator
      call: cloudtrail.GetTrail                   #   <service>.<Operation>, as the API reference names it
      args: {Name: org-audit}
      query: Trail.LogFileValidationEnabled       #   JMESPath over the response (default: all of it)
      equals: true                                #   one of equals, contains, lacks, exists, count, at-least,
                                                  #   or fails: <ErrorCode> (the call must be refused so)
    - that: the key is inactive                   # a command, as the drills write it
      command: aws iam list-access-keys --user-name app-deployer
      shows: [Inactive]                           #   or lacks: [...], or fails: <ErrorCode>
    - that: the actor is locked out               # a scenario key's own call, with IAM enforced for it
      as: actor
      call: sts.GetCallerIdentity
      denied: InvalidClientTokenId

The comparisons: `equals` the value itself; `contains` a list holding the item (a mapping item
matches when it has every key and value given) or a text holding the text; `lacks` the
opposite; `exists: true` a value that is neither absent nor empty (`false`: absent or empty);
`count` a list of exactly that length; `at-least` a number, or a list's length, no smaller.

`conditions(items, where)` checks every field before anything runs (an unknown field, two
comparisons, an operation botocore does not know, a query JMESPath cannot read: a HandbookError
at the file and line). `evaluate(conditions, runner)` never raises for what the account holds:
a call AWS refuses (NoSuchEntity ...) is a condition that does not hold, with AWS's message.
Each result's `detail` is one sentence a trainee can act on, never a traceback.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from handbook.errors import HandbookError

COMPARISONS = ("equals", "contains", "lacks", "exists", "count", "at-least", "fails")
CALL_FIELDS = {"that", "call", "args", "query", *COMPARISONS}
COMMAND_FIELDS = {"that", "command", "shows", "lacks", "fails"}
DENIED_FIELDS = {"that", "as", "call", "args", "denied"}


@dataclass(frozen=True)
class Condition:
    """One declared condition; after `evaluate`, whether it holds and why, in a sentence."""

    that: str
    form: str  # "call", "command" or "denied"
    spec: Mapping = field(repr=False)
    path: str = ""
    line: int | None = None
    holds: bool | None = None  # None until evaluated
    detail: str = ""

    def as_dict(self) -> dict:
        return {"that": self.that, "holds": self.holds, "detail": self.detail}


@dataclass
class Verdict:
    """The conditions evaluated, in order; `runs` are the commands an attempt ran (handbook.training.exercise)."""

    conditions: list[Condition]
    runs: list = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return bool(self.conditions) and all(c.holds for c in self.conditions)

    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.holds]

    def message(self) -> str:
        """What Check shows: a summary line, then each condition, holds or not, in words."""
        held = sum(1 for c in self.conditions if c.holds)
        head = ("Done: every condition holds." if self.holds
                else f"Not yet: {held} of {len(self.conditions)} conditions hold.")
        lines = [head]
        for c in self.conditions:
            detail = c.detail[:1].upper() + c.detail[1:]
        lines.append(f"Holds: {c.that}." if c.holds else f"Does not hold: {c.that}. {detail}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"holds": self.holds, "message": self.message(), "conditions": [c.as_dict() for c in self.conditions],
                "runs": [r.as_dict() if hasattr(r, "as_dict") else r for r in self.runs]}


# ---------------------------------------------------------------------------------------------
# Reading


def conditions(items: Any, where: Path | str, *, lines: Mapping[tuple, int] | None = None, at: tuple = (),
               need_that: bool = True, actors: set[str] | None = None) -> list[Condition]:
    """The conditions of `items` (a `check:` or `then:` list of file `where`), every field checked.

    `lines` maps each place in the file to its line (handbook.training.lines) and `at` is the
    place of `items`; without them an error's line is found by searching the file. `actors`: the
    keys `as:` may name (None: not checked here). Drills' `then:` items have no `that:`
    (`need_that=False`): it is made from the form.
    """
    path = str(where)

    def line_of(*place, needle: str | None = None) -> int | None:
        if lines is not None:
            for cut in range(len(place), -1, -1):
                if (found := lines.get(at + place[:cut])) is not None:
                    return found
        if needle:
            from handbook.examples.fixtures import line_in

            return line_in(path, needle)
        return None

    if not isinstance(items, list) or not items:
        raise HandbookError(path, line_of(), "the conditions must be a non-empty list, each with `that:` and a form "
                                             "(call + a comparison, command + shows/lacks/fails, or as + call + denied)")
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise HandbookError(path, line_of(n), f"condition {n + 1} must be a mapping, not {item!r}")
        out.append(_condition(item, path, n, line_of, need_that, actors))
    return out


def _condition(item: dict, path: str, n: int, line_of, need_that: bool, actors: set[str] | None) -> Condition:
    needle = str(item.get("command") or item.get("call") or "")[:40] or None
    line = line_of(n, needle=needle)

    def fail(message: str, *place, needle: str | None = None) -> HandbookError:
        return HandbookError(path, line_of(n, *place, needle=needle) if place or needle else line, message)

    if "denied" in item or "as" in item:
        form, allowed = "denied", DENIED_FIELDS
    elif "command" in item:
        form, allowed = "command", COMMAND_FIELDS
    elif "call" in item:
        form, allowed = "call", CALL_FIELDS
    else:
        raise fail(f"condition {n + 1} has no form: give `call` and a comparison ({', '.join(COMPARISONS)}), "
                   "`command` and shows/lacks/fails, or `as`, `call` and `denied`")
    for name in item:
        if name not in allowed:
            raise fail(f"condition {n + 1} has the unknown field {name!r}; a {form} condition may have "
                       f"{', '.join(sorted(allowed))}", name, needle=f"{name}:")
    that = item.get("that")
    if need_that and (not isinstance(that, str) or not that.strip()):
        raise fail(f"condition {n + 1} needs `that:`, what holds when it holds, in words "
                   "(\"org-audit validates its log files\")")
    if that is not None and not isinstance(that, str):
        raise fail(f"condition {n + 1}: `that` is a sentence, not {that!r}", "that")
    if form == "denied":
        for needed in ("as", "call", "denied"):
            if needed not in item:
                raise fail(f"condition {n + 1} names `as:` an actor: it needs `as`, `call` and `denied` (the error code)")
        _operation(item, path, line_of(n, "call", needle=f"call: {item['call']}"), n)
        if actors is not None and str(item["as"]) not in actors:
            raise fail(f"`as: {item['as']}` names no key of the scenario (keys: {', '.join(sorted(actors)) or 'none'})",
                       "as", needle="as:")
        that = that or f"the {item['as']}'s {item['call']} is refused with {item['denied']}"
        return Condition(that.strip(), form, item, path, line_of(n, "denied", needle="denied:"))
    if form == "command":
        chosen = [k for k in ("shows", "lacks", "fails") if k in item]
        if len(chosen) != 1:
            raise fail(f"condition {n + 1}: a command condition has exactly one of shows, lacks or fails"
                       f"{' (it has ' + ' and '.join(chosen) + ')' if chosen else ''}")
        kind = chosen[0]
        command = item["command"]
        if not isinstance(command, str) or not command.strip().startswith("aws "):
            raise fail(f"condition {n + 1}: `command` is one aws command, not {command!r}", "command")
        if kind in ("shows", "lacks") and (not isinstance(item[kind], list) or not item[kind]
                                           or not all(isinstance(x, (str, int, float)) for x in item[kind])):
            raise fail(f"condition {n + 1}: `{kind}` is a list of texts the output must "
                       f"{'show' if kind == 'shows' else 'not show'}", kind)
        if kind == "fails" and not isinstance(item["fails"], str):
            raise fail(f"condition {n + 1}: `fails` is the error code the command must fail with", "fails")
        words = {"shows": "shows", "lacks": "no longer shows", "fails": "fails with"}[kind]
        shown = item[kind] if kind == "fails" else ", ".join(map(str, item[kind]))
        return Condition((that or f"{command} {words} {shown}").strip(), form, item, path, line)
    # form == "call"
    _operation(item, path, line_of(n, "call", needle=f"call: {item['call']}"), n)
    chosen = [k for k in COMPARISONS if k in item]
    if len(chosen) != 1:
        raise fail(f"condition {n + 1}: a call condition has exactly one comparison ({', '.join(COMPARISONS)})"
                   f"{'; it has ' + ' and '.join(chosen) if chosen else '; it has none'}")
    kind = chosen[0]
    value = item[kind]
    if kind in ("count", "at-least") and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise fail(f"condition {n + 1}: `{kind}` is a number, not {value!r}", kind)
    if kind == "exists" and not isinstance(value, bool):
        raise fail(f"condition {n + 1}: `exists` is true or false, not {value!r}", kind)
    if kind == "fails" and (not isinstance(value, str) or "query" in item):
        raise fail(f"condition {n + 1}: `fails` is the error code the call must be refused with, and takes no query",
                   kind)
    if "query" in item:
        import jmespath
        from jmespath.exceptions import JMESPathError

        if not isinstance(item["query"], str):
            raise fail(f"condition {n + 1}: `query` is a JMESPath expression, not {item['query']!r}", "query")
        try:
            jmespath.compile(item["query"])
        except JMESPathError as bad:
            raise fail(f"condition {n + 1}: JMESPath cannot read the query {item['query']!r}: "
                       f"{' '.join(str(bad).split())}", "query") from None
    return Condition((that or f"{item['call']} {kind} {value}").strip(), form, item, path, line)


def _operation(item: dict, path: str, line: int | None, n: int) -> None:
    """`call` names an operation botocore knows, and `args` only its fields."""
    service, _, operation = str(item["call"]).partition(".")
    model = service_model(service)
    if model is None:
        raise HandbookError(path, line, f"condition {n + 1}: {service!r} is not an AWS service botocore knows "
                                        "(write botocore's name: s3, iam, cloudtrail, events ...)")
    if operation not in model.operation_names:
        raise HandbookError(path, line, f"condition {n + 1}: {service} has no operation {operation!r}; write the "
                                        f"API's name, such as {closest(operation, model.operation_names)}")
    args = item.get("args") or {}
    if not isinstance(args, dict):
        raise HandbookError(path, line, f"condition {n + 1}: `args` is a mapping of the operation's fields")
    shape = model.operation_model(operation).input_shape
    members = shape.members if shape is not None else {}
    for name in args:
        if name not in members:
            raise HandbookError(path, line, f"condition {n + 1}: {service}.{operation} has no field {name!r}; its "
                                            f"fields are {', '.join(members) or 'none'}")


def closest(name: str, names: list[str]) -> str:
    """The name of `names` nearest to a misspelt `name`, for an error message."""
    import difflib

    return (difflib.get_close_matches(name, names, n=1, cutoff=0) or names)[0]


def service_model(service: str):
    """botocore's model of `service`, or None when botocore knows no such service."""
    from handbook import aws

    try:
        return aws.shared().session._session.get_service_model(service)
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# Evaluating


def evaluate(conditions: list[Condition], runner, *, keys: Mapping[str, Mapping] | None = None,
             placeholders: Mapping | None = None, cwd: Path | str | None = None) -> Verdict:
    """Each condition in the current simulated account (the caller's mock), in order.

    `keys`: a scenario's keys, for `as:`; `placeholders`: test values for `<name>` in a command.
    """
    done = []
    for condition in conditions:
        try:
            if condition.form == "call":
                holds, detail = _call(condition, runner)
            elif condition.form == "command":
                holds, detail = _command(condition, runner, placeholders, cwd)
            else:
                holds, detail = _denied(condition, runner, keys)
        except HandbookError:
            raise
        except Exception as failure:  # the simulation itself failed: still a sentence, never a traceback
            what = condition.spec.get("call") or condition.spec.get("command")
            holds, detail = False, (f"{what} could not be answered by the simulated account "
                                    f"({type(failure).__name__}: {_sentence(str(failure))[:300]})")
        done.append(replace(condition, holds=holds, detail=detail))
    return Verdict(done)


def _call(condition: Condition, runner) -> tuple[bool, str]:
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError

    spec = condition.spec
    service, _, operation = str(spec["call"]).partition(".")
    try:
        response = getattr(runner.client(service), xform_name(operation))(**(spec.get("args") or {}))
    except ClientError as refused:
        code = refused.response.get("Error", {}).get("Code", "")
        said = refused.response.get("Error", {}).get("Message", "") or str(refused)
        if spec.get("fails") is not None:
            if code == spec["fails"]:
                return True, f"{operation} is refused with {code}, as it should be."
            return False, f"{operation} is refused with {code}, not {spec['fails']}: {said}"
        return False, f"{operation} fails with {code}: {_sentence(said)}"
    except BotoCoreError as problem:
        return False, f"{operation} cannot be made: {_sentence(str(problem))}"
    if spec.get("fails") is not None:
        return False, f"{operation} succeeds; it must be refused with {spec['fails']}."
    import jmespath

    query = spec.get("query")
    value = jmespath.search(query, plain(response)) if query else plain(response)
    what = f"{operation} shows {query}" if query else f"{operation} answers"
    kind = next(k for k in COMPARISONS if k in spec)
    expected = spec[kind]
    shown = _show(value)
    if kind == "equals":
        if _equal(value, expected):
            return True, f"{what} as {shown}."
        return False, f"{what} as {shown}; it must be {_show(expected)}."
    if kind == "contains":
        if _contains(value, expected):
            return True, f"{what} holding {_show(expected)}."
        return False, f"{what} without {_show(expected)}; it shows {shown}."
    if kind == "lacks":
        if not _contains(value, expected):
            return True, f"{what} without {_show(expected)}."
        return False, f"{what} still holding {_show(expected)}."
    if kind == "exists":
        present = value not in (None, [], {}, "")
        if present == expected:
            return True, f"{what} as {shown}." if present else f"{what}: nothing, as it should."
        return False, (f"{what}: nothing; it must show something." if expected
                       else f"{what} as {shown}; it must show nothing.")
    if kind == "count":
        if isinstance(value, list) and len(value) == expected:
            return True, f"{what}: {len(value)} item(s)."
        count = len(value) if isinstance(value, list) else 0
        return False, f"{what}: {count} item(s), not {expected}; it shows {shown}."
    # at-least
    number = len(value) if isinstance(value, list) else value if isinstance(value, (int, float)) \
        and not isinstance(value, bool) else None
    if number is not None and number >= expected:
        return True, f"{what}: {number}, at least {expected}."
    return False, f"{what}: {shown}, fewer than {expected}."


def _command(condition: Condition, runner, placeholders: Mapping | None, cwd) -> tuple[bool, str]:
    from handbook import aws
    from handbook.examples import cli

    spec = condition.spec
    text = str(spec["command"])
    prepared = cli.prepare(text, path=condition.path, placeholders=placeholders)
    if prepared.errors or not prepared.runnable:
        first = prepared.errors[0].message if prepared.errors else "it is not runnable"
        raise HandbookError(condition.path, condition.line, f"the condition's command cannot run: {first}")
    try:
        done = runner.simulate(list(prepared.words[1:]), cwd=cwd)
    except aws.NetworkBlocked as blocked:
        return False, f"`{text}` was refused: it would have left the simulated account ({blocked})."
    if "fails" in spec:
        if not done.ok and spec["fails"] in done.message:
            return True, f"{text} fails with {spec['fails']}"
        return False, (f"`{text}` must fail with {spec['fails']}, but it "
                       f"{'succeeds' if done.ok else 'fails otherwise: ' + done.message.strip()}")
    if not done.ok:
        return False, f"`{text}` fails (exit code {done.exit_code}): {done.message.strip()}"
    if "lacks" in spec:
        for unwanted in spec["lacks"]:
            if str(unwanted) in done.stdout:
                return False, f"`{text}` still shows {str(unwanted)!r}"
        return True, f"{text} no longer shows {', '.join(map(str, spec['lacks']))}"
    for expected in spec["shows"]:
        if str(expected) not in done.stdout:
            return False, (f"`{text}` does not show {str(expected)!r} (it shows "
                           f"{done.stdout.strip()[:300] or 'nothing'})")
    return True, f"{text} shows {', '.join(map(str, spec['shows']))}"


def _denied(condition: Condition, runner, keys: Mapping[str, Mapping] | None) -> tuple[bool, str]:
    """The actor's call, with IAM enforced for it alone, must be refused with the declared code."""
    from botocore import xform_name
    from botocore.exceptions import ClientError

    from handbook import aws
    from handbook.simulation import iam

    spec = condition.spec
    actor = str(spec["as"])
    if actor not in (keys or {}):
        raise HandbookError(condition.path, condition.line, f"`as: {actor}` names no key of the scenario "
                                                            f"(keys: {', '.join(sorted(keys or {})) or 'none'})")
    key = keys[actor]
    service, _, operation = str(spec["call"]).partition(".")
    client = runner.session.client(service, region_name=aws.REGION, aws_access_key_id=key["id"],
                                   aws_secret_access_key=key["secret"])
    code = None
    with iam.enforced():
        try:
            getattr(client, xform_name(operation))(**(spec.get("args") or {}))
        except ClientError as refused:
            code = refused.response["Error"]["Code"]
    if code != spec["denied"]:
        return False, (f"the {actor}'s {spec['call']} is {'allowed' if code is None else 'refused with ' + code}, "
                       f"not refused with {spec['denied']}")
    return True, f"the {actor}'s {spec['call']} is refused ({code})"


# ---------------------------------------------------------------------------------------------
# Values


def plain(value: Any) -> Any:
    """A response as JSON would carry it: times as ISO text, bytes as text, no ResponseMetadata."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "read"):  # a streaming body
        return value.read().decode("utf-8", "replace")
    return value


def _equal(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected or (isinstance(value, bool) and isinstance(expected, bool) and value == expected)
    return value == expected


def _contains(value: Any, expected: Any) -> bool:
    if isinstance(value, list):
        return any(_matches(item, expected) for item in value)
    if isinstance(value, str):
        return str(expected) in value
    if isinstance(value, dict) and isinstance(expected, dict):
        return _matches(value, expected)
    return False


def _matches(item: Any, expected: Any) -> bool:
    if isinstance(item, dict) and isinstance(expected, dict):
        return all(k in item and _matches(item[k], v) for k, v in expected.items())
    return _equal(item, expected)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(".") else text + "."
