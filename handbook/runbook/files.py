"""Runbook mode over files: which files are read, what each gets, and the team's say over the result.

A path is a Markdown page (.md, .markdown), a shell script (.sh, .bash), a JSON or SQL file, or a
folder holding any of them (walked in name order). A file the configuration's `exclude` names is
not read, even when named on the command line (pre-commit names every changed file). Each file's
findings then pass through its suppressions (`suppression`) and the rules' configured levels
(`config.Config.leveled`), in that order: a suppression silences a finding whatever its level,
and a rule set `off` reports nothing, its suppressions included.
"""

from __future__ import annotations

from pathlib import Path

from handbook.examples import Finding, fences
from handbook.runbook import commands
from handbook.runbook.config import Config

MARKDOWN = (".md", ".markdown")
SHELL = (".sh", ".bash")
RUNBOOK_FILES = SHELL + (".json", ".sql")


def check(paths: list[Path], *, simulate: bool = False, config: Config | None = None) -> list[Finding]:
    """Every finding of runbook mode for `paths`, the team's configuration applied."""
    from handbook.runbook import blocks, documents, suppression

    config = config or Config()
    findings: list[Finding] = []
    files: dict[Path, None] = {}
    for path in map(Path, paths):
        if not path.exists():
            findings.append(Finding(str(path), 1, "path", "error", f"{path} does not exist.", rule="no-such-path"))
        elif path.is_file() and path.suffix in MARKDOWN + RUNBOOK_FILES:
            files.setdefault(path, None)
        elif path.is_dir() and (found := sorted(p for p in path.rglob("*") if p.is_file()
                                                and p.suffix in MARKDOWN + RUNBOOK_FILES)):
            files.update(dict.fromkeys(found))
        else:
            findings.append(Finding(str(path), 1, "path", "error",
                                    f"{path} holds no Markdown page and no example (.sh, .json, .sql).",
                                    rule="no-such-path"))
    with commands.conventions(config.placeholders):
        for file in files:
            if config.excluded(file):
                continue
            text = file.read_text(encoding="utf-8")
            found: list[Finding] = []
            page = []
            if file.suffix in MARKDOWN:
                page = fences.fences(text, indented=True)
                for block in page:
                    found += blocks.fence(file, block, simulate=simulate)
            elif file.suffix in SHELL:
                found += blocks.shell_file(file, simulate=simulate)
            elif file.suffix == ".json":
                found += documents.json_block(text, str(file), 1, {})
            else:
                found += documents.sql_block(text, str(file), 1, {})
            findings += suppression.apply(str(file), found, suppression.found(str(file), text, page))
    return config.leveled(findings)
