"""Runbook mode: a team's runbook checked as its readers will use it, with no false alarms.

The handbook's own snippets are strict (`handbook.examples.verify`): one command a file,
every placeholder declared, every command run against simulated AWS and its output recorded.
A runbook nobody here wrote declares none of that, and must not drown its real defects in
findings about what it never promised. Runbook mode (the default of `handbook check` outside a
handbook project, `--runbook` anywhere) checks every example for what it is:

shell (fences `bash`, `sh`, `shell`, `zsh`, `console`; fences with no language or `text`
    whose lines begin with `aws ` or `$ aws `; `.sh` files)
    The shell is parsed, never run (`commands`, tree-sitter): a syntax error is reported at
    its line. Every `aws` invocation in it is checked on its own, at its own line:
    - placeholders stand for a value of the option's type (`placeholders`) and are named in
      the `ok` finding; one placeholder may fill two options (a runbook often means that);
    - `--profile` is accepted and dropped (no configuration is read), `--region` and
      `--endpoint-url` are passed on; `--query` is compiled with jmespath;
    - `file://NAME` is read when NAME is beside the runbook; otherwise it stands for a value of
      the option's type (for `--cli-input-json`, the operation's required input), with a note;
      a local source of `s3 cp/mv/sync` the reader has is replaced by an empty one, with a note;
    - then awscli parses the command and botocore validates the parameters
      (`handbook.aws.AwsCli.parse`: nothing is sent), with the enum and embedded-JSON checks
      of strict mode (`cli._model_problems`).
    Nothing runs against simulated AWS unless the fence declares `setup` or `--simulate` is
    given; then a run without setup that fails because the empty account lacks a resource is
    `skipped` with that reason, not an error.
JSON
    Parsed (comments, trailing commas and other syntax errors are errors with their line);
    its shape is checked only when the fence declares `schema`.
SQL
    Parsed as Athena SQL statement by statement; a collection of queries separated by blank
    lines instead of `;` is read as such. Run in DuckDB only when `expect_rows` is declared.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handbook import aws  # first: awscli must be imported before botocore
from botocore import xform_name
from handbook.errors import HandbookError
from handbook.examples import Finding, cli, commands, jsontext, placeholders, shapes, sql
from handbook.examples.fences import Fence

SHELL_LANGUAGES = {"bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal"}
LOOSE_LANGUAGES = {"", "text", "txt", "plain", "plaintext", "console", "shell-session", "terminal"}
JSON_LANGUAGES = {"json", "jsonc", "json5"}
SQL_LANGUAGES = {"sql", "athena", "presto", "trino"}
# Global options that take no value (every other global option takes one).
GLOBAL_FLAGS = {"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager",
                "--cli-auto-prompt", "--no-cli-auto-prompt", "--version"}
S3_TRANSFERS = {"cp", "mv", "sync"}
CLI_V2_OUTPUTS = {"yaml", "yaml-stream"}  # AWS CLI v2's output formats; v1 has json, text, table
# Commands only AWS CLI v2 has (the CLI most runbooks are written for today); the check carries
# awscli 1.x, the one on PyPI, whose parser cannot judge them: skipped, not called wrong.
CLI_V2_ONLY = {("logs", "tail"), ("sso", "login"), ("configure", "sso"), ("configure", "sso-session"),
               ("configure", "export-credentials"), ("configure", "list-profiles"), ("configure", "import"),
               ("ddb", "put"), ("ddb", "select")}


@dataclass
class Context:
    """What checking one file in runbook mode needs."""

    path: str
    base: Path  # the folder beside the runbook: where file://NAME is looked for
    simulate: bool = False
    runner: aws.AwsCli | None = None
    _scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def scratch(self) -> Path:
        """Where stand-ins are written and where awscli runs; gone when the file is checked."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="handbook-runbook-")
        return Path(self._scratch.name)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *_) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    @property
    def cli(self) -> aws.AwsCli:
        if self.runner is None:
            self.runner = aws.shared()
        return self.runner


# --------------------------------------------------------------------------------------------
# Fences and files


def fence(page: Path, block: Fence, *, simulate: bool = False, runner: aws.AwsCli | None = None) -> list[Finding]:
    """Findings for one fenced block of a runbook page."""
    with Context(str(page), Path(page).parent, simulate, runner) as context:
        return _fence(block, context)


