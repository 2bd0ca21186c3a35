"""Placeholders in a runbook's commands, and the values that stand in for them.

Runbooks are written for a reader who fills in the blanks. The conventions found in the wild:

    <api-id>  <BUCKET_NAME>    angle brackets (masked before the shell parse, see commands)
    $VAR  ${VAR}  $(...)  `...`   what only the running shell knows (sentinels from commands)
    {x}  {{ x }}                 a template slot ({{ x }} masked before the shell parse, as <x> is)
    [BUCKET]  [Target Role Name]  {Your Profile}   words in brackets or braces (with spaces:
                                 masked before the shell parse)
    <GET|POST|ANY>  {GET,POST}   the choices, one of which the reader picks
    YOUR_BUCKET  your-role       "your" + a name
    AKIAIOSFODNN7EXAMPLE         AWS's own convention: a value containing EXAMPLE
    AKIA...  role/…              a value cut short
    START_TIME  N                capitals where a number, a time or a boolean goes

A placeholder stands for a value of the option's type. The check substitutes one that
satisfies the botocore model of the member it lands in (length, pattern, range, timestamp,
boolean, list, structure; an enum gets its first value), also inside shorthand
(`Name=tag:Owner,Values=<owner>`) and JSON (`{"Bucket": "<bucket>"}`) values: the value is
parsed with awscli's own shorthand parser or as JSON, each placeholder is found at its member,
and only the placeholder's text is replaced, so the syntax around it is still awscli's to judge.

A value containing EXAMPLE is a literal when it fits its member and a placeholder when it
does not. Everything else that is literal is checked as written: a literal that breaks the
model is the runbook's defect.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from handbook.runbook.commands import SENTINEL

# Conventions found in the text of a word after the shell has read it (sentinels included).
CONVENTIONS = re.compile(
    r"__HBPH\d+__"  # <name>, $VAR, ${VAR}, $(...), `...`
    r"|\{[A-Za-z_][A-Za-z0-9_-]*\}"  # {x}
    r"|\[[A-Z][A-Z0-9_]*\]"  # [EVIDENCE_BUCKET]
    r"|\{[A-Za-z0-9_-]+(?:,[A-Za-z0-9_-]+)+\}"  # {GET,POST}: the choices
    r"|\b[Yy][Oo][Uu][Rr][_-][A-Za-z0-9_-]+"  # YOUR_BUCKET, your-role
    r"|[\w:/.@=-]*(?:\.\.\.|\u2026)(?=$|[\s,\"'\]}])"  # AKIA..., arn:aws:iam::111122223333:role/...
)
# A word in capitals (START_TIME, N) where a number, a time or a boolean goes: a blank to fill.
CAPITALS = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
NOT_TEXT = {"integer", "long", "float", "double", "timestamp", "boolean"}
TIMESTAMP = "2024-01-01T00:00:00Z"
# Candidate stand-ins for a string member, tried in order against its length and pattern.
STRINGS = ("example", "example-1", "Example1", "123456789012", "1", "us-east-1",
           "arn:aws:iam::123456789012:role/example", "i-0123456789abcdef0",
           "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", TIMESTAMP, "example@example.com", "10.0.0.0/16",
           "https://example.com")


@dataclass
class Substituted:
    text: str  # the value with every placeholder replaced
    names: list  # the placeholders, as written


class Table:
    """Sentinel number -> the placeholder as written (from commands.Invocation.placeholders)."""

    def __init__(self, written: dict):
        self.written = written

    def name(self, token: str) -> str:
        match = SENTINEL.fullmatch(token)
        return self.written.get(int(match.group(1)), token) if match else token

    def find(self, text: str) -> list[str]:
        return [m.group(0) for m in CONVENTIONS.finditer(text)]


def is_whole(text: str, table: Table) -> bool:
    found = CONVENTIONS.fullmatch(text)
    return bool(found)


def fits(shape, text: str) -> bool:
    """Whether the literal CLI text of a scalar member satisfies its shape."""
    kind = getattr(shape, "type_name", "string")
    meta = getattr(shape, "metadata", {}) or {}
    if kind in ("integer", "long"):
        try:
            number = int(text)
        except ValueError:
            return False
        return meta.get("min", number) <= number <= meta.get("max", number)
    if kind in ("float", "double"):
        try:
            float(text)
        except ValueError:
            return False
        return True
    if kind == "boolean":
        return text.lower() in ("true", "false")
    if kind == "timestamp":
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\d([T ][\d:.]+)?(Z|[+-]\d\d:?\d\d)?|\d+(\.\d+)?", text))
    if kind == "string":
        if getattr(shape, "enum", None) and text not in shape.enum:
            return False
        return meta.get("min", 0) <= len(text) <= meta.get("max", len(text)) and _matches(meta, text)
    return True


def _matches(meta: dict, text: str) -> bool:
    pattern = meta.get("pattern")
    if not pattern:
        return True
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:  # a Java-only construct: botocore does not check patterns either
        return True


def scalar(shape, hint: str = "") -> str:
    """A CLI text value for a scalar member that its model accepts."""
    kind = getattr(shape, "type_name", "string") if shape is not None else "string"
    meta = getattr(shape, "metadata", {}) or {} if shape is not None else {}
    if kind in ("integer", "long"):
        low = meta.get("min", 1)
        return str(max(low, min(1, meta.get("max", 1))))
    if kind in ("float", "double"):
        return str(meta.get("min", 1))
    if kind == "boolean":
        return "true"
    if kind == "timestamp":
        return TIMESTAMP
    if shape is not None and getattr(shape, "enum", None):
        return shape.enum[0]
    hinted = _hinted(hint)
    for candidate in ((hinted,) if hinted else ()) + STRINGS:
        if shape is None or fits(shape, candidate):
            return candidate
    return "a" * max(1, meta.get("min", 1))


def _hinted(hint: str) -> str | None:
    """A stand-in the placeholder's own name suggests (<account-id>, $REGION, <start-time>)."""
    low = hint.lower()
    if "account" in low:
        return "123456789012"
    if "region" in low:
        return "us-east-1"
    if "trail" in low and "arn" in low:
        return "arn:aws:cloudtrail:us-east-1:123456789012:trail/example"
    if "time" in low.replace("-", "_").split("_") or "date" in low.replace("-", "_").split("_"):
        return TIMESTAMP
    if "arn" in low.replace("-", "_").split("_") or low.endswith("arn>") or low.endswith("arn"):
        return "arn:aws:iam::123456789012:role/example"
    return None


