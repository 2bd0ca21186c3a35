"""Examples found in the source: their kind, their file name and the text a reader copies."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass

from handbook.importer.layout import slug

SQL_START = re.compile(r"^\s*(select|create|with|insert|alter|msck)\b", re.I)
FLOW_LOG = re.compile(r"^\d+ \d{12} eni-")
SHELL_START = re.compile(r"^(aws|curl|sudo|python3?|bash|sh)\b")
FILE_NAME = re.compile(r"^[\w.-]+\.(json|sql|sh|log|txt)$")
EXTENSIONS = {"json": ".json", "sql": ".sql", "bash": ".sh", "sh": ".sh", "shell": ".sh", "console": ".sh"}


@dataclass
class Example:
    number: int  # source line of the opening fence
    code: str  # exactly what a reader copies, ending with a newline
    lead: str  # the paragraph before it ("" if none in its section)
    heading: str  # the heading of its section
    language: str = ""  # the fence's language, when the source names one

    @property
    def extension(self) -> str:
        found = self._by_content()
        # The content decides; a fence's language names what the content alone cannot
        # (a shell script that starts with a comment, say).
        return EXTENSIONS.get(self.language.lower(), found) if found == ".txt" else found

    def _by_content(self) -> str:
        first = self.code.lstrip()
        if first.startswith(("{", "[")):
            try:
                json.loads(self.code)
                return ".json"
            except ValueError:
                pass
        if SQL_START.match(first):
            return ".sql"
        if SHELL_START.match(first) or SHELL_START.match(uncommented(self.code)):
            return ".sh"
        if FLOW_LOG.match(first):
            return ".log"
        return ".txt"

    def name(self, given: str | None) -> str:
        """The snippet's file name: given, the file name the lead names, or words of the lead."""
        if given:
            return given if "." in given else given + self.extension
        lead = self.lead.strip().rstrip(":").strip()
        if FILE_NAME.match(lead):
            return lead
        first_sentence = re.split(r"(?<=[.:])\s", lead, maxsplit=1)[0] if lead else ""
        words = slug(first_sentence, words=5) or slug(self.heading, words=5) or "example"
        return words + self.extension


def uncommented(code: str) -> str:
    """The code from its first line that is neither blank nor a `#` comment."""
    lines = code.splitlines()
    return "\n".join(lines[next((n for n, line in enumerate(lines) if line.strip() and
                                   not line.lstrip().startswith("#")), len(lines)):])


def code_of(content: str) -> str:
    """Fence content as a file: common indentation and trailing blank lines removed."""
    text = textwrap.dedent(content).strip("\n")
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
