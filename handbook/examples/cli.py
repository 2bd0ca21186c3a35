"""Checks an `aws ...` example the way a reader would run it, then as AWS would receive it.

A CLI snippet holds one command, exactly as a reader copies it into a POSIX shell. In order:

1. shell: the command is split into lines and words as a POSIX shell does (a line ends the
   command unless its last character is a `\\`); words are split with `shlex` in POSIX mode.
2. synopsis: `[--option VALUE]` is reference notation, not a runnable command.
3. placeholders: every `<name>` needs a test value, from the snippet's own `<name>.yml`
   (`placeholders: {bucket: handbook-evidence}`) or from `snippets/placeholders.yml`. Values
   are substituted for the check and the simulation only; the page shows `<name>`. A name
   stands for one thing: the same `<value>` after two different options is an error.
4. files: `file://NAME` must name a snippet in the same page folder; the run reads that file.
5. awscli: the real awscli parses the command and botocore validates the parameters
   (`handbook.aws.AwsCli.parse`): unknown services, operations, options and JSON keys,
   bad shorthand, wrong types and missing options all fail here.
6. model checks awscli does not make: enum values (also inside shorthand and JSON
   structures), JSON carried inside string parameters (`--event-pattern`, `--event`, a Config
   rule's `InputParameters`) and the fields `events test-event-pattern` requires of its event.

`simulate()` runs a checked command against moto after its setup steps (see
`handbook.examples.fixtures`); `normalise()` replaces what differs from run to run
(generated ids, clocks) using the reviewed list `NORMALISATIONS`.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import yaml

from handbook import aws  # first: awscli must be imported before botocore
from botocore import xform_name

from handbook.errors import HandbookError
from handbook.examples import Finding, Fix, embedded
from handbook.examples import fixtures
from handbook.snippets import KINDS, Snippet

KIND = "cli"
PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.-]*)>")
SHELL_OPERATORS = {"|", "||", "&&", ";", "&", ">", ">>", "<", "2>", "2>&1", "&>"}

# Members that carry a JSON document in a string: handbook.examples.embedded.
JSON_STRING_MEMBERS, REQUIRED_JSON_FIELDS = embedded.JSON_STRING_MEMBERS, embedded.REQUIRED_JSON_FIELDS


@dataclass(frozen=True)
class Normalisation:
    name: str
    pattern: str  # a regular expression over the recorded output
    replacement: str
    reason: str


# Keys whose value is the time of the run: "CreationTime", "ingestionTime", "SubscribedAt",
# "TimeLoggingStarted", ... (not "timestamp" of a log event, which the example's setup chose).
_RUN_TIME_KEY = r'("(?:[A-Za-z]*(?:Time|Timestamp|Date)|[A-Za-z]*At|Time[A-Z][A-Za-z]*)": )'

# Everything that may differ between two simulations of the same example, and why.
# Anything not listed here must match the recorded output exactly.
NORMALISATIONS = (
    Normalisation("request id", r'("RequestId": )"[^"]+"', r'\1"<request-id>"',
                  "every call gets a new request id"),
    Normalisation("uuid", r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                  "<uuid>", "generated ids and client tokens (CreatorRequestId, ...) are random UUIDs"),
    Normalisation("guardduty detector id", r'("DetectorId": )"[0-9a-f]{32}"', r'\1"<detector-id>"',
                  "a new detector gets 32 random hex digits"),
    Normalisation("ec2 generated id", r"\b(fl|vpc|subnet|sg|i|ami|rtb|igw|acl|vol|snap)-[0-9a-f]{17}\b",
                  r"\1-<generated>", "EC2 generates 17 hex digits; ids an example names itself keep "
                  "theirs (i-12345678, and ENIs, which a fixture names)"),
    Normalisation("route53 resolver id", r"\brslvr-([a-z]+)-[0-9a-f]{17}\b", r"rslvr-\1-<generated>",
                  "resolver ids, and the ARNs that end in them, are random"),
    Normalisation("config rule id", r"\bconfig-rule-[0-9a-z]{6}\b", "config-rule-<generated>",
                  "Config rule ids, and the ARNs that end in them, are random"),
    Normalisation("run time, ISO", _RUN_TIME_KEY + r'"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:?\d\d)?"',
                  r'\1"<time>"', "creation and update times are the time of the run"),
    Normalisation("run time, epoch", _RUN_TIME_KEY + r"\d{9,13}(\.\d+)?\b", r"\1<epoch>",
                  "the same, written as seconds or milliseconds since 1970"),
    Normalisation("log stream token", r'"([fb])/\d{10,}"', r'"\1/<token>"',
                  "log paging tokens count every event moto has stored in the process"),
    Normalisation("transfer progress", r"Completed [^\r\n]* remaining\r?", "",
                  "s3 cp's progress line reports the speed of the run"),
    Normalisation("guardduty set id", r'("(?:IpSetId|ThreatIntelSetId)": )"[0-9a-f]{32}"', r'\1"<set-id>"',
                  "a new IP set or threat intel set gets 32 random hex digits"),
    Normalisation("paging token", r'("NextToken": )"[^"]+"', r'\1"<next-token>"',
                  "paging tokens are opaque; moto's carry a checksum made with Python's per-process hash"),
    Normalisation("log event id", r'("eventId": )"\d+"', r'\1"<event-id>"',
                  "moto numbers log events across the whole process, so the id depends on what ran before"),
    Normalisation("s3 listing time", r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?= )", "<yyyy-mm-dd hh:mm:ss>",
                  "s3 ls prints when each bucket was created or object written: the time of the run"),
)


def normalise(output: str) -> str:
    """`output` with every NORMALISATIONS entry applied, in order."""
    for rule in NORMALISATIONS:
        output = re.sub(rule.pattern, rule.replacement, output)
    return output


# ---------------------------------------------------------------------------------------------
# Shell


@dataclass(frozen=True)
class ShellCommand:
    """One command as a POSIX shell reads it: continuation lines joined, words split."""

    line: int  # first line of the snippet that belongs to it (1-based)
    last_line: int  # the line whose line break ends it
    words: tuple[str, ...]
    escaped_space_at_end: bool  # its last line ends in `\` followed by spaces


def shell_commands(text: str) -> list[ShellCommand]:
    """The commands a POSIX shell would run, in order; blank lines and comments yield none.

    An unquoted line break ends a command unless a backslash escapes it; inside single quotes
    a line break is part of the word. `shlex` does the word splitting but knows no line
    continuation, hence this scan for the boundaries. Raises ValueError for an open quote.
    """
    commands = []
    current: list[str] = []
    start = line = 1
    quote = None
    escaped_space = False
    i = 0
    while i < len(text):
        char = text[i]
        after = text[i + 1] if i + 1 < len(text) else ""
        if quote == "'":
            if char == "'":
                quote = None
        elif char == "\\" and after == "\n":  # continuation: the shell drops both characters
            i, line = i + 2, line + 1
            continue
        elif char == "\\":
            if quote is None and after in " \t" and not text[i + 1:].split("\n", 1)[0].strip():
                escaped_space = True
            current.append(char + after)
            i += 2
            continue
        elif quote == '"':
            if char == '"':
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (not current or current[-1][-1:] in " \t"):
            while i < len(text) and text[i] != "\n":  # a comment runs to the end of the line
                i += 1
            continue
        elif char == "\n":
            words = shlex.split("".join(current), posix=True)
            if words:
                commands.append(ShellCommand(start, line, tuple(words), escaped_space))
            current, escaped_space = [], False
            i, line = i + 1, line + 1
            start = line
            continue
        if char == "\n":
            line += 1
        current.append(char)
        i += 1
    if quote:
        raise ValueError(f"the quote {quote} opened on or before line {line} is never closed")
    words = shlex.split("".join(current), posix=True)
    if words:
        commands.append(ShellCommand(start, line, tuple(words), escaped_space))
    return commands


# ---------------------------------------------------------------------------------------------
# Preparing the command


@dataclass(frozen=True)
class Prepared:
    """The command as the checker and the simulation run it, and what is wrong with it."""

    words: tuple[str, ...]  # all the words the author meant as one command, test values in
    placeholders: tuple[str, ...]  # names substituted
    files: tuple[str, ...]  # file:// names resolved
    errors: tuple[Finding, ...]
    runnable: bool  # False when awscli would only repeat an error already reported


def prepare(text: str, *, path: str, placeholders: Mapping | None = None,
            declarations: Mapping | None = None, files: Mapping[str, Path] | None = None,
            substitute: bool = True) -> Prepared:
    """The words to run for snippet `text`, after the shell, synopsis, placeholder and file checks.

    `placeholders` is the project-wide table (name -> test value); the snippet's own
    `declarations["placeholders"]` win over it. `files` maps a file name to the snippet it means.
    `substitute=False` reads a command someone typed to run, not an example: `<name>` is text
    (what a template inside a quoted argument holds), never a placeholder.
    """
    lines = text.splitlines()
    errors: list[Finding] = []

    def error(line: int, message: str, where: str = path) -> None:
        errors.append(Finding(where, line, KIND, "error", message))

    try:
        commands = shell_commands(text)
    except ValueError as problem:
        error(1, f"a shell cannot read this example: {problem}.")
        return Prepared((), (), (), tuple(errors), False)
    if not commands:
        error(1, "the example holds no command.")
        return Prepared((), (), (), tuple(errors), False)

    first, rest = commands[0], commands[1:]
    if first.words[0] != "aws":
        error(first.line, f"the command starts with {first.words[0]!r}, not 'aws'.")
        return Prepared((), (), (), tuple(errors), False)
    words = list(first.words)
    second = next((c for c in rest if c.words[0] == "aws"), None)
    if second:
        error(second.line, f"line {second.line} starts a second aws command; "
                           "an example holds exactly one.")
        rest = rest[:rest.index(second)]
    if rest:  # the author meant one command: report, then check the command as meant
        tail = f"line {rest[0].line} as a command of its own" if rest[0].line == rest[-1].last_line \
            else f"lines {rest[0].line}-{rest[-1].last_line} as separate commands"
        why = ("ends in `\\` followed by spaces: the backslash escapes a space, not the line "
               "break, so it" if first.escaped_space_at_end else "does not end in `\\`, so it")
        error(first.last_line, f"line {first.last_line} {why} ends the command; "
                               f"a shell would run {tail}.")
        if first.escaped_space_at_end:  # the escaped space became (part of) a word: not meant
            words[-1] = words[-1].rstrip()
            words = words if words[-1] else words[:-1]
        words += [word for command in rest for word in command.words]

    for word in words:
        if word in SHELL_OPERATORS:
            error(_line_of(lines, word, first.line),
                  f"the shell operator {word!r} makes this more than one aws command; "
                  "an example holds exactly one.")
    words = _drop_synopsis(words, lines, first.line, error)
    names, complete = [], True
    if substitute:
        words, names, complete = _substitute_placeholders(words, lines, first.line, path, placeholders,
                                                          declarations, error)
    words, file_names, resolved = _resolve_files(words, lines, first.line, files or {}, error)
    return Prepared(tuple(words), tuple(names), tuple(file_names), tuple(errors),
                    complete and resolved and not any(w in SHELL_OPERATORS for w in words))


def _drop_synopsis(words, lines, default_line, error):
    """Words without `[--option VALUE]` groups, each group reported."""
    kept, group = [], None
    for word in words:
        if group is None and re.match(r"\[-", word):
            group = []
        if group is None:
            kept.append(word)
            continue
        group.append(word)
        if word.endswith("]"):
            shown = " ".join(group)
            error(_line_of(lines, group[0], default_line),
                  f"`{shown}` is synopsis notation (an optional part in brackets), not something "
                  "a shell can run: give the option a real value without brackets, or leave it out.")
            group = None
    if group:
        error(_line_of(lines, group[0], default_line),
              f"the bracket opened by `{group[0]}` is never closed.")
    return kept


def _substitute_placeholders(words, lines, default_line, path, project, declarations, error):
    own = (declarations or {}).get("placeholders") or {}
    if not isinstance(own, Mapping):
        error(1, "the declarations' `placeholders` must map each placeholder name to a test value.",
              str(Path(path).with_suffix(".yml")))
        own = {}
    table = {**(project or {}), **own}
    _report_shared_placeholders(words, lines, default_line, error)
    names, complete = [], True
    for name in dict.fromkeys(n for word in words for n in PLACEHOLDER.findall(word)):
        names.append(name)
        value = table.get(name)
        line = _line_of(lines, f"<{name}>", default_line)
        if name not in table:
            error(line, f"the placeholder <{name}> has no test value: declare one under "
                        f"`placeholders:` in {Path(path).with_suffix('.yml').name} or in "
                        "snippets/placeholders.yml.")
            complete = False
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool) \
                or not str(value).strip() or PLACEHOLDER.search(str(value)):
            error(line, f"the test value for <{name}> must be a realistic value such as a name "
                        f"or a number, not {value!r}.")
            complete = False
    if not complete:
        return words, names, False
    substituted = []
    for word in words:
        substituted.append(PLACEHOLDER.sub(lambda m: str(table[m.group(1)]), word))
    return substituted, names, True


def _report_shared_placeholders(words, lines, default_line, error):
    """One placeholder name given as the value of two different options names two things."""
    options: dict[str, list[str]] = {}
    for before, word in zip(("",) + tuple(words), words):
        option, _, value = word.partition("=") if word.startswith("--") else (before, "", word)
        if not option.startswith("--"):
            continue
        for name in PLACEHOLDER.findall(value):
            if option not in options.setdefault(name, []):
                options[name].append(option)
    for name, used in options.items():
        if len(used) > 1:
            shown = " and ".join(used)
            suggested = " and ".join(f"<{o[2:]}>" for o in used)
            error(_line_of(lines, f"<{name}>", default_line),
                  f"the placeholder <{name}> stands for two different things ({shown}): a reader "
                  f"cannot tell what to put where, and one test value cannot fit both; give each "
                  f"its own name, such as {suggested}.")


def _resolve_files(words, lines, default_line, files, error):
    """file://NAME and fileb://NAME rewritten to the sibling snippet's absolute path."""
    resolved, names, complete = [], [], True
    for word in words:
        prefix, _, value = word.partition("=") if word.startswith("--") else ("", "", word)
        match = re.match(r"(fileb?://)(.+)", value)
        if not match:
            resolved.append(word)
            continue
        scheme, name = match.groups()
        target = files.get(name) or files.get(name.removeprefix("./"))
        if target is None:
            error(_line_of(lines, value, default_line),
                  f"{value} names no example next to this one: add the file {name} to this page's "
                  "snippets (and show it on the page), or write the value inline.")
            complete = False
            resolved.append(word)
            continue
        names.append(name)
        resolved.append((prefix + "=" if prefix else "") + scheme + str(Path(target).resolve()))
    return resolved, names, complete


