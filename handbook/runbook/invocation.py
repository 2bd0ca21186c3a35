"""One aws invocation of a runbook, checked as awscli would read it, never sent.

`prepare` turns the invocation's words into awscli's argv: each placeholder replaced by a value
of its option's type (`placeholders`), `--profile` dropped (no configuration is read), a
`file://NAME` the reader has read when it is beside the runbook and stood in for otherwise (a
`StandIn`, whose content is tried in turn when awscli's verdict depends on it), a local path
outside the check's scratch folder never read or written. `invocation_findings` then asks
awscli to parse it and botocore to validate the parameters (`handbook.aws.AwsCli.parse`), with
the enum and embedded-JSON checks of strict mode (`cli._model_problems`), and simulates it
only when the fence declares `setup` or `--simulate` is given. `Context` is what checking one
file needs: its folder, a scratch folder, the awscli runner.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from handbook import aws  # first: awscli must be imported before botocore
from awscli.arguments import CustomArgument
from botocore import xform_name
from handbook.errors import HandbookError
from handbook.examples import Finding, cli
from handbook.runbook import commands, placeholders, rules

# Global options that take no value (every other global option takes one).
GLOBAL_FLAGS = {"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager",
                "--cli-auto-prompt", "--no-cli-auto-prompt", "--version"}
S3_TRANSFERS = {"cp", "mv", "sync"}
CLI_V2_OUTPUTS = {"yaml", "yaml-stream"}  # AWS CLI v2's output formats; v1 has json, text, table
# Commands only AWS CLI v2 has (the CLI most runbooks are written for today); the check carries
# awscli 1.x, the one on PyPI, whose parser cannot judge them: skipped, not called wrong.
CLI_V2_ONLY = {("logs", "tail"), ("sso", "login"), ("configure", "sso"), ("configure", "sso-session"),
               ("configure", "export-credentials"), ("configure", "list-profiles"), ("configure", "import"),
               ("ddb", "put"), ("ddb", "select"), ("ec2-instance-connect", "ssh"),
               ("ec2-instance-connect", "open-tunnel")}
# Global options only AWS CLI v2 has, with a value: dropped, with a note, and the rest checked.
CLI_V2_GLOBALS = {"--cli-binary-format"}
# A word that is every element of an array, or every argument of the script: options among them.
WORDS_OF_AN_ARRAY = re.compile(r'"?\$(?:[@*]|\{(?:[@*]|[A-Za-z_]\w*\[[@*]\])\})"?')
# A CloudFormation template awscli reads from a path (cloudformation deploy, package).
TEMPLATE_STAND_IN = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"


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



@dataclass
class Prepared:
    argv: list
    names: list  # placeholders, as written
    notes: list
    errors: list  # (line, message, rule)
    service: str | None = None
    operation: str | None = None
    stand_ins: list = field(default_factory=list)  # of StandIn
    recursive: bool = False  # --recursive: a local source is a folder
    arrays: list = field(default_factory=list)  # words a shell expands to several ("${ARGS[@]}")


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
    prepared_notes = _optional_parts(words)
    prepared = Prepared([], [], prepared_notes, [])
    prepared.recursive = any(word.text == "--recursive" for word in words)
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
        if WORDS_OF_AN_ARRAY.fullmatch(table.name(text)):
            prepared.arrays.append(table.name(text))  # options and values only the running shell knows
            i += 1
            continue
        if text.startswith("--") and not table.find(text.split("=", 1)[0]):
            option, eq, value = text.partition("=")
            given = value if eq else (words[i + 1].text if i + 1 < len(words) else "")
            if option == "--profile":
                if not given or (not eq and given.startswith("-")):
                    prepared.errors.append((word.line, "--profile needs the name of a profile after it.", "missing-value"))
                prepared.notes.append("--profile is accepted without reading any configuration")
                i += 1 if eq else 2
                continue
            if option == "--region" and "region" in given.lower():  # region-name-1, Region: a blank
                prepared.names.append(given)
            elif option == "--region" and given and not table.find(given) and not runner.is_region_name(given):
                zone = " (an Availability Zone's name, not a region's)" if re.fullmatch(r".*-\d+[a-z]", given) else ""
                prepared.errors.append((word.line, f"--region {given!r} is not the name of an AWS region{zone}: "
                                                   "no partition of botocore's endpoint data has a region of that form.",
                                         "invalid-region"))
            if option in CLI_V2_GLOBALS:
                prepared.notes.append(f"{option} is an option of AWS CLI v2; awscli v1 has none, so it is left out")
                i += 1 if eq else 2
                continue
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
                    prepared.errors.append((word.line, problem, "invalid-query"))
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


def _optional_parts(words: list) -> list[str]:
    """`[--dry-run]`, `[--max-items 10]`: an option the reader may add, in brackets. The command
    is checked with it (brackets removed, in place), and a note says so."""
    notes, inside = [], False
    for index, word in enumerate(words):
        text = word.text
        if not inside and text.startswith("[--"):
            inside, text = True, text[1:]
            notes.append(f"{word.source.rstrip(']')}{']' if word.source.endswith(']') else ' ...]'} is optional: "
                         "checked with it")
        if inside and text.endswith("]"):
            inside, text = False, text[:-1]
        words[index] = replace(word, text=text)
    return notes


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
    name = (option or f"--{getattr(argument, 'name', '')}").lstrip("-")
    custom = isinstance(argument, CustomArgument)  # awscli's own option, which awscli reads itself
    if custom and (read := _reader_path(text, name, table, context, prepared)):
        return read
    if custom and placeholders.is_whole(text, table):  # no model to fit: the option's name says what goes
        prepared.names.append(table.name(text))
        if re.search(r"time|date", name):  # awscli parses this time itself (validate-logs, cloudfront sign)
            return placeholders.TIMESTAMP
        return placeholders.scalar(None, f"{name} {table.name(text)}")
    text = _shorthand_files(text, table, context, prepared)
    kind = getattr(shape, "type_name", "")
    element = kind == "list" and not text.lstrip().startswith("[")
    substituted = placeholders.substitute(text, shape, table, element=element)
    prepared.names += substituted.names
    return substituted.text


def _reader_path(text, name, table, context, prepared) -> str | None:
    """A file awscli reads from a plain path (`cloudformation deploy --template-file stack.yaml`):
    beside the runbook it is read; otherwise it is the reader's, and a stand-in is read instead."""
    if not name.endswith("-file") or name.startswith("output") or re.match(r"[a-z0-9]+://", text):
        return None
    local = context.base / text
    if not table.find(text) and not elsewhere(text) and local.is_file():
        return str(local.resolve())
    stand_in = context.scratch / f"reader-file-{len(prepared.argv)}{Path(text).suffix}"
    stand_in.write_text(TEMPLATE_STAND_IN if "template" in name else "", encoding="utf-8")
    prepared.notes.append(f"{text} is the reader's file, not beside the runbook: a stand-in is read instead")
    return str(stand_in)


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
            folder = prepared.operation == "sync" or prepared.recursive or value.endswith("/")
            stand_in = context.scratch / ("source-dir" if folder else "source-file")
            if folder:
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
    """The findings of one aws invocation, each naming it (normalised) as its subject."""
    at = first_line + invocation.line - 1

    def shifted(line: int) -> int:
        return first_line + line - 1

    written = " ".join(["aws", *(w.source for w in invocation.words)])  # what fingerprints it
    subject = commands.SENTINEL.sub(lambda m: invocation.placeholders.get(int(m.group(1)), m.group(0)), written)
    return [replace(finding, subject=subject) for finding in _judged(invocation, lines, context, at, shifted, setup)]


