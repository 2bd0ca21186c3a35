"""Verify one example, whatever its kind: a snippet file, an inline fence, or a page's snippet call.

The checkers of `handbook.examples` each know one kind; this module chooses the checker,
gives it the example's declarations, and for a CLI example goes on to the simulation:

    .sh    cli: the shell, synopsis, placeholder and file checks (`cli.prepare`); then one
           in-process awscli run against moto extended by `handbook.simulation`, after the
           setup its `<name>.yml` declares. That run parses and validates the command as a
           parse-only run would (a command awscli or botocore refuses never reaches moto), so
           `cli.check` judges it, with the model checks; its output must then match
           `<name>.output` (`recording`).
           An example listed in snippets/model-only.yml is checked against the API model
           only, and must still fail to run: once simulated AWS runs it, it leaves the list.
           With `kind: shell` it is a shell example, read and never run (`shell`).
    .json  json: against the API shape or log format its `schema:` names (`shapes`)
    .sql   sql: parsed as Athena SQL, tables created and queries run in DuckDB (`sql`)
    .log   log, and .txt with a `format:`: VPC Flow Logs records or field list (`flowlog`)

Every function returns Findings (never an empty list); the suite, `handbook check` and the
benchmark all call these, so the three can never disagree.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
from pathlib import Path
from typing import Mapping

from handbook import aws  # first: awscli must be imported before botocore, boto3 and moto
from handbook import snippets as layout
from handbook.errors import HandbookError
from handbook.examples import Finding, cli, flowlog, recording, shapes, shell, sql, status
from handbook.examples.fences import Fence

# What a <name>.yml may declare, by the example's kind (a misspelt key is an error, not ignored).
DECLARATIONS = {
    "cli": {"placeholders", "setup", "added", "reveals", "then"},
    "shell": {"kind", "not-executed"},
    "json": {"schema", "allow"},
    "sql": {"requires", "expect_rows", "sample_data", "partitions_added_by"},
    "log": {"format", "fields"},
    "text": {"format", "fields"},
}
# Fence languages that hold examples, and the kind each is checked as.
LANGUAGES = {"bash": "cli", "sh": "cli", "shell": "cli", "json": "json", "sql": "sql"}


class Project:
    """What verifying needs beyond the example: its snippet folder, the pages, the runner.

    `snippets` is the folder holding <page>/<name>.<ext> (and placeholders.yml, model-only.yml);
    `docs`, when given, is the folder of pages, so that a snippet no page includes is an error.
    """

    def __init__(self, snippets: Path | None, docs: Path | None = None, *, update: bool = False):
        self.snippets = Path(snippets) if snippets else None
        self.docs = Path(docs) if docs else None
        self.update = update
        self.results: dict[str, str] = {}  # ref -> "ok", "error" or "skipped": what this run found

    @functools.cached_property
    def placeholders(self) -> dict:
        return cli.load_placeholders(self.snippets) if self.snippets else {}

    @functools.cached_property
    def model_only(self) -> dict[str, str]:
        return layout.model_only(self.snippets) if self.snippets else {}

    @functools.cached_property
    def included(self) -> dict | None:
        return layout.included(self.docs) if self.docs else None

    @property
    def runner(self) -> aws.AwsCli:
        return simulation_runner()

    @classmethod
    def around(cls, path: Path, *, update: bool = False) -> "Project":
        """The project a path belongs to: the nearest folder above it holding snippets/."""
        path = Path(path).resolve()
        for folder in [path, *path.parents]:
            if (folder / "snippets").is_dir():
                docs = folder / "docs"
                return cls(folder / "snippets", docs if docs.is_dir() else None, update=update)
        return cls(None, update=update)


# Verifying examples allocates a lot over a large, long-lived heap (service models, moto's
# backends): with Python's default thresholds the cyclic collector rescans that heap so often
# that it takes about 40% of the time. Fewer, larger young collections; nothing is kept alive.
GC_THRESHOLDS = (20_000, 20, 20)


@functools.lru_cache(maxsize=1)
def simulation_runner() -> aws.AwsCli:
    """The process's awscli runner, with moto extended by handbook.simulation (once)."""
    from handbook import simulation

    simulation.register()
    gc.set_threshold(*GC_THRESHOLDS)
    return aws.shared(simulation=True)


# --------------------------------------------------------------------------------------------
# Snippet files