def _line_of(lines: list[str], needle: str, default: int) -> int:
    """The first snippet line containing `needle` (1-based), or `default`.

    An option matches as a whole word: `--event` is not found in `--event-pattern`.
    """
    if not needle:
        return default
    pattern = re.escape(needle) + (r"(?![\w-])" if needle.startswith("--") else "")
    for number, text in enumerate(lines, 1):
        if re.search(pattern, text):
            return number
    return default


# ---------------------------------------------------------------------------------------------
# Checking


def check(text: str, *, path: str, placeholders: Mapping | None = None,
          declarations: Mapping | None = None, files: Mapping[str, Path] | None = None,
          runner: aws.AwsCli | None = None, run: aws.Run | None = None) -> list[Finding]:
    """Findings for the CLI example `text` (the content of `path`): errors, or one "ok".

    awscli parses the command without sending anything, unless `run` is given: a run of this
    command against moto has parsed and validated it the same way (a command awscli or
    botocore refuses never reaches moto), so its recorded calls are judged instead.
    """
    prepared = prepare(text, path=path, placeholders=placeholders, declarations=declarations,
                       files=files)
    findings = list(prepared.errors)
    if not prepared.runnable:
        return findings
    lines = text.splitlines()
    runner = runner or aws.shared()
    run = run if run is not None else runner.parse(list(prepared.words[1:]))
    if run.rejected:
        findings.append(_rejection(run, prepared.words, lines, path, runner))
        return findings
    for call in run.calls:
        for line, message in _model_problems(call, lines):
            findings.append(Finding(path, line, KIND, "error", message))
    if findings:
        return findings
    return [Finding(path, 1, KIND, "ok", _verified(prepared, run))]