def _fence(block: Fence, context: Context) -> list[Finding]:
    path = context.path
    declarations = dict(block.declarations)
    language = block.language
    if block.problems:
        return [Finding(path, block.line, "text", "error", f"{p}.") for p in block.problems]
    if declarations.get("kind") == "shell" or language in SHELL_LANGUAGES:
        text = block.text if language not in ("console", "shell-session", "shellsession", "terminal") \
            else prompted_lines(block.text)
        return shell(text, context, first_line=block.first_line, declarations=declarations)
    if language in JSON_LANGUAGES:
        return json_block(block.text, path, block.first_line, declarations)
    if language in SQL_LANGUAGES:
        return sql_block(block.text, path, block.first_line, declarations)
    if "format" in declarations:
        from handbook.examples import flowlog

        return flowlog.check_log(block.text, path=path, line=block.first_line, declarations=declarations)
    found = aws_lines(block.text)
    if language in LOOSE_LANGUAGES and found is not None:
        return shell(found, context, first_line=block.first_line, declarations=declarations)
    what = f"a {language} block" if language else "a block with no language"
    if found is not None:  # PowerShell, cmd, fish: not bash's quoting
        count = len(commands.parse(found).invocations) or 1
        return [Finding(path, block.line, "text", "skipped",
                        f"{what} holds {count} aws command(s) written for that shell; its quoting and line "
                        "continuation are not bash's, which is the shell the check reads, so they are not checked.")]
    return [Finding(path, block.line, "text", "skipped",
                    f"{what} holds no aws command and is not an example kind the handbook checks "
                    "(shell, json, sql, or a declared log format).")]


def shell_file(file: Path, *, simulate: bool = False, runner: aws.AwsCli | None = None) -> list[Finding]:
    with Context(str(file), Path(file).parent, simulate, runner) as context:
        return shell(Path(file).read_text(encoding="utf-8"), context, first_line=1, declarations={})


def prompted_lines(text: str) -> str:
    """A console transcript: the `$ ` lines (and their continuations), output lines blanked."""
    kept, continuing = [], False
    for line in text.split("\n"):
        command = bool(commands.PROMPT.match(line)) or continuing
        kept.append(line if command else "")
        continuing = command and line.rstrip().endswith("\\")
    return "\n".join(kept)


def aws_lines(text: str) -> str | None:
    """In a fence with no language: the lines that begin with `aws ` or `$ aws ` and their
    continuations, a `\\` at the end or a quote still open (a JSON argument over several lines);
    the rest, output or prose, blanked. None when there is none."""
    kept, continuing, found = [], False, False
    quote = None
    for line in text.split("\n"):
        bare = commands.PROMPT.sub("", line).lstrip()
        command = continuing or bare.startswith("aws ")
        found = found or bare.startswith("aws ")
        kept.append(line if command else "")
        quote = open_quote(line, quote) if command else None
        continuing = command and (quote is not None or line.rstrip().endswith("\\"))
    return "\n".join(kept) if found else None


def open_quote(line: str, quote: str | None) -> str | None:
    """The quote still open at the end of `line`, given the one open at its start."""
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif quote is None and char == "#" and (i == 0 or line[i - 1] in " \t"):
            break  # a comment: its apostrophes open nothing
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
    return quote


# --------------------------------------------------------------------------------------------
# Shell


def shell(text: str, context: Context, *, first_line: int, declarations: dict) -> list[Finding]:
    """Every aws invocation of shell `text` (page line `first_line`), each on its own."""
    path = context.path
    script = commands.parse(text)
    findings = []
    if script.syntax_error:
        line, what = script.syntax_error
        findings.append(Finding(path, first_line + line - 1, "shell", "error",
                                f"a shell cannot read line {first_line + line - 1}: {what}."))
    for line, what in script.broken_continuations:
        findings.append(Finding(path, first_line + line - 1, "shell", "error", f"{what}."))
    setup = declarations.get("setup") or []
    lines = text.split("\n")
    for invocation in script.invocations:
        findings += invocation_findings(invocation, lines, context, first_line=first_line, setup=setup)
    findings.sort(key=lambda finding: finding.line)
    if not script.invocations and not findings:
        findings.append(Finding(path, first_line, "shell", "ok",
                                f"{script.commands} shell command(s), no aws command; the shell parses "
                                "(tree-sitter bash) and is never run."))
    return findings


