"""JSON text with positions: the line of every key and element, which `json.loads` forgets.

`parse(text)` returns a `Document`: the plain Python value plus, for every JSON path
(a tuple of keys and indices, `()` for the root), the line the key or element starts on
and the character span of each object key (used to misspell a key in place).
Syntax errors come from the standard library parser, with its line and column.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring

Path = tuple  # of str (object keys) and int (array indices)

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonSyntaxError(ValueError):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message
        super().__init__(f"line {line} column {column}: {message}")


@dataclass
class Duplicate:
    path: Path  # the repeated key's path
    line: int  # where it is repeated
    first_line: int  # where it first appeared


@dataclass
class Document:
    value: object
    lines: dict = field(default_factory=dict)  # Path -> 1-based line
    key_spans: dict = field(default_factory=dict)  # Path -> (start, end) of the key's quoted token
    duplicates: list = field(default_factory=list)

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON (JavaScript's NaN and Infinity are not allowed)")


def parse(text: str) -> Document:
    """Parse `text` strictly (no NaN/Infinity) and record where every key and element starts."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise JsonSyntaxError(err.lineno, err.colno, err.msg) from None
    except ValueError as err:  # from _reject_constant
        match = re.search(r"\b(NaN|-?Infinity)\b", text)
        pos = match.start() if match else 0
        line = text.count("\n", 0, pos) + 1
        raise JsonSyntaxError(line, pos - text.rfind("\n", 0, pos), str(err)) from None
    return _Parser(text).document()


class _Parser:
    """A second pass over text already known to be valid JSON, recording positions."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.doc = Document(None)

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def document(self) -> Document:
        self.doc.value, _ = self.value(self.skip(0), ())
        return self.doc

    def value(self, pos: int, path: Path):
        text = self.text
        self.doc.lines.setdefault(path, self.line(pos))
        char = text[pos]
        if char == "{":
            return self.object(pos + 1, path)
        if char == "[":
            return self.array(pos + 1, path)
        if char == '"':
            return scanstring(text, pos + 1)
        for literal, value in _LITERALS.items():
            if text.startswith(literal, pos):
                return value, pos + len(literal)
        match = _NUMBER.match(text, pos)
        number = match.group()
        value = float(number) if any(c in number for c in ".eE") else int(number)
        return value, match.end()

    def object(self, pos: int, path: Path):
        result = {}
        seen = {}
        pos = self.skip(pos)
        if self.text[pos] == "}":
            return result, pos + 1
        while True:
            start = pos
            key, pos = scanstring(self.text, pos + 1)
            child = path + (key,)
            line = self.line(start)
            if key in seen:
                self.doc.duplicates.append(Duplicate(child, line, seen[key]))
            seen[key] = line
            self.doc.lines[child] = line
            self.doc.key_spans[child] = (start, pos)
            pos = self.skip(pos)  # at ':'
            value, pos = self.value(self.skip(pos + 1), child)
            result[key] = value
            pos = self.skip(pos)
            if self.text[pos] == "}":
                return result, pos + 1
            pos = self.skip(pos + 1)  # past ','

    def array(self, pos: int, path: Path):
        result = []
        pos = self.skip(pos)
        if self.text[pos] == "]":
            return result, pos + 1
        while True:
            child = path + (len(result),)
            self.doc.lines[child] = self.line(pos)
            value, pos = self.value(pos, child)
            result.append(value)
            pos = self.skip(pos)
            if self.text[pos] == "]":
                return result, pos + 1
            pos = self.skip(pos + 1)


def render_path(path: Path) -> str:
    """`("Records", 0, "userIdentity")` -> `Records[0].userIdentity`; the root is `(root)`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"