def _rejection(run: aws.Run, words, lines, path, runner) -> Finding:
    """awscli's complaint, with the misspelt options it did not get to (it reports required first)."""
    if option := re.search(r"error: argument (--[a-z0-9-]+): Invalid choice", run.stderr):
        return _invalid_option_value(run, option.group(1), words, lines, path)
    if "Invalid choice" in run.message and "Invalid choice: '" not in run.message and len(words) > 2:
        return _invalid_subcommand(run, words, lines, path)
    message = f"awscli rejects the command: {run.message}"
    known = runner.options(words[1], words[2]) if len(words) > 2 else None
    unknown = [w for w in words[3:] if w.startswith("--") and known and w.split("=")[0] not in known]
    if unknown and "Unknown options" not in run.message:
        verb = "is not an option" if len(unknown) == 1 else "are not options"
        message += f"; {', '.join(unknown)} {verb} of aws {words[1]} {words[2]}"
    culprit = unknown[0] if unknown else (re.findall(r"--[a-z][a-z0-9-]*", run.message) or [""])[0]
    # botocore names the member (lower-case in some services: codeartifact's `repository`)
    member = re.search(r"parameter (?:in )?(?!input\b)([A-Za-z][A-Za-z0-9]*)", run.message)
    if not culprit and member:
        culprit = "--" + xform_name(member.group(1), "-")
    message += "" if message.endswith(".") else "."
    return Finding(path, _line_of(lines, culprit, 1), KIND, "error", message, fix=_meant(run, lines))


