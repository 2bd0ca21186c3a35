"""`handbook check PATH...`: the suite's example checks, for any Markdown file or snippet folder.

Each PATH is one of:

- a project: a folder holding snippets/ (and docs/): every snippet and every page;
- a snippet folder (snippets/, or any folder of <page>/<name>.<ext> files): every snippet in it;
- a folder of Markdown pages: every page in it;
- a Markdown file (a team's own runbook, say): its inline fenced examples, each declaring what
  a snippet's <name>.yml would as fence attributes, and the snippets it includes with
  `{{ snippet("...") }}`, found in the snippets/ folder of the nearest folder above it;
- one snippet file.

Two modes:

- strict, for a handbook project (a folder holding mkdocs.yml and snippets/, or anything under
  one; `--strict` anywhere): the checks of the suite (`handbook.examples.verify`), the same
  checkers, the same simulation, the same recorded output. A snippet that no page includes is
  an error when its project has a docs/ folder and the whole project or snippet folder is checked.
- runbook, for everything else (`--runbook` anywhere): a team's runbook checked for what it is,
  every aws command on its own, placeholders standing for values, nothing simulated unless
  declared or asked with `--simulate` (`handbook.runbook`). In a folder, every Markdown
  page and every .sh, .json and .sql file.

Output (`--format`): `text`, one `path:line: kind: message` line per error on stdout and a
count on stderr; `json` (or `--json`), a JSON array of every finding ({path, line, kind, status,
message}, status ok, error or skipped); `sarif`, a SARIF 2.1.0 log (`handbook.runbook.sarif`) for
code-scanning tools. The exit code is 0 when nothing fails, 1 when any finding is an error (or a
warning, with `--fail-on warning`), 2 when the command line or the configuration is wrong.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from handbook import snippets as layout
from handbook.examples import Finding, fences

MARKDOWN = (".md", ".markdown")


@dataclass
class Plan:
    """What to check, each item once."""

    snippets: dict = field(default_factory=dict)  # file -> (Snippet, Project)
    pages: dict = field(default_factory=dict)  # file -> Project


def plan(paths: list[Path], *, update: bool = False) -> tuple[Plan, list[Finding]]:
    """The snippets and pages under `paths`; a path that is neither is a finding."""
    from handbook.examples import verify  # strict mode's: runbook mode starts without it

    found, problems = Plan(), []

    def add_snippets(root: Path, project: verify.Project) -> None:  # every snippet of a snippet folder
        for example in layout.find(root):
            found.snippets.setdefault(example.file.resolve(), (example, project))

    def add_pages(folder: Path, project: verify.Project) -> None:
        for page in sorted(p for p in folder.rglob("*") if p.suffix in MARKDOWN and p.is_file()):
            found.pages.setdefault(page.resolve(), project)

    for path in map(Path, paths):
        if not path.exists():
            problems.append(Finding(str(path), 1, "path", "error", f"{path} does not exist."))
        elif path.is_file() and path.suffix in MARKDOWN:
            found.pages.setdefault(path.resolve(), verify.Project.around(path.parent, update=update))
        elif path.is_file() and path.suffix in layout.KINDS:
            root = snippet_root(path)
            example = layout.Snippet(root, path.resolve().relative_to(root.resolve()).as_posix())
            found.snippets.setdefault(path.resolve(), (example, verify.Project(root, update=update)))
        elif path.is_dir() and (path / "snippets").is_dir():  # a project
            project = verify.Project(path / "snippets", _docs_beside(path / "snippets"), update=update)
            add_snippets(path / "snippets", project)
            if project.docs:
                add_pages(project.docs, verify.Project(project.snippets, update=update))
        elif path.is_dir() and (examples := _examples_in(path)):  # a snippet folder, or one page's folder
            root = snippet_root(examples[0])
            project = verify.Project(root, _docs_beside(root) if path.resolve() == root else None, update=update)
            for file in examples:
                example = layout.Snippet(root, file.relative_to(root).as_posix())
                found.snippets.setdefault(file, (example, project))
        elif path.is_dir() and any(p.suffix in MARKDOWN for p in path.rglob("*")):
            add_pages(path, verify.Project.around(path, update=update))
        else:
            problems.append(Finding(str(path), 1, "path", "error",
                                    f"{path} holds no Markdown page and no example (.sh, .json, .sql, .log, .txt)."))
    return found, problems


def snippet_root(path: Path) -> Path:
    """The snippet folder a snippet file belongs to: the nearest one named snippets, else its page's parent."""
    for folder in Path(path).resolve().parents:
        if folder.name == "snippets":
            return folder
    return Path(path).resolve().parent.parent


def _examples_in(folder: Path) -> list[Path]:
    """The example files under `folder` (its .yml and .output files are sidecars, not examples)."""
    return sorted(p.resolve() for p in Path(folder).rglob("*") if p.is_file() and p.suffix in layout.KINDS)


