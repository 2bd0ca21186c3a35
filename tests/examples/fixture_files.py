"""One fixture file per edge case, under tests/fixtures/<kind>/: read, checked, searched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from handbook import snippets

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass(frozen=True)
class FixtureFiles:
    kind: str  # the folder: json, sql, log
    checker: Callable  # check_json, check_sql, check_log
    default: Callable[[str], dict] = lambda name: {}  # declarations for a fixture without its own .yml
    full_path: bool = False  # the checker finds sibling snippets from the path it is given

    def fixture(self, name: str) -> snippets.Snippet:
        return snippets.Snippet(FIXTURES, f"{self.kind}/{name}")

    def check(self, name: str, declarations: dict | None = None, line: int = 1):
        snippet = self.fixture(name)
        decl = declarations if declarations is not None else (snippet.declarations or self.default(name))
        path = snippet.file if self.full_path else snippet.ref
        return self.checker(snippet.text, path=path, line=line, declarations=decl)

    def line_of(self, name: str, needle: str) -> int:
        for number, text in enumerate(self.fixture(name).text.splitlines(), 1):
            if needle in text:
                return number
        raise AssertionError(f"{needle!r} not in {name}")