def _meant(run: aws.Run, lines) -> Fix | None:
    """awscli's own `maybe you meant:` (a misspelt service or command), when it names one choice."""
    found = re.search(r"Invalid choice: '([^']+)', maybe you meant:\s*((?:\* \S+\s*)+)", run.stderr) or None
    return found and _replacing(_line_of(lines, found[1], 1), found[1], re.findall(r"\* (\S+)", found[2]))


def _replacing(line: int, given: str, close: list[str]) -> Fix | None:
    """The fix when there is one close choice, and only then."""
    return Fix(line, given, close[0], f"Replace {given!r} with {close[0]!r}") if len(close) == 1 and given else None


def _choices(run: aws.Run) -> list[str]:
    """The choices awscli lists (`valid choices are: json | text | table`), as a table."""
    table = run.stderr.split("valid choices are:", 1)[1] if "valid choices are:" in run.stderr else ""
    return sorted({name.strip() for line in table.splitlines() for name in line.split("|")
                   if re.fullmatch(r"[a-z0-9-]+", name.strip())})


def _invalid_option_value(run: aws.Run, option: str, words, lines, path) -> Finding:
    """An option with a fixed set of values (--output) given another."""
    given = ""
    for i, word in enumerate(words):
        name, eq, value = word.partition("=")
        if name == option:
            given = value if eq else (words[i + 1] if i + 1 < len(words) else "")
            break
    choices = _choices(run)
    close = difflib.get_close_matches(given, choices, n=1, cutoff=0.5)
    hint = f", maybe you meant: {close[0]}" if close else ""
    return Finding(path, line := _line_of(lines, option, 1), KIND, "error", f"awscli rejects the command: {option} is "
                   f"{given!r}, which is not one of {', '.join(choices) or 'its choices'}{hint}.", rule="invalid-choice",
                   fix=_replacing(line, given, close))


