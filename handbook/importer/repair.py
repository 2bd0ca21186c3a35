"""Repair pass: fix the fence defects of a hand-written handbook before it is parsed.

Works line by line on the raw text, because the defects are exactly the places where a
Markdown parser cannot be trusted (a fence that never opens swallows later headings).
Every output line keeps the number of the source line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the source
    text: str


FENCE = "```"
ONE_LINE_FENCE = re.compile(r"^ {0,3}```(?P<code>[^`].*?)```\s*$")
OPENING = re.compile(r"^ {0,3}```(?P<info>.*)$")
INLINE_TRIPLE = re.compile(r"```([^`]+)```")
SPACED_LINK = re.compile(r"\]\(\s+")
STARLESS_BULLET = re.compile(r"^\*(?=[A-Za-z])(?!.*\*)")
# A command written as a paragraph of its own: `aws <service> <operation> ...`.
PLAIN_COMMAND = re.compile(r"^aws [a-z0-9-]+ [a-z0-9-]+(\s|$)")


def is_language(info: str) -> bool:
    """True when a fence's info string names a language (```json), not code (```aws s3 ls)."""
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    if not word:
        return True
    try:
        get_lexer_by_name(word)
    except ClassNotFound:
        return False
    return len(info.split()) == 1 or "=" in info or "{" in info


def repair(text: str) -> list[Line]:
    """The source as repaired lines: fences that open and close where the author meant."""
    source = [Line(n, t.rstrip("\n")) for n, t in enumerate(text.splitlines(), start=1)]
    out: list[Line] = []
    in_fence = False
    for i, line in enumerate(source):
        t = line.text
        if in_fence:
            out.append(line)
            if t.strip() == FENCE:
                in_fence = False
            continue
        if m := ONE_LINE_FENCE.match(t):
            out += [Line(line.number, FENCE), Line(line.number, m["code"].strip()), Line(line.number, FENCE)]
            continue
        if m := OPENING.match(t):
            info = m["info"]
            if is_language(info):
                out.append(line)
            else:  # code written on the opening line: give it a line of its own
                out += [Line(line.number, FENCE), Line(line.number, info.strip())]
            in_fence = True
            continue
        before = source[i - 1].text.strip() if i else ""
        after = source[i + 1].text.strip() if i + 1 < len(source) else ""
        if PLAIN_COMMAND.match(t) and not before and not after:
            out += [Line(line.number, FENCE), line, Line(line.number, FENCE)]
            continue
        t = INLINE_TRIPLE.sub(r"`\1`", t)
        t = SPACED_LINK.sub("](", t)
        t = STARLESS_BULLET.sub("* ", t)
        out.append(Line(line.number, t))
    return out