def snippet(example: layout.Snippet, project: Project) -> list[Finding]:
    """Findings for one snippet file: its kind's checks, inclusion by a page, stale sidecars."""
    path = str(example.file)
    try:
        declarations = example.declarations
        model_only = project.model_only
        placeholders = project.placeholders
    except HandbookError as problem:
        return [_error(problem, example.kind)]
    kind = "shell" if status.is_shell(example, declarations) else example.kind
    findings = _declaration_problems(example, declarations, kind)
    if kind == "shell":
        findings += shell.check(example.text, path=path, declarations=declarations)
    elif kind == "cli":
        findings += _cli(example, declarations, placeholders, model_only.get(example.ref), project)
    elif kind == "json":
        findings += shapes.check_json(example.text, path=path, line=1, declarations=declarations)
    elif kind == "sql":
        findings += sql.check_sql(example.text, path=path, line=1, declarations=declarations)
    else:
        findings += flowlog.check_log(example.text, path=path, line=1, declarations=declarations)
    if kind != "cli" and example.output.exists():
        findings.append(Finding(str(example.output), 1, kind, "error",
                                f"{example.output.name} records output, but only a CLI example run against "
                                "simulated AWS has any: delete the file."))
    if kind != "cli" and example.ref in model_only:
        findings.append(Finding(str(example.root / layout.MODEL_ONLY), 1, kind, "error",
                                f"{example.ref} is listed in {layout.MODEL_ONLY}, which is for aws commands only."))
    if project.included is not None and example.ref not in project.included:
        findings.append(Finding(path, 1, kind, "error",
                                f"no page includes this example: add {{{{ snippet(\"{example.ref}\") }}}} "
                                f"where it belongs in {project.docs.name}/, or delete the file."))
    findings = _ordered(findings)
    statuses = {f.status for f in findings}
    project.results[example.ref] = "error" if "error" in statuses else "ok" if "ok" in statuses else "skipped"
    return findings


def _declaration_problems(example: layout.Snippet, declarations: Mapping, kind: str) -> list[Finding]:
    where = example.sidecar(".yml")
    allowed = DECLARATIONS[kind]
    problems = []
    if declarations.get("kind") not in (None, "shell") or ("kind" in declarations and example.kind != "cli"):
        problems.append(Finding(str(where), _line_in(where, "kind:"), kind, "error",
                                f"`kind: {declarations['kind']}` is not a kind of example here: only a .sh "
                                "example may declare `kind: shell`."))
    for key in declarations:
        if key not in allowed and key != "kind":
            problems.append(Finding(str(where), _line_in(where, f"{key}:"), kind, "error",
                                    f"{where.name} declares {key!r}, which a {kind} example does not use; "
                                    f"it may declare {', '.join(sorted(allowed))}."))
    return problems


def _cli(example: layout.Snippet, declarations, placeholders, model_only_reason, project) -> list[Finding]:
    """Checked and simulated in one awscli run: the run parses and validates as a parse would."""
    runner = project.runner
    path = str(example.file)
    files = cli.sibling_files(example)

    def checked(run: aws.Run | None) -> list[Finding]:
        how = f"`kind: shell` and `not-executed: <reason>` in {example.sidecar('.yml').name}"
        return [_hint_shell(f, how) for f in cli.check(example.text, path=path, placeholders=placeholders,
                                                       declarations=declarations, files=files, runner=runner,
                                                       run=run)]

    prepared = cli.prepare(example.text, path=path, placeholders=placeholders, declarations=declarations,
                           files=files)
    if prepared.errors or not prepared.runnable:
        return checked(None)
    try:
        run = cli.simulate_snippet(example, placeholders=placeholders, runner=runner)
    except HandbookError as problem:  # the setup failed: still say what the command itself is like
        return checked(None) + [_error(problem, cli.KIND)]
    except aws.NetworkBlocked as blocked:
        return checked(None) + [_blocked(path, 1, blocked)]
    findings = checked(run)
    if any(f.status == "error" for f in findings):
        return findings
    if model_only_reason is not None:
        listed = str(example.root / layout.MODEL_ONLY)
        if run.ok:
            return findings + [Finding(listed, _line_in(Path(listed), f"{example.ref}:"), cli.KIND, "error",
                                       f"simulated AWS runs {example.ref} now: remove it from "
                                       f"{layout.MODEL_ONLY} and record its output ({recording.HOW_TO_RECORD}).")]
        stale = [Finding(str(example.output), 1, cli.KIND, "error",
                         f"{example.output.name} records output of an example that simulated AWS "
                         "cannot run: delete the file.")] if example.output.exists() else []
        return findings + stale + [Finding(path, 1, cli.KIND, "skipped",
                                           f"not run against simulated AWS, checked against the API model "
                                           f"only: {model_only_reason} (the run says: {run.message})")]
    if not run.ok:
        return findings + [Finding(path, 1, cli.KIND, "error",
                                   f"the example fails against simulated AWS (exit code {run.exit_code}): "
                                   f"{_sentence(run.message)} Declare what it needs under `setup:` in "
                                   f"{example.sidecar('.yml').name}, or list it with the reason in "
                                   f"{layout.MODEL_ONLY} if simulated AWS cannot run it.")]
    compared = recording.compare(example.output, run.stdout, update=project.update)
    steps = len(declarations.get("setup") or [])
    ran = f"it runs against simulated AWS after {steps} setup step{'' if steps == 1 else 's'}"
    return findings + [Finding(path if compared.status == "ok" else str(example.output), 1, cli.KIND,
                               compared.status, f"{ran}; {compared.message}.")]


# --------------------------------------------------------------------------------------------
# Pages


