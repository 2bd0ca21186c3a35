"""Checkers for the handbook's examples, one module per kind.

Every checker returns a list of Finding; an empty list never means "passed":
a passing example yields one Finding with status "ok".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

STATUSES = ("ok", "error", "skipped")


@dataclass(frozen=True)
class Finding:
    path: str  # the file the example lives in
    line: int  # 1-based line of the example (or of the problem inside it)
    kind: str  # cli, json, sql, log, text, ...
    status: str  # ok, error or skipped
    message: str  # a sentence; for "ok" what was verified, for "skipped" why

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)