def document(shape, depth: int = 0, *, every_member: bool = False):
    """A Python value for any member, its required members filled (for JSON); with
    `every_member`, the optional ones too (what a schema's prose requires, such as an EMR
    custom-JAR step's Jar, is not in the model)."""
    kind = getattr(shape, "type_name", "string")
    meta = getattr(shape, "metadata", {}) or {}
    if kind == "structure":
        if depth > 6 or (every_member and depth > 3):
            return {}
        if getattr(shape, "is_tagged_union", False) and shape.members:  # exactly one member set
            first = next(iter(shape.members))
            return {first: document(shape.members[first], depth + 1, every_member=every_member)}
        names = shape.members if every_member else getattr(shape, "required_members", []) or []
        return {name: document(shape.members[name], depth + 1, every_member=every_member) for name in names}
    if kind == "list":  # as many elements as the list's minimum (two IP addresses for an endpoint)
        return [document(shape.member, depth + 1, every_member=every_member)] * max(1, meta.get("min", 1))
    if kind == "map":
        return {scalar(shape.key): document(shape.value, depth + 1, every_member=every_member)}
    text = scalar(shape)
    if kind in ("integer", "long"):
        return int(text)
    if kind in ("float", "double"):
        return float(text)
    if kind == "boolean":
        return True
    return text


def whole(shape, hint: str, *, element: bool = False) -> str:
    """The CLI text for a value that is one placeholder: scalar text, or JSON for a structure."""
    kind = getattr(shape, "type_name", "string") if shape is not None else "string"
    if kind == "list" and element:
        shape, kind = shape.member, shape.member.type_name
    if kind in ("structure", "map", "list"):
        return json.dumps(document(shape))
    return scalar(shape, hint)


def generic(token: str, table: Table) -> str:
    """The stand-in for a placeholder that is part of a larger literal (an ARN, an s3:// path)."""
    return _hinted(table.name(token)) or "example"


def substitute(text: str, shape, table: Table, *, element: bool = False) -> Substituted:
    """`text` (one CLI word) with its placeholders replaced to fit `shape` (None: no model)."""
    found = table.find(text)
    kind = getattr(shape, "type_name", "string") if shape is not None else "string"
    if not found:
        if shape is not None and kind not in ("structure", "map", "list") and not fits(shape, text) \
                and ("EXAMPLE" in text or (kind in NOT_TEXT and CAPITALS.fullmatch(text))):
            return Substituted(scalar(shape, text), [text])
        if kind in ("structure", "map", "list") and "EXAMPLE" in text and text.lstrip()[:1] in "{[":
            return _examples_in_json(text, shape.member if kind == "list" and element else shape)
        return Substituted(text, [])
    names = [table.name(t) for t in found]
    if is_whole(text, table):
        return Substituted(whole(shape, names[0], element=element), names)
    member = shape.member if kind == "list" and element else shape
    member_kind = getattr(member, "type_name", "string") if member is not None else "string"
    if member_kind in ("structure", "map", "list"):
        replaced = _in_json(text, member, table) if text.lstrip()[:1] in "{[" else _in_shorthand(text, member, table)
        if replaced is not None:
            return Substituted(replaced, names)
    return Substituted(CONVENTIONS.sub(lambda m: generic(m.group(0), table), text), names)