@dataclass
class Prepared:
    argv: list
    names: list  # placeholders, as written
    notes: list
    errors: list  # (line, message)
    service: str | None = None
    operation: str | None = None
    stand_ins: list = field(default_factory=list)  # of StandIn


@dataclass(frozen=True)
class StandIn:
    """A file the reader writes, stood in for by a file of the check's."""

    file: Path
    contents: list  # what it may hold, tried in turn (see _contents); the first is written
    written: str  # file://NAME as the runbook writes it
    option: str  # the option it is given to


def prepare(invocation: commands.Invocation, context: Context) -> Prepared:
    """argv for awscli: placeholders substituted, --profile dropped, file:// resolved."""
    runner = context.cli
    table = placeholders.Table(invocation.placeholders)
    words = list(invocation.words)
    prepared = Prepared([], [], [], [])
    # The command and subcommand: the first two words that are not global options or their values.
    positions, i = [], 0
    while i < len(words) and len(positions) < 2:
        if words[i].text.startswith("--"):
            i += 1 if words[i].text in GLOBAL_FLAGS or "=" in words[i].text else 2
            continue
        positions.append(i)
        i += 1
    if len(positions) == 2:
        prepared.service, prepared.operation = (words[p].text for p in positions)
    arguments = runner.arguments(prepared.service, prepared.operation) if prepared.service else None
    arguments = arguments or {}
    current = None
    positional = 0
    i = 0
    while i < len(words):
        word = words[i]
        text = word.text
        if text.startswith("--") and not table.find(text.split("=", 1)[0]):
            option, eq, value = text.partition("=")
            given = value if eq else (words[i + 1].text if i + 1 < len(words) else "")
            if option == "--profile":
                if not given or (not eq and given.startswith("-")):
                    prepared.errors.append((word.line, "--profile needs the name of a profile after it."))
                prepared.notes.append("--profile is accepted without reading any configuration")
                i += 1 if eq else 2
                continue
            if option == "--region" and "region" in given.lower():  # region-name-1, Region: a blank
                prepared.names.append(given)
            elif option == "--region" and given and not table.find(given) and not runner.is_region_name(given):
                zone = " (an Availability Zone's name, not a region's)" if re.fullmatch(r".*-\d+[a-z]", given) else ""
                prepared.errors.append((word.line, f"--region {given!r} is not the name of an AWS region{zone}: "
                                                   "no partition of botocore's endpoint data has a region of that form."))
            if option == "--output" and given in CLI_V2_OUTPUTS:
                prepared.notes.append(f"--output {given} is AWS CLI v2's; checked as --output json")
                prepared.argv += [option, "json"]
                i += 1 if eq else 2
                continue
            current = arguments.get(option[2:]) or _abbreviated(option, arguments, prepared)
            if getattr(current, "_action", None) in ("store_true", "store_false"):
                current = None  # a flag takes no value: what follows is the next argument
            if option == "--query":
                query = value if eq else (words[i + 1].text if i + 1 < len(words) else "")
                problem = _query_problem(query, table)
                if problem:
                    prepared.errors.append((word.line, problem))
            prepared.argv.append(option)
            if eq:
                prepared.argv.append(_value(value, current, option, word, table, context, prepared))
            i += 1
            continue
        if i in positions:
            prepared.argv.append(text)
        elif current is None and not arguments.get(text.lstrip("-")):
            prepared.argv.append(_positional(text, positional, prepared, table, context))
            positional += 1
        else:
            prepared.argv.append(_value(text, current, None, word, table, context, prepared))
            if not _takes_several(current):
                current = None  # its one value given: a word after it is awscli's positional (an outfile)
        i += 1
    return prepared


def _abbreviated(option: str, arguments: dict, prepared: Prepared):
    """argparse reads a unique prefix as the whole option (`--verification-cert`)."""
    matches = [name for name in arguments if name.startswith(option[2:])] if len(option) > 3 else []
    if len(matches) != 1:
        return None
    prepared.notes.append(f"awscli reads {option} as --{matches[0]} (a unique prefix)")
    return arguments[matches[0]]


def _takes_several(argument) -> bool:
    shape = getattr(argument, "argument_model", None)
    return getattr(shape, "type_name", "") == "list" or getattr(argument, "nargs", None) in ("+", "*")