def _invalid_subcommand(run: aws.Run, words, lines, path) -> Finding:
    """awscli's own commands (s3) list their choices instead of naming the word they refuse."""
    choices = _choices(run)
    close = difflib.get_close_matches(words[2], choices, n=1, cutoff=0.5)
    hint = f", maybe you meant: {close[0]}" if close else ""
    listing = f" (it has {', '.join(choices)})" if choices else ""
    return Finding(path, line := _line_of(lines, words[2], 1), KIND, "error", f"awscli rejects the command: Invalid "
                   f"choice: {words[2]!r} is not a command of aws {words[1]}{listing}{hint}.", rule="unknown-command",
                   fix=_replacing(line, words[2], close))


def _verified(prepared: Prepared, run: aws.Run) -> str:
    command = " ".join(prepared.words[:3])
    operations = ", ".join(dict.fromkeys(f"{c.service}.{c.operation}" for c in run.calls))
    extras = []
    if prepared.placeholders:
        extras.append("test values for " + ", ".join(f"<{n}>" for n in prepared.placeholders))
    if prepared.files:
        extras.append(", ".join(prepared.files))
    return (f"`{command}` is one shell command; awscli {aws.awscli.__version__} parses it"
            f"{' with ' + ' and '.join(extras) if extras else ''} and botocore validates the "
            f"parameters of {operations or 'no API call'}, enum values and embedded JSON included.")


