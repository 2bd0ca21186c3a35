"""The source handbook as units of text: every sentence, list item, heading and code line.

Used to prove that nothing of the source is lost on its way into the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from handbook.importer.document import HEADING_LINK, LIST_MARKER
from handbook.importer.repair import repair

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(`*\"'])")


@dataclass(frozen=True)
class Unit:
    line: int  # source line where the unit's block starts
    last: int  # source line where it ends
    kind: str  # text or code
    text: str


def normal(text: str) -> str:
    """Text compared as a reader sees it: one space between words."""
    return " ".join(text.split())


def units(text: str) -> list[Unit]:
    lines = repair(text)
    tokens = MarkdownIt("commonmark").parse("\n".join(line.text for line in lines))
    found: list[Unit] = []
    for tok in tokens:
        if tok.map is None:
            continue
        first, last = lines[tok.map[0]].number, lines[max(tok.map[0], tok.map[1] - 1)].number
        if tok.type == "inline":
            plain = "".join(
                " " if c.type in ("softbreak", "hardbreak") else c.content
                for c in tok.children
                if c.type in ("text", "code_inline", "html_inline", "softbreak", "hardbreak")
            )
            plain = HEADING_LINK.sub(lambda m: m["label"], plain)
            for sentence in SENTENCE_END.split(normal(plain)):
                if sentence:
                    found.append(Unit(first, last, "text", sentence))
        elif tok.type == "fence":
            for line in tok.content.splitlines():
                if line.strip():
                    found.append(Unit(first, last, "code", normal(line)))
        elif tok.type == "code_block":  # indented prose: the import makes its lines list items
            for line in tok.content.splitlines():
                if line.strip():
                    found.append(Unit(first, last, "text", normal(LIST_MARKER.sub("", line))))
    return found