def _query_problem(query: str, table: placeholders.Table) -> str | None:
    import jmespath
    from jmespath.exceptions import JMESPathError

    expression = placeholders.CONVENTIONS.sub(lambda m: "example", query)
    try:
        jmespath.compile(expression)
    except JMESPathError as bad:
        detail = " ".join(str(bad).split())
        return f"--query {query!r} is not a JMESPath expression awscli can compile: {detail}."
    return None


def _value(text, argument, option, word, table, context, prepared) -> str:
    shape = getattr(argument, "argument_model", None)
    match = re.match(r"(fileb?)://(.+)", text)
    if match:
        scheme, name = match.groups()
        beside = (context.base / name).resolve() if not table.find(name) else None
        if beside is not None and beside.is_file():
            return f"{scheme}://{beside}"
        prepared.notes.append(f"{text} is not beside the runbook: the reader provides it, so it stands for "
                              f"a value of {option or 'the option'}'s type")
        if option == "--cli-input-json" or (argument is not None and argument.name == "cli-input-json"):
            model = context.cli.operation_model(prepared.service, prepared.operation)
            shape = model.input_shape if model else None
            content = json.dumps(placeholders.document(shape)) if shape else "{}"
        else:
            content = _json_member(argument, prepared, context) or \
                placeholders.whole(shape, name)  # a file holds the whole value: a list is a JSON list
        stand_in = context.scratch / f"stand-in-{len(prepared.argv)}"
        if "zip" in (option or getattr(argument, "name", "") or ""):  # --zip-file must hold a zip archive
            import zipfile

            zipfile.ZipFile(stand_in, "w").close()
        else:
            contents = _contents(content, shape, name)
            stand_in.write_text(contents[0], encoding="utf-8")  # still read by awscli, as the reader's file is
            prepared.stand_ins.append(StandIn(stand_in, contents, text, option or f"--{getattr(argument, 'name', '')}"))
        return f"{scheme}://{stand_in}"
    if placeholders.is_whole(text, table) and (document := _json_member(argument, prepared, context)):
        prepared.names.append(table.name(text))
        return document
    text = _shorthand_files(text, table, context, prepared)
    kind = getattr(shape, "type_name", "")
    element = kind == "list" and not text.lstrip().startswith("[")
    substituted = placeholders.substitute(text, shape, table, element=element)
    prepared.names += substituted.names
    return substituted.text


SHORTHAND_FILE = re.compile(r"@=(fileb?)://([^,\]\}]+)")


def _contents(first: str, shape, name: str) -> list[str]:
    """What a file the reader writes may hold, tried in turn when awscli rejects the first: the
    value with its required members, with all of them (an EMR step needs its Jar), then the
    other kinds a customization without a model may parse (JSON object, list, text, a key)."""
    contents = [first]
    if getattr(shape, "type_name", "") in ("structure", "list", "map"):
        contents.append(json.dumps(placeholders.document(shape, every_member=True)))
    contents += ["{}", "[]", "example"]
    if name.lower().endswith((".pem", ".key")):
        contents.append(_private_key())
    return list(dict.fromkeys(contents))


@functools.cache
def _private_key() -> str:
    """A throwaway RSA key in PEM (`cloudfront sign --private-key file://key.pem` parses it)."""
    import rsa

    return rsa.newkeys(512)[1].save_pkcs1().decode("ascii")


def _shorthand_files(text, table, context, prepared) -> str:
    """Shorthand's `Key@=file://NAME`: NAME beside the runbook is read, another one stands in."""
    def resolve(match: re.Match) -> str:
        scheme, name = match.groups()
        beside = context.base / name
        if not table.find(name) and beside.is_file():
            return f"@={scheme}://{beside.resolve()}"
        prepared.notes.append(f"{scheme}://{name} is not beside the runbook: an example file stands in")
        stand_in = context.scratch / f"stand-in-shorthand-{len(prepared.notes)}"
        stand_in.write_text("example", encoding="utf-8")
        return f"@={scheme}://{stand_in}"

    return SHORTHAND_FILE.sub(resolve, text)


def _json_member(argument, prepared, context) -> str | None:
    """The stand-in for a string member that carries a JSON document (a policy, an event pattern)."""
    member = getattr(argument, "_serialized_name", None)
    if member not in cli.JSON_STRING_MEMBERS:
        return None
    model = context.cli.operation_model(prepared.service, prepared.operation)
    service = model.service_model.service_name if model else ""
    required = cli.REQUIRED_JSON_FIELDS.get((service, getattr(model, "name", ""), member), ())
    return json.dumps({name: [] if name == "resources" else "example" for name in required})


