"""Check a JSON example against the API shape or log format it claims to follow.

botocore's response parser silently drops keys it does not know, so a misspelt key in an
example would pass any check built on it. This module walks the document itself and
reports, each at the line of the JSON it concerns:

- unknown keys (with a suggestion when one is close), duplicate keys,
- values of the wrong JSON type, values outside an enum, lengths and ranges outside the
  model's min/max, strings not matching the model's pattern or a documented format,
- missing required members, unions with more than one member set,
- strings that must hold JSON (data/botocore-json-strings.yml) but do not parse.

Null: a JSON null for an optional member is accepted and treated as absent. AWS JSON
protocols serialise unset members either by leaving them out or as null (the GuardDuty
console writes `"platform": null`; CloudTrail writes `"requestParameters": null` for calls
without parameters) and botocore's JSON parsers treat both alike. A null required member,
or a null array element, is an error.

Declarations read from the snippet's `<name>.yml`:

    schema: guardduty:Finding[]           required; see handbook.examples.schemas
    allow:                                optional; keys the schema does not describe
      - key: service.additionalInfo.sample    dotted wire names, no indices, * wildcards
        reason: why the example may carry it  required

An allowed key (and everything below it) is not checked. An allow entry that matches
nothing is an error, so the list cannot outlive the problem it excuses.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import ipaddress
import json
import re
from dataclasses import dataclass, field

from handbook.examples import Finding
from handbook.examples import jsontext
from handbook.examples.schemas import Node, Schema, SchemaError, resolve

KIND = "json"

# Documented value formats used by the data schemas (data/schemas/*.yml).
_FORMATS = {
    "account-id": (re.compile(r"\d{12}").fullmatch, "a 12-digit AWS account id"),
    "aws-region": (re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d").fullmatch, "an AWS Region code such as us-east-1"),
    "arn": (re.compile(r"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12})?:.+").fullmatch, "an ARN (arn:partition:service:region:account:resource)"),
    "version": (re.compile(r"\d+\.\d+").fullmatch, "a major.minor version such as 1.08"),
    "dns-name": (re.compile(r"([A-Za-z0-9_*-]+\.)*[A-Za-z0-9_-]*\.?").fullmatch, "a domain name"),
}


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _is_iso8601(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})", text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _format_ok(fmt: str, text: str) -> tuple[bool, str]:
    if fmt in _FORMATS:
        test, what = _FORMATS[fmt]
        return bool(test(text)), what
    if fmt == "ip-address":
        return _is_ip(text), "an IPv4 or IPv6 address"
    if fmt == "source-ip":  # CloudTrail: an address, or the DNS name of the AWS service that called
        return _is_ip(text) or text.endswith(".amazonaws.com") or text == "AWS Internal", (
            "an IP address or an AWS service name such as ec2.amazonaws.com"
        )
    if fmt == "iso8601":
        return _is_iso8601(text), "an ISO 8601 UTC time such as 2021-02-04T17:51:55Z"
    if fmt == "port":
        return text.isdigit() and int(text) <= 65535, "a port number 0-65535 (as a string)"
    raise SchemaError(f"unknown format {fmt!r} in a data schema")


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


_EXPECTED = {
    "structure": "an object",
    "object": "an object",
    "map": "an object",
    "list": "an array",
    "string": "a string",
    "blob": "a (base64) string",
    "integer": "an integer",
    "long": "an integer",
    "float": "a number",
    "double": "a number",
    "boolean": "a boolean (true or false)",
    "timestamp": "an ISO 8601 string or epoch seconds",
}


def _short(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class Allow:
    key: str
    reason: str
    used: int = 0


@dataclass
class Problem:
    path: tuple
    message: str


@dataclass
class Result:
    """What one validation found; `check_json` turns it into Findings."""

    schema: Schema | None = None
    document: jsontext.Document | None = None
    problems: list = field(default_factory=list)  # Problem
    checked_keys: list = field(default_factory=list)  # paths of keys matched against a structure
    allows: list = field(default_factory=list)  # Allow
    declaration_errors: list = field(default_factory=list)  # sentences
    syntax_error: jsontext.JsonSyntaxError | None = None


def _where(path: tuple) -> str:
    return f"`{jsontext.render_path(path)}`" if path else "the document"


def _dotted(path: tuple) -> str:
    return ".".join(part for part in path if isinstance(part, str))


class _Walker:
    def __init__(self, result: Result):
        self.result = result

    def problem(self, path, message):
        self.result.problems.append(Problem(tuple(path), message))

    def allowed(self, path) -> bool:
        dotted = _dotted(path)
        hit = False
        for allow in self.result.allows:
            if dotted and fnmatch.fnmatchcase(dotted, allow.key):
                allow.used += 1
                hit = True
        return hit

    def walk(self, value, node: Node, path: tuple) -> None:
        if path and self.allowed(path):
            return
        kind = node.type
        if kind in ("any", "document"):
            return
        if value is None:
            self.problem(path, f"{_where(path)} is null, but {node.name} is {_EXPECTED.get(kind, kind)}.")
            return
        if kind in ("structure", "object", "map"):
            if not isinstance(value, dict):
                return self.wrong_type(value, node, path)
            if kind == "structure":
                self.structure(value, node, path)
            elif kind == "map":
                for key, item in value.items():
                    self.scalar(key, node.key, path + (key,), is_key=True)
                    self.walk(item, node.value, path + (key,))
            return
        if kind == "list":
            if not isinstance(value, list):
                return self.wrong_type(value, node, path)
            self.bounds(len(value), node, path, "items")
            for index, item in enumerate(value):
                self.walk(item, node.member, path + (index,))
            return
        self.scalar(value, node, path)

    def wrong_type(self, value, node, path):
        expected = _EXPECTED.get(node.type, node.type)
        self.problem(path, f"{_where(path)} is {_json_type(value)} ({_short(value)}), but {node.name} is {expected}.")

    def bounds(self, size, node, path, unit):
        if node.min is not None and size < node.min:
            self.problem(path, f"{_where(path)} has {size} {unit}; {node.name} needs at least {node.min:g}.")
        if node.max is not None and size > node.max:
            self.problem(path, f"{_where(path)} has {size} {unit}; {node.name} allows at most {node.max:g}.")

    def scalar(self, value, node: Node, path, is_key=False):
        kind = node.type
        ok = {
            "string": isinstance(value, str),
            "blob": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "long": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "double": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "timestamp": (isinstance(value, str) and _is_iso8601(value))
            or (isinstance(value, (int, float)) and not isinstance(value, bool)),
        }.get(kind, False)
        if not ok:
            return self.wrong_type(value, node, path)
        what = f"the key {value!r} of {_where(path[:-1])}" if is_key else _where(path)
        if kind in ("integer", "long", "float", "double"):
            if node.min is not None and value < node.min:
                self.problem(path, f"{what} is {value}; {node.name} is at least {node.min:g}.")
            if node.max is not None and value > node.max:
                self.problem(path, f"{what} is {value}; {node.name} is at most {node.max:g}.")
            return
        if kind != "string":
            return
        if node.enum and value not in node.enum:
            close = difflib.get_close_matches(value, node.enum, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.problem(path, f"{what} is {value!r}, which is not a value of {node.name}{hint}; it must be one of {', '.join(node.enum)}.")
            return
        self.bounds(len(value), node, path, "characters")
        if node.pattern:
            try:
                pattern = re.compile(node.pattern)
            except re.error:  # a model pattern Python's re cannot read: not checked
                pattern = None
            if pattern and not pattern.search(value):
                self.problem(path, f"{what} is {_short(value)}, which does not match the pattern {node.pattern} of {node.name}.")
        if node.format:
            good, description = _format_ok(node.format, value)
            if not good:
                self.problem(path, f"{what} is {_short(value)}, which is not {description}.")
        if node.json_text:
            try:
                json.loads(value)
            except ValueError as err:
                self.problem(path, f"{what} must hold JSON text ({node.name}), but it does not parse: {err}.")

    def structure(self, value: dict, node: Node, path):
        for key, item in value.items():
            child = path + (key,)
            member = node.members.get(key)
            if member is None:
                if self.allowed(child):
                    continue
                self.result.checked_keys.append(child)
                self.unknown(key, node, child)
                continue
            self.result.checked_keys.append(child)
            if item is None:
                if member.required:
                    self.problem(child, f"{_where(child)} is null, but {node.name} requires {key}.")
                continue  # null for an optional member means absent
            self.walk(item, member.node, child)
        for member in node.required_for(value):
            if member.wire not in value and not self.allowed(path + (member.wire,)):
                since = f" (from {node.version_member} {member.required_since} on)" if member.required_since else ""
                self.problem(path, f"{_where(path)} lacks {member.wire!r}, which {node.name} requires{since}.")
        if node.union:
            present = [key for key in value if key in node.members and value[key] is not None]
            if len(present) > 1:
                self.problem(path, f"{_where(path)} sets {', '.join(present)}, but {node.name} is a union: set exactly one.")

    def unknown(self, key, node, path):
        names = list(node.members)
        lower = {name.lower(): name for name in names}
        if key.lower() in lower:
            hint = f"; keys are case-sensitive: write {lower[key.lower()]!r}"
        else:
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else ""
        listing = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", ..."
        self.problem(path, f"Unknown key {key!r} in {_where(path[:-1])}: {node.name} has no such member{hint} (members: {listing}).")


def _read_allows(declarations: dict, result: Result) -> None:
    entries = declarations.get("allow")
    if entries is None:
        return
    if not isinstance(entries, list):
        result.declaration_errors.append("The `allow` declaration must be a list of {key, reason} entries.")
        return
    for index, entry in enumerate(entries, 1):
        if isinstance(entry, str):
            result.declaration_errors.append(
                f"allow entry {index} ({entry!r}) gives no reason: write it as {{key: {entry!r}, reason: why the example may carry it}}."
            )
        elif not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not str(entry.get("reason") or "").strip():
            result.declaration_errors.append(f"allow entry {index} must be a mapping with a `key` and a non-empty `reason`.")
        else:
            result.allows.append(Allow(entry["key"], str(entry["reason"]).strip()))


def validate(text: str, declarations: dict | None) -> Result:
    """Parse `text` and walk it against the declared schema; no Findings yet."""
    declarations = declarations or {}
    result = Result()
    label = declarations.get("schema")
    if label is None:
        result.declaration_errors.append(
            "No schema is declared for this JSON example: declare which API shape it follows in its "
            "<name>.yml, e.g. `schema: config:PutConfigRule.ConfigRule`, `schema: guardduty:Finding[]` "
            "or `schema: cloudtrail-record-file`."
        )
    else:
        try:
            result.schema = resolve(label)
        except SchemaError as err:
            result.declaration_errors.append(f"The declared schema cannot be used: {err}.")
    _read_allows(declarations, result)
    try:
        result.document = jsontext.parse(text)
    except jsontext.JsonSyntaxError as err:
        result.syntax_error = err
        return result
    doc = result.document
    for dup in doc.duplicates:
        result.problems.append(
            Problem(dup.path, f"Key {dup.path[-1]!r} appears twice in {_where(dup.path[:-1])} (first on line {dup.first_line}); JSON readers keep only the last one.")
        )
    if result.schema is None or result.declaration_errors:
        return result
    walker = _Walker(result)
    schema = result.schema
    if schema.many:
        if not isinstance(doc.value, list):
            walker.problem((), f"The document is {_json_type(doc.value)}, but schema {schema.label} declares an array of {schema.root.name}.")
        elif not doc.value:
            walker.problem((), f"The document is an empty array: there is no {schema.root.name} to show or check.")
        else:
            for index, item in enumerate(doc.value):
                walker.walk(item, schema.root, (index,))
    else:
        walker.walk(doc.value, schema.root, ())
    for allow in result.allows:
        if not allow.used:
            result.problems.append(Problem((), f"allow entry {allow.key!r} matches no key of the document: remove it."))
    return result


def check_json(text: str, *, path, line: int, declarations: dict | None) -> list[Finding]:
    """Findings for one JSON example starting at `line` of `path`."""
    path = str(path)
    result = validate(text, declarations)

    def at(inner_line: int) -> int:
        return line + inner_line - 1

    findings = [Finding(path, line, KIND, "error", message) for message in result.declaration_errors]
    if result.syntax_error:
        err = result.syntax_error
        findings.append(
            Finding(path, at(err.line), KIND, "error", f"The JSON does not parse: {err.message} (line {at(err.line)}, column {err.column}).")
        )
        return findings
    doc = result.document
    for problem in result.problems:
        message = problem.message[:1].upper() + problem.message[1:]
        findings.append(Finding(path, at(doc.line(problem.path)), KIND, "error", message))
    if findings:
        return findings
    schema = result.schema
    count = len(doc.value) if schema.many else None
    what = f"{count} × {schema.root.name}" if schema.many else schema.root.name
    keys = len(result.checked_keys)
    message = f"The JSON follows {schema.source} ({what}; {keys} key{'' if keys == 1 else 's'} checked)"
    if result.allows:
        message += "; allowed by its declarations: " + "; ".join(f"{a.key} ({a.reason})" for a in result.allows)
    return [Finding(path, line, KIND, "ok", message + ".")]
