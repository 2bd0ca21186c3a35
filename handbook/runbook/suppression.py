"""Suppressions: a finding silenced where it stands, with the reason a reader can check.

In shell (a .sh file, or a shell fence of a Markdown page), a comment:

    aws ec2 describe-instances --filter Name=x   # handbook-check: ignore[unknown-option] our wrapper adds it
    # handbook-check: ignore[missing-required,invalid-enum] the next command is for awscli v2
    aws some-command \\
        --option value

A comment after a command covers that command; a comment on a line of its own covers the
command on the next line. A command covers all its lines (those its `\\` continuations and open
quotes join), because a finding may stand on any of them and a comment cannot stand between
them. In SQL (a .sql file or an sql fence) the comment starts with `--` instead of `#`.

In Markdown, an HTML comment on the line before a fence (blank lines between allowed) covers
the whole fence, whatever its language (JSON has no comments of its own):

    <!-- handbook-check: ignore[invalid-json] an excerpt of a policy, not a whole one -->

The reason is required: a suppression without one is itself an error (`suppression-without-reason`),
and still silences what it names, so the one error is about the missing reason. A rule id that
does not exist is an error (`unknown-rule`). A suppression that silences nothing is reported
(`unused-suppression`, a warning unless configured), as ruff reports an unused `noqa`: the
defect was fixed, or the comment stands on the wrong line. Only problems (errors and warnings)
are silenced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook.examples import Finding
from handbook.runbook import rules

MARK = r"handbook-check:\s*ignore\[(?P<rules>[^\]]*)\][ \t]*(?P<reason>.*?)"
SHELL = re.compile(r"(?:^|[ \t])#[ \t]*" + MARK + r"[ \t]*$")
SQL = re.compile(r"(?:^|[ \t])--[ \t]*" + MARK + r"[ \t]*$")
HTML = re.compile(r"^[ \t]*<!--[ \t]*" + MARK + r"[ \t]*-->[ \t]*$")
SHELL_FILES = (".sh", ".bash")
SQL_FENCES = {"sql", "athena", "presto", "trino"}
NO_COMMENTS = {"json", "jsonc", "json5"}


@dataclass
class Suppression:
    line: int  # where it is written
    rules: tuple[str, ...]
    reason: str
    covers: tuple[int, int]  # the first and last line whose findings it silences
    used: set = field(default_factory=set)  # the rules it silenced a finding of
    misplaced: str = ""  # why it covers nothing, when it cannot (an HTML comment with no fence after it)


def found(path: str, text: str, blocks=()) -> list[Suppression]:
    """Every suppression of a file: `blocks` are a Markdown page's fences (handbook.examples.fences)."""
    lines = text.split("\n")
    if path.endswith(SHELL_FILES):
        return _in_code(lines, 1, len(lines), SHELL)
    if path.endswith(".sql"):
        return _in_code(lines, 1, len(lines), SQL)
    if not blocks:
        return []
    suppressions = []
    for block in blocks:
        first, last = block.first_line, block.last_line - (0 if block.indented else 1)
        if block.language not in NO_COMMENTS:
            suppressions += _in_code(lines, first, last, SQL if block.language in SQL_FENCES else SHELL)
    inside = {n for block in blocks for n in range(block.line, block.last_line + 1)}
    openings = {block.line: block for block in blocks}
    for number, line in enumerate(lines, 1):
        if number in inside or not (mark := HTML.match(line)):
            continue
        after = next((n for n in range(number + 1, len(lines) + 1) if lines[n - 1].strip()), None)
        block = openings.get(after)
        covers = (block.line, block.last_line) if block else (number, number)
        suppressions.append(_suppression(number, mark, covers))
        if block is None:
            suppressions[-1].misplaced = "no fence follows it (an HTML comment covers the fence right after it)"
    return suppressions


def _in_code(lines: list[str], first: int, last: int, pattern: re.Pattern) -> list[Suppression]:
    """Comment suppressions in lines first..last (1-based) of shell or SQL."""
    spans = _commands(lines, first, last, comment="--" if pattern is SQL else "#")
    found = []
    for number in range(first, last + 1):
        mark = pattern.search(lines[number - 1])
        if not mark:
            continue
        alone = not lines[number - 1][:mark.start()].strip()
        target = number
        if alone:  # covers the next command
            target = next((n for n in range(number + 1, last + 1) if lines[n - 1].strip()
                           and not pattern.search(lines[n - 1])), number)
        span = next(((a, b) for a, b in spans if a <= target <= b), (target, target))
        found.append(_suppression(number, mark, span))
    return found


def _commands(lines: list[str], first: int, last: int, comment: str) -> list[tuple[int, int]]:
    """The lines each command spans: joined by a `\\` at the end of a line or a quote left open."""
    from handbook.runbook.blocks import open_quote

    spans, start, quote = [], None, None
    for number in range(first, last + 1):
        line = lines[number - 1]
        if start is None:
            if not line.strip() or line.lstrip().startswith(comment):
                continue
            start = number
        quote = open_quote(line, quote) if comment == "#" else None
        if quote is None and not line.rstrip().endswith("\\"):
            spans.append((start, number))
            start = None
    if start is not None:
        spans.append((start, last))
    return spans


def _suppression(line: int, mark: re.Match, covers: tuple[int, int]) -> Suppression:
    named = tuple(r.strip() for r in mark.group("rules").split(",") if r.strip())
    return Suppression(line, named, mark.group("reason").strip(), covers)


def apply(path: str, findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """`findings` less those a suppression silences, and the suppressions' own problems."""
    if not suppressions:
        return findings
    kept = []
    for finding in findings:
        rule = rules.of(finding) if finding.status in ("error", "warning") else None
        silencing = next((s for s in suppressions if rule in s.rules and s.covers[0] <= finding.line <= s.covers[1]),
                         None) if rule else None
        if silencing is None:
            kept.append(finding)
        else:
            silencing.used.add(rule)
    for s in suppressions:
        written = f"handbook-check: ignore[{','.join(s.rules)}]"
        unknown = [r for r in s.rules if r not in rules.RULES]
        if not s.rules or unknown:
            kept.append(Finding(path, s.line, "text", "error",
                                f"{written} names {'no rule' if not s.rules else ', '.join(unknown)}"
                                f"{'' if not s.rules else ', which is not a rule of handbook check'}: "
                                "`handbook check --rules` lists them.", rule="unknown-rule"))
        if not s.reason:
            kept.append(Finding(path, s.line, "text", "error",
                                f"{written} gives no reason: write after it why this is not a defect, for the "
                                "next reader.", rule="suppression-without-reason"))
        unused = [r for r in s.rules if r in rules.RULES and r not in s.used]
        if unused:
            where = f"line {s.covers[0]}" if s.covers[0] == s.covers[1] else f"lines {s.covers[0]}-{s.covers[1]}"
            why = s.misplaced or f"no {', '.join(unused)} finding on {where}"
            kept.append(Finding(path, s.line, "text", "warning",
                                f"{written} silences nothing: {why}. "
                                "Remove it, or move it to the line the finding is on.", rule="unused-suppression"))
    return sorted(kept, key=lambda f: f.line)