def _positional(text, index, prepared, table, context) -> str:
    """A positional argument of awscli's own commands (s3 ls, s3 cp): paths and URLs."""
    substituted = placeholders.substitute(text, None, table)
    prepared.names += substituted.names
    value = substituted.text
    if substituted.names and placeholders.is_whole(text, table):
        value = "s3://example/example" if prepared.service == "s3" else value
    if prepared.service == "s3" and prepared.operation in S3_TRANSFERS and index == 0 \
            and not value.startswith("s3://") and value != "-":
        local = context.base / value
        if elsewhere(value) or not local.exists():
            stand_in = context.scratch / ("source-dir" if prepared.operation == "sync" else "source-file")
            if prepared.operation == "sync":
                stand_in.mkdir(exist_ok=True)
            else:
                stand_in.touch()
            prepared.notes.append(f"the local source {text} is the reader's: an empty one stands in")
            return str(stand_in)
        return str(local.resolve())
    if elsewhere(value):  # where a download or an outfile would land on the reader's machine
        prepared.notes.append(f"{text} is a path on the reader's machine: the check writes in a scratch "
                              "directory instead")
        (context.scratch / "elsewhere").mkdir(exist_ok=True)
        return str(context.scratch / "elsewhere" / Path(value).name)
    return value


def elsewhere(path: str) -> bool:
    """A local path outside the check's own scratch directory (absolute, `~`, `..`): never
    read as the reader's file, never written."""
    return not re.match(r"[a-z0-9]+://", path) and \
        (path.startswith(("/", "~")) or ".." in Path(path).parts)


def invocation_findings(invocation: commands.Invocation, lines: list[str], context: Context, *,
                        first_line: int, setup) -> list[Finding]:
    path = context.path
    at = first_line + invocation.line - 1

    def shifted(line: int) -> int:
        return first_line + line - 1

    prepared = prepare(invocation, context)
    shown = "aws " + " ".join(w.source for w in invocation.words[:2])
    if (prepared.service, prepared.operation) in CLI_V2_ONLY:
        return [Finding(path, at, cli.KIND, "skipped",
                        f"`{shown}` is a command of AWS CLI v2; the check carries awscli {aws.awscli.__version__} "
                        "(v1, the one on PyPI), which has no such command to judge it by.")]
    if prepared.errors:
        return [Finding(path, shifted(line), cli.KIND, "error", message) for line, message in prepared.errors]
    runner = context.cli
    run, excuse = _parse(prepared, runner)
    if run.rejected and (excuse := excuse or _beyond_a_parse(run)):
        prepared.notes.append(excuse)
    elif run.rejected:
        rejection = cli._rejection(run, ("aws", *prepared.argv), lines[invocation.line - 1:invocation.last_line],
                                   path, runner)
        return [Finding(path, at + rejection.line - 1, cli.KIND, "error", rejection.message)]
    problems = []
    for call in run.calls:
        for line, message in cli._model_problems(call, lines[invocation.line - 1:invocation.last_line]):
            problems.append(Finding(path, at + line - 1, cli.KIND, "error", message))
    if problems:
        return problems
    operations = ", ".join(dict.fromkeys(f"{c.service}.{c.operation}" for c in run.calls)) or "no API call"
    message = f"`{shown}`: awscli {aws.awscli.__version__} parses it and botocore validates {operations}"
    names = list(dict.fromkeys(prepared.names))
    if names:
        message += f"; placeholders {', '.join(names)} stand for values of their options' types"
    if prepared.notes:
        message += "; note: " + "; ".join(prepared.notes)
    findings = [Finding(path, at, cli.KIND, "ok", message + ".")]
    if context.simulate or setup:
        findings.append(_simulated(prepared, context, at, setup))
    return findings