def _docs_beside(snippets: Path) -> Path | None:
    docs = Path(snippets).resolve().parent / "docs"
    return docs if docs.is_dir() and Path(snippets).resolve().name == "snippets" else None


MODES = ("auto", "strict", "runbook")


def is_handbook(path: Path) -> bool:
    """Whether `path` lies in a handbook project: a folder above it holds mkdocs.yml and snippets/."""
    path = Path(path).resolve()
    return any((folder / "mkdocs.yml").is_file() and (folder / "snippets").is_dir()
               for folder in [path, *path.parents])


def run(paths: list[Path], *, update: bool = False, mode: str = "auto", simulate: bool = False,
        config=None) -> list[Finding]:
    """Every finding for `paths`: strict for a handbook project's, runbook mode for the others
    (`config`, a handbook.runbook.config.Config; None: the nearest configuration file's)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    strict = [p for p in map(Path, paths) if mode == "strict" or (mode == "auto" and is_handbook(p))]
    loose = [p for p in map(Path, paths) if p not in strict]
    findings = run_strict(strict, update=update) if strict else []
    return findings + (run_runbooks(loose, simulate=simulate, config=config) if loose else [])


def run_runbooks(paths: list[Path], *, simulate: bool = False, config=None) -> list[Finding]:
    """Runbook mode (`handbook.runbook.files`) for Markdown pages and .sh/.json/.sql files, with the
    team's configuration (`handbook.runbook.config`: the nearest one when `config` is None)."""
    # Checking imports and builds much that lives to the end (awscli, its driver, models and
    # tables) and leaves little garbage (~8 KB an aws command): CPython's collector, walking the
    # new objects every 700, took a fifth of a cold check (bench/runbook.py). Off for the check.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from handbook.runbook import config as settings
        from handbook.runbook import files

        if config is None:
            config = settings.load(settings.find(common_folder(paths)))
        return [_relative(f) for f in files.check(paths, simulate=simulate, config=config)]
    finally:
        if collecting:
            gc.enable()


def common_folder(paths: list[Path]) -> Path:
    """The folder every path lies in (where a configuration is looked for, walking up)."""
    import os

    resolved = [Path(p).resolve() for p in paths] or [Path.cwd()]
    common = Path(os.path.commonpath(resolved))
    return common if common.is_dir() else common.parent


def run_strict(paths: list[Path], *, update: bool = False) -> list[Finding]:
    """Every finding for `paths`, snippets first, each snippet checked once."""
    from handbook.examples import verify

    found, findings = plan(paths, update=update)
    included_by_pages: dict[Path, verify.Project] = {}
    for page, project in found.pages.items():
        text = page.read_text(encoding="utf-8")
        blocks = fences.fences(text)
        for block in blocks:
            findings += verify.fence(page, block, project)
        for call in layout.calls(text):
            if any(b.start <= call.start < b.end for b in blocks):
                continue  # a call shown as code, not made
            result = verify.call(page, call, project)
            findings.append(result)
            if result.status == "ok":
                included_by_pages[(project.snippets / call.ref).resolve()] = project
    for file, project in included_by_pages.items():
        if file not in found.snippets:
            root = project.snippets
            found.snippets[file] = (layout.Snippet(root, file.relative_to(root.resolve()).as_posix()), project)
    for example, project in found.snippets.values():
        findings += verify.snippet(example, project)
    return [_relative(f) for f in findings]


def _relative(finding: Finding) -> Finding:
    path = Path(finding.path)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return replace(finding, path=path.relative_to(Path.cwd()).as_posix())
    return finding


FORMATS = ("text", "json", "sarif")


EXIT = {"clean": 0, "failed": 1, "usage": 2}  # documented in the README (Check a runbook)


def report(findings: list[Finding], *, as_json: bool = False, format: str = "text", out=None, err=None,
           fail_on: str = "error") -> int:
    """Print the findings; 1 when any is an error (or, with fail_on="warning", a warning), else 0."""
    out, err = out or sys.stdout, err or sys.stderr
    problems = [f for f in findings if f.status in ("error", "warning")]
    format = "json" if as_json else format
    if format == "sarif":
        from handbook.runbook import sarif

        json.dump(sarif.log(findings), out, indent=2)
        out.write("\n")
    elif format == "json":
        json.dump([f.as_dict() for f in findings], out, indent=2)
        out.write("\n")
    else:
        for finding in problems:
            out.write(f"{finding}\n" if finding.status == "error" else
                      f"{finding.path}:{finding.line}: {finding.kind}: warning: {finding.message} [{finding.rule}]\n")
    counts = {status: sum(f.status == status for f in findings) for status in ("ok", "error", "warning", "skipped")}
    warned = f", {counts['warning']} warning(s)" if counts["warning"] else ""
    err.write(f"{len(findings)} finding(s): {counts['ok']} ok, {counts['error']} error(s){warned}, "
              f"{counts['skipped']} skipped\n")
    failing = ("error",) if fail_on == "error" else ("error", "warning")
    return EXIT["failed"] if any(f.status in failing for f in findings) else EXIT["clean"]