def call(page: Path, found: layout.Call, project: Project) -> Finding:
    """A page's snippet call: the snippet it names must exist."""
    if project.snippets is None:
        return Finding(str(page), found.line, "page", "error",
                       f"snippet {found.ref!r} is called, but no snippets/ folder is found above {page}.")
    try:
        example = layout.load(project.snippets, found.ref, where=(page, found.line))
    except HandbookError as problem:
        return _error(problem, "page")
    return Finding(str(page), found.line, "page", "ok", f"includes {example.ref}, a {example.kind} example.")


def fence(page: Path, block: Fence, project: Project) -> list[Finding]:
    """Findings for a fenced example left inline in a page, its declarations in its info string."""
    path = str(page)
    declarations = dict(block.declarations)
    shell_kind = declarations.get("kind") == "shell"
    kind = "shell" if shell_kind else LANGUAGES.get(block.language) or ("log" if "format" in declarations else None)
    if block.problems:
        return [Finding(path, block.line, kind or "text", "error", f"{p}.") for p in block.problems]
    if kind is None:
        what = f"a {block.language} block" if block.language else "a block with no language"
        return [Finding(path, block.line, "text", "skipped",
                        f"{what} is not an example kind the handbook checks (bash, json, sql, or a "
                        "declared log format).")]
    unknown = sorted(set(declarations) - DECLARATIONS[kind] - {"kind"})
    if unknown:
        return [Finding(path, block.line, kind, "error",
                        f"the fence declares {', '.join(unknown)}, which a {kind} example does not use; "
                        f"it may declare {', '.join(sorted(DECLARATIONS[kind]))}.")]
    first = block.first_line
    if kind == "shell":
        return shell.check(block.text, path=path, line=first, declarations=declarations)
    if kind == "json":
        return shapes.check_json(block.text, path=path, line=first, declarations=declarations)
    if kind == "sql":
        return sql.check_sql(block.text, path=path, line=first, declarations=declarations)
    if kind == "log":
        return flowlog.check_log(block.text, path=path, line=first, declarations=declarations)
    return _inline_cli(page, block, declarations, project)


def _inline_cli(page: Path, block: Fence, declarations: dict, project: Project) -> list[Finding]:
    path = str(page)
    try:
        placeholders = project.placeholders
    except HandbookError as problem:
        return [_error(problem, cli.KIND)]
    files = {p.name: p for p in sorted(page.parent.iterdir()) if p.is_file() and p != page}
    shifted = [_hint_shell(_shift(f, path, block.line), 'the fence attributes kind="shell" and not-executed="<reason>"')
               for f in cli.check(
        block.text, path=path, placeholders=placeholders, declarations=declarations, files=files,
        runner=project.runner)]
    if any(f.status == "error" for f in shifted):
        return shifted
    try:
        run = cli.simulate(block.text, path=path, setup=declarations.get("setup") or [],
                           placeholders=placeholders, declarations=declarations, files=files,
                           runner=project.runner, setup_file=page)
    except HandbookError as problem:
        return shifted + [Finding(path, block.first_line, cli.KIND, "error", problem.message)]
    except aws.NetworkBlocked as blocked:
        return shifted + [_blocked(path, block.first_line, blocked)]
    if not run.ok:
        return shifted + [Finding(path, block.first_line, cli.KIND, "error",
                                  f"the example fails against simulated AWS (exit code {run.exit_code}): "
                                  f"{_sentence(run.message)} Declare what it needs as the fence's setup attribute.")]
    return shifted + [Finding(path, block.first_line, cli.KIND, "ok",
                              "it runs against simulated AWS; an inline example has no recorded output "
                              "to compare (a snippet file has).")]


# --------------------------------------------------------------------------------------------


def _shift(finding: Finding, path: str, opening_line: int) -> Finding:
    """A finding about the fence's content, moved from content lines to page lines."""
    if finding.path != path:
        return finding
    return dataclasses.replace(finding, line=opening_line + finding.line)


def _hint_shell(finding: Finding, how: str) -> Finding:
    """A command that is not `aws` may be a shell example: say how to declare one."""
    if finding.status == "error" and finding.message.endswith(", not 'aws'."):
        return dataclasses.replace(finding, message=finding.message[:-1] + f"; if it is a shell example that "
                                   f"must not be run, declare {how}.")
    return finding


def _blocked(path: str, line: int, blocked: aws.NetworkBlocked) -> Finding:
    return Finding(path, line, cli.KIND, "error", f"the guard stopped a request that would have left the "
                                                  f"machine, so the example was not run: {blocked}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _error(problem: HandbookError, kind: str) -> Finding:
    return Finding(problem.path, problem.line or 1, kind, "error", problem.message)


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first; an "ok" next to an error would only confuse."""
    errors = [f for f in findings if f.status == "error"]
    return errors or findings


def _line_in(path: Path, needle: str) -> int:
    try:
        for number, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if text.lstrip().startswith(needle):
                return number
    except OSError:
        pass
    return 1
