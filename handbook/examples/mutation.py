"""Broken copies of a CLI example, to prove that the checker notices a broken example.

Each mutant misspells one option (`--name` -> `--nmae`), the typo a reader is most likely to
make and the one a checker that never really parses would wave through. A command with no
option at all (`aws s3 ls`) still has an operation to misspell (`operation_mutant`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

# An option at the start of a shell word: after the line start or a blank, never inside a word.
OPTION = re.compile(r"(?<!\S)--([a-z][a-z0-9-]*)")
# `aws <service> <operation>` at the start of the example.
OPERATION = re.compile(r"\A\s*aws[ \t]+[a-z0-9-]+[ \t]+(?P<operation>[a-z0-9-]+)")


@dataclass(frozen=True)
class Mutant:
    text: str  # the whole example, with one option misspelt
    line: int  # the line of the misspelt option (1-based)
    option: str  # "--name"
    misspelt: str  # "--nmae"


def misspell(option: str) -> str:
    """`option` with two neighbouring letters of its name swapped: --name -> --nmae."""
    name = option[2:]
    for i in (1, 0, 2, 3):  # the second and third letter first: the classic transposition
        if i + 1 < len(name) and name[i] != name[i + 1] and "-" not in name[i:i + 2]:
            return "--" + name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return option + "x"  # a name with no swappable pair, like --aa


def mutants(text: str) -> Iterator[Mutant]:
    """One mutant for each option in `text` that is outside quotes."""
    for match in OPTION.finditer(text):
        if _quoted(text, match.start()):
            continue
        option, misspelt = match.group(0), misspell(match.group(0))
        yield Mutant(text[:match.start()] + misspelt + text[match.end():],
                     text.count("\n", 0, match.start()) + 1, option, misspelt)


def _quoted(text: str, position: int) -> bool:
    """Whether `position` lies inside a single- or double-quoted string, as a shell reads it."""
    quote = None
    i = 0
    while i < position:
        char = text[i]
        if quote != "'" and char == "\\":
            i += 2
            continue
        if quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
        i += 1
    return quote is not None


def operation_mutant(text: str) -> Mutant | None:
    """The example with its operation misspelt (`describe-trails` -> `dsecribe-trails`), if it has one."""
    match = OPERATION.match(text)
    if not match:
        return None
    operation = match.group("operation")
    misspelt = misspell("--" + operation)[2:]
    start, end = match.span("operation")
    return Mutant(text[:start] + misspelt + text[end:], text.count("\n", 0, start) + 1, operation, misspelt)