def _parse(prepared: Prepared, runner: aws.AwsCli) -> tuple[aws.Run, str | None]:
    """awscli's verdict on the command and, when it rejects it for what only a file the reader
    writes decides, why that is not the runbook's fault. If awscli accepts the command with
    some content tried (see _contents), that run is the verdict; if its complaint changes with
    the content, the complaint is the content's. What it says whatever the file holds is the command's."""
    run = runner.parse(prepared.argv)
    if not run.rejected or not prepared.stand_ins:
        return run, None
    tries = [run]
    for attempt in range(1, max(len(stand_in.contents) for stand_in in prepared.stand_ins)):
        for stand_in in prepared.stand_ins:
            stand_in.file.write_text(stand_in.contents[min(attempt, len(stand_in.contents) - 1)], encoding="utf-8")
        tries.append(runner.parse(prepared.argv))
        if not tries[-1].rejected:
            names = ", ".join(stand_in.written for stand_in in prepared.stand_ins)
            prepared.notes.append(f"accepted with another stand-in for what {names} holds")
            return tries[-1], None
    for attempt in tries:
        if _blames_the_command(attempt, prepared):
            return attempt, None
    if len({t.message for t in tries}) > 1:
        return run, ("what awscli says of it depends on the content of the file(s) the reader "
                     f"writes (with a stand-in: {run.message.rstrip('.')})")
    return run, None


BOTOCORE_PARAMETER = re.compile(r'parameter (?:in )?(?:input: "([^"]+)"|([A-Za-z0-9_]+))')


def _blames_the_command(run: aws.Run, prepared: Prepared) -> bool:
    """botocore lists every invalid parameter, a line each: one whose top-level member is not
    in a file the reader writes is the command's (`--max-results 0` beside --cli-input-json)."""
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("Parameter validation failed"):
        return False
    from_files = {stand_in.option for stand_in in prepared.stand_ins}
    whole_input = "--cli-input-json" in from_files
    for complaint in lines[1:]:
        found = BOTOCORE_PARAMETER.search(complaint)
        if not found:
            return True
        top = re.split(r"[.\[]", found.group(1) or found.group(2))[0]
        option = "--" + xform_name(top, "-")
        if option in from_files or (whole_input and option not in prepared.argv):
            continue
        return True
    return False


def _beyond_a_parse(run: aws.Run) -> str | None:
    """Why a command awscli accepted still stopped, when that is no fault of the runbook's."""
    said = run.message.rstrip(".")
    if run.needed_an_answer:
        calls = ", ".join(dict.fromkeys(c.operation for c in run.calls))
        return (f"awscli then reads the answer to {calls}, which only a real account gives "
                f"(with an empty one it stops at: {said})")
    if run.stopped_before_a_program:
        return f"checked up to the program it starts ({said})"
    if run.wanted_input:
        return "it then asks the reader questions at the terminal, which a check does not answer"
    return None


def _simulated(prepared: Prepared, context: Context, line: int, setup) -> Finding:
    from handbook.examples import fixtures, verify

    runner = verify.simulation_runner()
    path = context.path
    try:
        with aws.mock():
            fixtures.run_setup(setup, runner, where=Path(path))
            run = runner.simulate(prepared.argv, cwd=context.scratch)
    except HandbookError as problem:
        return Finding(path, line, cli.KIND, "error", problem.message)
    except aws.NetworkBlocked as blocked:
        return Finding(path, line, cli.KIND, "skipped", f"not simulated: {blocked}")
    if run.ok:
        steps = len(setup)
        return Finding(path, line, cli.KIND, "ok", f"it runs against simulated AWS after {steps} setup step(s).")
    if setup:
        return Finding(path, line, cli.KIND, "error", f"the command fails against simulated AWS after its "
                                                     f"declared setup (exit code {run.exit_code}): {run.message}")
    return Finding(path, line, cli.KIND, "skipped", f"simulated without setup, the empty account lacks what it "
                                                   f"needs (exit code {run.exit_code}): {run.message} Declare it "
                                                   "with the fence's setup attribute to run it.")


# --------------------------------------------------------------------------------------------
# JSON and SQL