# --------------------------------------------------------------------------------------------
# Inside JSON and shorthand values


def _in_json(text: str, shape, table: Table) -> str | None:
    """Placeholders in a JSON value replaced by values of their members' types."""
    markers: dict[str, str] = {}
    out, inside, escaped, last = [], False, False, 0
    for match in CONVENTIONS.finditer(text):
        start = match.start()
        for char in text[last:start]:  # is the placeholder inside a JSON string?
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = not inside
        marker = f"HBPHJSON{len(markers)}X"
        markers[marker] = match.group(0)
        out.append(text[last:start] + (marker if inside else f'"{marker}"'))
        last = match.end()
    out.append(text[last:])
    try:
        value = json.loads("".join(out))
    except json.JSONDecodeError:
        return None
    return json.dumps(_replace(value, shape, markers, table))


def _examples_in_json(text: str, shape) -> Substituted:
    """A JSON value whose strings hold EXAMPLE (`{"jobIDs": ["j-EXAMPLE"]}`): each that does not
    fit its member stands for a value of the member's type, as a scalar option's would."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return Substituted(text, [])  # awscli's to judge
    names: list[str] = []

    def walk(item, member):
        kind = getattr(member, "type_name", None) if member is not None else None
        if isinstance(item, dict):
            members = getattr(member, "members", {}) if kind == "structure" else {}
            return {k: walk(v, member.value if kind == "map" else members.get(k)) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v, member.member if kind == "list" else None) for v in item]
        if isinstance(item, str) and "EXAMPLE" in item and member is not None \
                and kind not in ("structure", "map", "list") and not fits(member, item):
            names.append(item)
            return document(member)
        return item

    replaced = walk(value, shape)
    return Substituted(json.dumps(replaced) if names else text, names)


def _replace(value, shape, markers, table):
    kind = getattr(shape, "type_name", None) if shape is not None else None
    if isinstance(value, dict):
        members = getattr(shape, "members", {}) if kind == "structure" else {}
        if kind == "map":
            return {_replace(k, shape.key, markers, table): _replace(v, shape.value, markers, table)
                    for k, v in value.items()}
        return {k: _replace(v, members.get(k), markers, table) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, shape.member if kind == "list" else None, markers, table) for v in value]
    if isinstance(value, str) and value in markers:
        return document(shape) if shape is not None else "example"
    if isinstance(value, str):
        for marker, written in markers.items():
            value = value.replace(marker, generic(written, table))
    return value


def _in_shorthand(text: str, shape, table: Table) -> str | None:
    """Placeholders in shorthand replaced, in place, by shorthand-safe values of their members."""
    from awscli.shorthand import ShorthandParseError, ShorthandParser

    markers: dict[str, str] = {}

    def mark(match: re.Match) -> str:
        marker = f"HBPHSH{len(markers)}X"
        markers[marker] = match.group(0)
        return marker

    marked = CONVENTIONS.sub(mark, text)
    try:
        parsed = ShorthandParser().parse(marked)
    except ShorthandParseError:
        return None
    chosen: dict[str, str] = {}
    _choose(parsed, shape, markers, chosen, table)
    for marker, written in markers.items():
        marked = marked.replace(marker, chosen.get(marker) or generic(written, table))
    return marked


def _choose(value, shape, markers, chosen, table) -> None:
    kind = getattr(shape, "type_name", None) if shape is not None else None
    if isinstance(value, dict):
        for key, item in value.items():
            member = None
            if kind == "structure":
                member = shape.members.get(key)
            elif kind == "map":
                member = shape.value
            _choose(item, member, markers, chosen, table)
    elif isinstance(value, list):
        for item in value:
            _choose(item, shape.member if kind == "list" else shape, markers, chosen, table)
    elif isinstance(value, str) and value in markers and shape is not None \
            and shape.type_name not in ("structure", "map", "list"):
        chosen[value] = scalar(shape, table.name(markers[value]))