def _judged(invocation, lines, context, at, shifted, setup) -> list[Finding]:
    path = context.path
    prepared = prepare(invocation, context)
    shown = "aws " + " ".join(w.source for w in invocation.words[:2])
    if (prepared.service, prepared.operation) in CLI_V2_ONLY:
        return [Finding(path, at, cli.KIND, "skipped",
                        f"`{shown}` is a command of AWS CLI v2; the check carries awscli {aws.awscli.__version__} "
                        "(v1, the one on PyPI), which has no such command to judge it by.")]
    if prepared.errors:
        return [Finding(path, shifted(line), cli.KIND, "error", message, rule=rule[0] if rule else "cli")
                for line, message, *rule in prepared.errors]
    runner = context.cli
    run, excuse = _parse(prepared, runner)
    if run.rejected and "only available in a preview stage" in run.message:
        return [Finding(path, at, cli.KIND, "skipped",
                        f"`{shown}`: awscli {aws.awscli.__version__} (v1) runs aws {prepared.service} only once the "
                        f"reader enables its preview (`aws configure set preview.{prepared.service} true`); the check "
                        "reads no configuration, so it does not judge the command.")]
    if run.rejected and (excuse := excuse or _beyond_a_parse(run) or _from_arrays(run, prepared)):
        prepared.notes.append(excuse)
    elif run.rejected:
        rejection = cli._rejection(run, ("aws", *prepared.argv), lines[invocation.line - 1:invocation.last_line],
                                   path, runner)
        return [replace(rejection.shifted(at - 1), rule=rejection.rule or rules.refusal(rejection.message))]
    problems = []
    for call in run.calls:
        for line, message in cli._model_problems(call, lines[invocation.line - 1:invocation.last_line]):
            problems.append(Finding(path, at + line - 1, cli.KIND, "error", message, rule=rules.model_problem(message)))
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


def _from_arrays(run: aws.Run, prepared: Prepared) -> str | None:
    """A word the shell expands to several ("${ARGS[@]}") may hold the options awscli misses."""
    if prepared.arrays and "arguments are required" in run.message:
        return (f"{', '.join(prepared.arrays)} expands to words only the running shell knows, which may "
                f"hold what awscli says is missing ({run.message.rstrip('.')})")
    return None


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
        return Finding(path, line, cli.KIND, "error", problem.message, rule="simulation-fails")
    except aws.NetworkBlocked as blocked:
        return Finding(path, line, cli.KIND, "skipped", f"not simulated: {blocked}")
    if run.ok:
        steps = len(setup)
        return Finding(path, line, cli.KIND, "ok", f"it runs against simulated AWS after {steps} setup step(s).")
    if setup:
        return Finding(path, line, cli.KIND, "error", f"the command fails against simulated AWS after its "
                                                     f"declared setup (exit code {run.exit_code}): {run.message}",
                       rule="simulation-fails")
    return Finding(path, line, cli.KIND, "skipped", f"simulated without setup, the empty account lacks what it "
                                                   f"needs (exit code {run.exit_code}): {run.message} Declare it "
                                                   "with the fence's setup attribute to run it.")
