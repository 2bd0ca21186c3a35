"""Checkers for the handbook's examples, one module per kind.

Every checker returns a list of Finding; an empty list never means "passed":
a passing example yields one Finding with status "ok".

A finding that is a problem names its rule (`rule`, an id of `handbook.runbook.rules`, e.g.
`unknown-option`) where the checker knows which one; the kind's own rule stands in otherwise.
`subject` is the text the finding is about (an aws command, whitespace normalised), what keeps
its identity when lines move (SARIF fingerprints). `fix`, where the correction is unambiguous
(the single close choice awscli's choices offer, a stray space after a `\\`), says what to write.
A `warning` is an error a team's configuration chose not to fail on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

STATUSES = ("ok", "error", "warning", "skipped")


@dataclass(frozen=True)
class Fix:
    """Replace `old` by `new` on `line` of the finding's file (`old` must occur there once);
    an empty `old` appends `new` to the line (the `\\` a continued command lost)."""

    line: int
    old: str
    new: str
    description: str


@dataclass(frozen=True)
class Finding:
    path: str  # the file the example lives in
    line: int  # 1-based line of the example (or of the problem inside it)
    kind: str  # cli, json, sql, log, text, ...
    status: str  # ok, error, warning or skipped
    message: str  # a sentence; for "ok" what was verified, for "skipped" why
    rule: str = ""  # for a problem: the rule it breaks (handbook.runbook.rules)
    subject: str = ""  # the command (or line) it is about, whitespace normalised
    fix: Fix | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.path}:{self.line}: {self.kind}: {self.message}{rule}"

    def shifted(self, by: int) -> Finding:
        """The same finding `by` lines further down (a fence's line in its page), its fix too."""
        from dataclasses import replace

        fix = replace(self.fix, line=self.fix.line + by) if self.fix else None
        return replace(self, line=self.line + by, fix=fix)

    def as_dict(self) -> dict:
        """The finding as `--format json` writes it: `rule` and `fix` only when it has them."""
        found = asdict(self)
        del found["subject"]
        return {key: value for key, value in found.items() if value or key not in ("rule", "fix")}
