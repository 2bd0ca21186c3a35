"""A runbook's blocks: which check each fenced block or file gets, and shell read as a reader runs it.

A fence's language (or `kind` declaration) chooses: shell languages and `.sh` files are shell;
a console transcript keeps only its `$ ` lines; a fence with no language (or `text`) whose lines
begin with `aws ` is shell too, its other lines (output, prose) blanked; JSON and SQL go to
`documents`; a declared log `format` to the flow log checker. Everything else is skipped with a
sentence saying why. In shell, every aws invocation (`commands`) is checked on its own
(`invocation`), and the shell around it is checked for syntax only.
"""

from __future__ import annotations

from pathlib import Path

from handbook import aws  # first: awscli must be imported before botocore
from handbook.examples import Finding, Fix, athena
from handbook.examples.fences import Fence
from handbook.runbook import commands, transcripts
from handbook.runbook.documents import SQL_LANGUAGES, json_block, page_tables, sql_block
from handbook.runbook.invocation import Context, invocation_findings

SHELL_LANGUAGES = {"bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal"}
LOOSE_LANGUAGES = {"", "text", "txt", "plain", "plaintext", "console", "shell-session", "terminal"}
JSON_LANGUAGES = {"json", "jsonc", "json5"}


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
        return [Finding(path, block.line, "text", "error", f"{p}.", rule="fence-attribute") for p in block.problems]
    if declarations.get("kind") == "shell" or language in SHELL_LANGUAGES:
        transcript = language in ("console", "shell-session", "shellsession", "terminal") \
            or transcripts.is_transcript(block.text)
        text = transcripts.prompted_lines(block.text) if transcript else block.text
        return shell(text, context, first_line=block.first_line, declarations=declarations)
    if language in JSON_LANGUAGES:
        return json_block(block.text, path, block.first_line, declarations)
    if language in SQL_LANGUAGES and athena.another_language(block.text) and not declarations:
        return [Finding(path, block.line, "text", "skipped",
                        f"a {language} block whose first word opens no Athena statement (SELECT, WITH, CREATE, ...): "
                        "a query in another language, highlighted as SQL, which Athena does not judge.")]
    if language in SQL_LANGUAGES or (language in LOOSE_LANGUAGES and athena.opens_a_statement(block.text)):
        return sql_block(block.text, path, block.first_line, declarations, tables=page_tables(path))
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


def aws_lines(text: str) -> str | None:
    """In a fence with no language: the lines that begin with `aws ` or `$ aws ` and their
    continuations, a `\\` at the end or a quote still open (a JSON argument over several lines);
    the rest, output or prose, blanked. None when there is none."""
    kept, continuing, found = [], False, False
    quote = None
    for line in text.split("\n"):
        bare = commands.PROMPT.sub("", line).lstrip()
        # an option line right under a command whose `\` was lost is the command's too (and an error)
        command = continuing or bare.startswith("aws ") or (bool(kept) and bool(kept[-1].strip())
                                                            and bool(commands.OPTION_LINE.match(bare.split(" ")[0])))
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
    if script.syntax_error and (readable := transcripts.without_unreadable_lines(text)):
        text, aside = readable
        script = commands.parse(text)
        shown = ", ".join(str(first_line + n - 1) for n in aside) if len(aside) < 4 else \
            transcripts.spans([first_line + n - 1 for n in aside])
        findings.append(Finding(path, first_line + aside[0] - 1, "shell", "ok",
                                f"line(s) {shown} are not shell a reader runs (output, or text such as a payload "
                                "shown in a shell block): the rest parses, and they are not read as commands."))
    if script.syntax_error:
        line, what = script.syntax_error
        findings.append(Finding(path, first_line + line - 1, "shell", "error",
                                f"a shell cannot read line {first_line + line - 1}: {what}.", rule="shell-syntax"))
    cut = {}
    for line, option, command in script.lost_continuations:
        cut[command] = line
        above = first_line + line - 2
        findings.append(Finding(path, above + 1, "shell", "error",
                                f"The line starts with {option}, an option of the aws command above it, but line "
                                f"{above} does not end with `\\`: bash ends the command there and runs this line as a "
                                f"command of its own. Add the missing `\\` at the end of line {above}.",
                                rule="lost-continuation",
                                fix=Fix(above, "", " \\", f"Add the `\\` at the end of line {above}")))
    lines = text.split("\n")
    for line, what in script.broken_continuations:
        findings.append(Finding(path, first_line + line - 1, "shell", "error", f"{what}.", rule="lost-continuation",
                                fix=_trailing_space_fix(lines[line - 1], first_line + line - 1)))
    setup = declarations.get("setup") or []
    for invocation in script.invocations:
        found = invocation_findings(invocation, lines, context, first_line=first_line, setup=setup)
        if invocation.line in cut:  # what the cut command lacks is on the lost line: not a second error
            found = [f for f in found if "arguments are required" not in f.message]
        findings += found
    findings.sort(key=lambda finding: finding.line)
    if not script.invocations and not findings:
        findings.append(Finding(path, first_line, "shell", "ok",
                                f"{script.commands} shell command(s), no aws command; the shell parses "
                                "(tree-sitter bash) and is never run."))
    return findings


def _trailing_space_fix(line: str, at: int) -> Fix | None:
    """A space after the `\\` that ends a line: removing it is the one correction."""
    spaced = commands.SPACE_AFTER_BACKSLASH.search(line)
    if not spaced:
        return None
    return Fix(at, spaced.group(0), spaced.group(0).rstrip(" \t"), "Remove the space after the `\\`")