def _model_problems(call: aws.ApiCall, lines: list[str]) -> Iterator[tuple[int, str]]:
    """Enum values and embedded JSON in the parameters of `call`, against its input shape."""
    shape = call.model.input_shape
    if shape is None:
        return
    for member, value in call.params.items():
        if member not in shape.members:
            continue  # botocore already refused unknown parameters
        option = "--" + xform_name(member, "-")
        line = _line_of(lines, option, 1)
        for where, problem in _walk(shape.members[member], value, member, call):
            yield line, f"{option + where[len(member):]} {problem}"


def _newer_resource_type(value: str, enum: list) -> bool:
    """`AWS::BedrockAgentCore::Memory` in an enum of resource types that lacks it, and close to
    none of them: a type newer than botocore's model (these enums grow every month), not a typo."""
    return bool(re.fullmatch(r"AWS::\w+::\w+", value)) and any(e.startswith("AWS::") for e in enum) \
        and not difflib.get_close_matches(value, enum, n=1, cutoff=0.85)


def _walk(shape, value, where, call) -> Iterator[tuple[str, str]]:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, item in value.items():
            if name in shape.members:
                yield from _walk(shape.members[name], item, f"{where}.{name}", call)
    elif kind == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(shape.member, item, f"{where}[{index}]", call)
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(shape.key, key, f"{where} key {key!r}", call)
            yield from _walk(shape.value, item, f"{where}[{key!r}]", call)
    elif kind == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum and not _newer_resource_type(value, shape.enum):
            yield where, (f"is {value!r}, which the API does not accept: "
                          f"{shape.name} is one of {', '.join(shape.enum)}.")
        yield from embedded.problems(value, where, call)


# ---------------------------------------------------------------------------------------------
# Simulation


def simulate(text: str, *, path: str, setup: list | tuple = (), placeholders: Mapping | None = None,
             declarations: Mapping | None = None, files: Mapping[str, Path] | None = None,
             runner: aws.AwsCli | None = None, setup_file: Path | str | None = None) -> aws.Run:
    """Run the example against moto after `setup` (see fixtures), in a fresh simulated account.

    Raises HandbookError when the example cannot be run as written or a setup step fails.
    """
    prepared = prepare(text, path=path, placeholders=placeholders, declarations=declarations,
                       files=files)
    if prepared.errors or not prepared.runnable:
        first = prepared.errors[0] if prepared.errors else None
        raise HandbookError(path, first.line if first else 1,
                            f"cannot simulate an example that does not check: "
                            f"{first.message if first else 'it is not runnable'}")
    runner = runner or aws.shared()
    with aws.mock(), tempfile.TemporaryDirectory(prefix="handbook-simulate-") as scratch:
        fixtures.run_setup(setup, runner, where=setup_file or Path(path).with_suffix(".yml"))
        return runner.simulate(list(prepared.words[1:]), cwd=scratch)


# ---------------------------------------------------------------------------------------------
# Snippets on disk


def load_placeholders(root: Path | str) -> dict:
    """The project-wide test values, snippets/placeholders.yml ({} when there is none)."""
    path = Path(root) / "placeholders.yml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise HandbookError(path, 1, "placeholders.yml must map each placeholder name to a test value")
    return data


def sibling_files(snippet: Snippet) -> dict[str, Path]:
    """The other examples of the snippet's page, by file name: what file://NAME may name."""
    folder = snippet.file.parent
    return {p.name: p for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in KINDS and p != snippet.file}


def check_snippet(snippet: Snippet, *, placeholders: Mapping | None = None,
                  runner: aws.AwsCli | None = None) -> list[Finding]:
    """check() for a snippet on disk, with its declarations and its page's files."""
    return check(snippet.text, path=str(snippet.file), placeholders=placeholders,
                 declarations=snippet.declarations, files=sibling_files(snippet), runner=runner)


def simulate_snippet(snippet: Snippet, *, placeholders: Mapping | None = None,
                     runner: aws.AwsCli | None = None) -> aws.Run:
    """simulate() for a snippet on disk, with the setup its declarations give."""
    declarations = snippet.declarations
    return simulate(snippet.text, path=str(snippet.file),
                    setup=fixtures.setup_steps(declarations, snippet.sidecar(".yml")),
                    placeholders=placeholders, declarations=declarations,
                    files=sibling_files(snippet), runner=runner, setup_file=snippet.sidecar(".yml"))