def json_block(text: str, path: str, first_line: int, declarations: dict) -> list[Finding]:
    if "schema" in declarations:
        return shapes.check_json(text, path=path, line=first_line, declarations=declarations)
    text, readings = _as_a_reader_reads(text, first_line)
    try:
        document = jsontext.parse(text)
    except jsontext.JsonSyntaxError as bad:
        line = first_line + bad.line - 1
        hint = ""
        bad_line = text.split("\n")[bad.line - 1] if bad.line - 1 < len(text.split("\n")) else ""
        if bad_line.lstrip().startswith(("//", "#", "/*")):
            hint = " JSON has no comments: move the comment out of the block"
        return [Finding(path, line, shapes.KIND, "error",
                        f"The JSON does not parse: {bad.message} (line {line}, column {bad.column}).{hint}")]
    findings = [Finding(path, first_line + dup.line - 1, shapes.KIND, "error",
                        f"Key {dup.path[-1]!r} appears twice (first on line {first_line + dup.first_line - 1}); "
                        "JSON readers keep only the last one.") for dup in document.duplicates]
    note = "".join(f" {reading}." for reading in readings)
    return findings or [Finding(path, first_line, shapes.KIND, "ok",
                                "The JSON parses; no schema is declared, so its shape is not checked." + note)]


ELISION = re.compile(r"[ \t]*(?:\.\.\.|\u2026)[ \t]*(,?)[ \t]*")
# What commands masks before a shell parse (<name>, {{ name }}), and variables.
JSON_PLACEHOLDER = re.compile("|".join((commands.ANGLE_PLACEHOLDER.pattern, commands.TEMPLATE_PLACEHOLDER.pattern,
                                        r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*")))


def _as_a_reader_reads(text: str, first_line: int) -> tuple[str, list[str]]:
    """A JSON block as its reader understands it: a line that is only `...` leaves out members
    or elements (an abridged output), and a placeholder outside quotes (`"Account": <account-id>`)
    is a value to fill in. Each becomes JSON (a null member or element, a string) on its own
    line, so the rest is still parsed strictly and errors keep their lines."""
    lines = text.split("\n")
    elided, names = [], []
    stack, inside, escaped = [], False, False
    for number, line in enumerate(lines):
        if not inside and (elision := ELISION.fullmatch(line)):
            filler = '"...": null' if stack[-1:] == ["{"] else "null"
            lines[number] = filler + elision.group(1)
            elided.append(str(first_line + number))
            continue
        out, column = [], 0
        while column < len(line):
            char = line[column]
            if not inside and (found := JSON_PLACEHOLDER.match(line, column)):
                names.append(found.group(0))
                out.append(json.dumps(found.group(0)))
                column = found.end()
                continue
            if escaped:
                escaped = False
            elif inside and char == "\\":
                escaped = True
            elif char == '"':
                inside = not inside
            elif not inside and char in "{[":
                stack.append(char)
            elif not inside and char in "}]" and stack:
                stack.pop()
            out.append(char)
            column += 1
        lines[number] = "".join(out)
    readings = []
    if elided:
        where = f"line {elided[0]}" if len(elided) == 1 else f"lines {', '.join(elided)}"
        readings.append(f"Abridged with `...` ({where}): what it leaves out is not checked")
    if names:
        readings.append(f"Placeholders {', '.join(dict.fromkeys(names))} stand for values")
    return "\n".join(lines), readings


PLACEHOLDER_IN_SQL = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def sql_block(text: str, path: str, first_line: int, declarations: dict) -> list[Finding]:
    if "expect_rows" in declarations or "requires" in declarations:
        return sql.check_sql(text, path=path, line=first_line, declarations=declarations)
    masked = PLACEHOLDER_IN_SQL.sub(lambda m: "ph_" + re.sub(r"\W", "_", next(g for g in m.groups() if g)), text)
    chunks = [(1, masked)]
    try:
        statements = sql.parse(masked)
    except sql.SqlProblem as whole:
        chunks = _blank_line_chunks(masked)
        if len(chunks) < 2:
            return [Finding(path, first_line + whole.line - 1, sql.KIND, "error", whole.message)]
        statements = []
        for start, chunk in chunks:
            try:
                statements += sql.parse(chunk)
            except sql.SqlProblem as bad:
                return [Finding(path, first_line + start + bad.line - 2, sql.KIND, "error", bad.message)]
    count = len(statements)
    how = "" if len(chunks) == 1 else f" ({len(chunks)} queries separated by blank lines)"
    return [Finding(path, first_line, sql.KIND, "ok",
                    f"{count} statement(s) parse as Athena SQL{how}; no expected rows are declared, so "
                    "they are not run.")]


def _blank_line_chunks(text: str) -> list[tuple[int, str]]:
    chunks, current, start = [], [], 1
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            chunks.append((start, "\n".join(current)))
            current = []
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks
