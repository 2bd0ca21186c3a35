"""Every `aws` invocation in a piece of shell, found with a real shell parser, never run.

A runbook's fence is rarely one command. It holds comments, several commands, loops over
regions (`for R in $(aws ec2 describe-regions ...)`), assignments (`START=$(date ...)`),
pipes (`aws s3 ls s3://<bucket> | grep ...`), redirects, and `$ ` prompts. Each `aws`
invocation in it is checked on its own and reported at its own line: at top level, in a
pipeline, inside `$(...)` and backticks, in loops and conditionals, after assignments.

The parser is tree-sitter with its bash grammar (`tree-sitter`, `tree-sitter-bash`), not
bashlex: both grammars and the bindings are maintained (releases through 2025-2026, wheels
for every platform, no build step), the grammar covers what runbooks use (here-strings,
`[[ ]]`, arrays, `$'...'`, process substitution) where bashlex stops at the first construct it
does not know, and the parser is error-tolerant: a syntax error is one ERROR node with a
position, and the commands around it are still found. bashlex had its last release in 2023.

Before parsing, `<name>` and `{{ name }}` placeholders are masked: to a shell `<bucket>` is a
redirection and `{{ name }}` three words, and a reader of a runbook knows they are one value. Each word of an invocation is then evaluated as the
shell would quote-remove it; what only a running shell knows (`$VAR`, `${VAR}`, `$(...)`,
backticks, arithmetic) becomes a placeholder named by its source text, as `<name>` is.
`handbook.runbook.placeholders` decides what value stands in for each.

The shell around the invocations is checked for syntax only (a tree with an ERROR or a
MISSING node is reported at its line).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_bash

# `<name>` in a reader's shell is a placeholder, not a redirection (a letter right after `<`);
# `<GET|POST|ANY>` lists the choices (one of them, not a pipe), `<MFA code #1>` is one blank.
ANGLE_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.:/ |#-]{0,60})>")
# A blank written as words in brackets or braces, `[Target Role Name]`, `{Your Profile}`: one
# value to the reader, several words (or a glob, a brace group) to a shell. A letter right after
# the opening bracket and at least one space inside; not after a word or `$` (`${ARR[@]}`).
WORDS_PLACEHOLDER = re.compile(r"(?<![\w$\]])(?:\[[A-Za-z][\w.#-]*(?: [\w.#-]+)+\]|\{[A-Za-z][\w.#-]*(?: [\w.#-]+)+\})")
# `{{ name }}` (a template's slot) is one word to the reader, several to a shell.
TEMPLATE_PLACEHOLDER = re.compile(r"\{\{ *[A-Za-z_][A-Za-z0-9_.-]* *\}\}")
SENTINEL = re.compile(r"__HBPH(\d+)__")
# A team's own conventions (`placeholders` in its configuration), masked like `<name>`: one
# pattern for all of them, set for the length of a check (`conventions`), None when none.
TEAM: contextvars.ContextVar[re.Pattern | None] = contextvars.ContextVar("team_placeholders", default=None)
# A shell prompt before a command: `$ `, `user@host:~$ `, `[ec2-user@ip-192-0-2-10 ~]$ `.
PROMPT = re.compile(r"^(\s*)(?:(?:\[[\w.-]+@[\w.-]+[^\]\n]*\]|[\w.-]+@[\w.-]+(?::[^\s$]*)?) ?)?\$ (?=\S)")
# Commands that run the rest of their words as a command, with the options of theirs that take
# the next word as their value, and how many words of their own come first (timeout's duration).
# Options whose value is optional and attached (`watch -d`, `xargs -i`, `--replace`) take none.
RUNNERS = {
    "sudo": ({"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T"}, 0),
    "env": ({"-u", "-C", "-S", "--unset", "--chdir"}, 0),  # and NAME=value words
    "time": (set(), 0), "exec": ({"-a"}, 0), "command": (set(), 0), "nohup": (set(), 0),
    "nice": ({"-n", "--adjustment"}, 0), "stdbuf": ({"-i", "-o", "-e"}, 0),
    "timeout": ({"-s", "-k", "--signal", "--kill-after"}, 1),
    "watch": ({"-n", "--interval"}, 0),
    # xargs appends what it reads (or puts it where -I's string is): the rest is a command
    "xargs": ({"-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "--max-args", "--max-procs", "--delimiter",
               "--arg-file"}, 0),
}
# Node types whose value only a running shell knows.
DYNAMIC = {"simple_expansion", "expansion", "command_substitution", "process_substitution",
           "arithmetic_expansion"}


@dataclass(frozen=True)
class Word:
    """One word of a command after quote removal; placeholders appear as __HBPHn__ sentinels."""

    text: str
    line: int  # 1-based, in the text given to `invocations`
    source: str  # as written


@dataclass(frozen=True)
class Invocation:
    """One `aws ...` command: its words after `aws`, the line it starts on."""

    line: int
    last_line: int
    words: tuple[Word, ...]
    placeholders: dict = field(default_factory=dict)  # sentinel number -> text as written
    source: str = ""

    def line_of(self, index: int) -> int:
        return self.words[index].line if 0 <= index < len(self.words) else self.line


@dataclass(frozen=True)
class Script:
    invocations: tuple[Invocation, ...]
    syntax_error: tuple[int, str] | None  # (line, what) when the shell cannot read it
    commands: int  # every simple command, aws or not
    # (line, what): a `\` that looks like it continues the command and does not, for bash
    broken_continuations: tuple[tuple[int, str], ...] = ()
    # (line, option, line of the aws command it was cut from): a line that starts with an
    # option of the aws command above it, whose `\` was lost
    lost_continuations: tuple[tuple[int, str, int], ...] = ()


@functools.lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@contextlib.contextmanager
def conventions(patterns):
    """A team's placeholder patterns (regular expressions) in force inside the `with` block."""
    token = TEAM.set(re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None)
    try:
        yield
    finally:
        TEAM.reset(token)


def strip_prompts(text: str) -> str:
    """`$ aws ...` read as `aws ...`, each line where it was."""
    return "\n".join(PROMPT.sub(lambda m: " " * len(m.group(0)), line) for line in text.split("\n"))


def parse(text: str) -> Script:
    """The aws invocations of shell `text` (prompts stripped, placeholders masked)."""
    table: dict[int, str] = {}

    def mask(match: re.Match) -> str:
        table[len(table)] = match.group(0)
        return f"__HBPH{len(table) - 1}__"

    masked = strip_prompts(text)
    if (team := TEAM.get()) is not None:
        masked = team.sub(mask, masked)
    for convention in (ANGLE_PLACEHOLDER, WORDS_PLACEHOLDER, TEMPLATE_PLACEHOLDER):
        masked = convention.sub(mask, masked)
    tree = _parser().parse(masked.encode("utf-8"))
    found: list[Invocation] = []
    options: list = []  # commands whose name is an option: `--groups sg-...` run on its own
    count = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "command":
            count += 1
            invocation = _invocation(node, table)
            if invocation is not None:
                found.append(invocation)
            elif (name := node.child_by_field_name("name")) is not None and OPTION_LINE.match(_text(name)):
                options.append(node)
        elif node.type == "variable_assignment" and OPTION_LINE.match(_text(node)):
            options.append(node)  # `--key=Environment` alone on its line: the grammar reads an assignment
        stack.extend(reversed(node.children))
    found.sort(key=lambda i: (i.line, i.source))
    return Script(tuple(found), _syntax_error(tree.root_node, masked), count,
                  tuple(_broken_continuations(tree.root_node, masked)),
                  tuple(_lost_continuations(options, found, masked)))


OPTION_LINE = re.compile(r"--[a-z][a-z0-9-]*(=|$)")


def _lost_continuations(options: list, found: list[Invocation], text: str):
    r"""A line that starts with `--option` right under an aws command whose line does not end
    with `\`: the continuation was lost (removed in a copy, or never typed). bash ends the aws
    command at the end of its line and runs the option line as a command of its own."""
    lines = text.split("\n")
    ends = {invocation.last_line: invocation for invocation in found}
    for node in options:
        row = node.start_point.row  # 0-based row of the option's line; the line above is `row`, 1-based
        above = ends.get(row)
        if above is None or row == 0 or lines[row - 1].rstrip().endswith("\\") \
                or lines[row][:node.start_point.column].strip():  # not the first word of its line
            continue
        yield row + 1, _text(node).split()[0].split("=", 1)[0], above.line


SPACE_AFTER_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)*\\[ \t]+$")
QUOTED = {"string", "raw_string", "ansi_c_string", "heredoc_body", "comment", "heredoc_redirect"}


def _broken_continuations(root, text: str):
    r"""Where bash ends a command the writer meant to continue, as copies from a page do:
    `\` then a space at the end of a line (an escaped space: the newline ends the command),
    and a line that is only `\` after a line that did not continue (tree-sitter's grammar
    joins that one, bash does not). Inside quotes and here-documents both are text."""
    lines = text.split("\n")
    for row, line in enumerate(lines):
        spaced = SPACE_AFTER_BACKSLASH.search(line)
        alone = line.strip() == "\\" and row > 0 and not lines[row - 1].rstrip().endswith("\\")
        if not (spaced or alone):
            continue
        column = len(line[:line.rindex("\\")].encode("utf-8"))  # tree-sitter counts bytes
        node = root.descendant_for_point_range((row, column), (row, column))
        while node is not None and node.type not in QUOTED:
            node = node.parent
        if node is not None:
            continue
        if spaced:
            yield row + 1, ("A space after the `\\` at the end of the line: bash reads an escaped space "
                            "and ends the command there, so the next line runs as a command of its own")
        else:
            yield row + 1, ("A line that is only `\\` continues nothing: the command before it ended "
                            "on the line above, and bash runs the next line as a command of its own")


def _syntax_error(root, text: str) -> tuple[int, str] | None:
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop(0)
        if node.type == "ERROR" or node.is_missing:
            line = node.start_point.row + 1
            shown = text.split("\n")[node.start_point.row].strip()
            what = f"expected {node.type!r}" if node.is_missing else "cannot read it"
            return line, f"{what}: {_unmask(shown)[:80]}"
        stack[0:0] = [c for c in node.children if c.has_error or c.is_missing]
    return 1, "cannot read it"


def _unmask(text: str) -> str:
    return text  # masked names keep their number; only used in messages


def _invocation(node, table: dict[int, str]) -> Invocation | None:
    name = node.child_by_field_name("name")
    arguments = node.children_by_field_name("argument")
    if name is None:
        return None
    program = _text(name)
    fed = None  # xargs: where what it reads goes ("" appended at the end, or -I's string)
    while program in RUNNERS and arguments:
        program, arguments, replace = _run_by(program, arguments)
        fed = replace if replace is not None else fed
    if program.rsplit("/", 1)[-1] != "aws":  # /usr/local/bin/aws too
        return None
    own = dict(table)
    words: list[Word] = []
    for index, argument in enumerate(arguments):
        word = Word(_value(argument, own), argument.start_point.row + 1, _text(argument))
        if index and argument.start_byte == arguments[index - 1].end_byte:  # `file://<(...)`: one word
            before = words.pop()
            word = Word(before.text + word.text, before.line, before.source + word.source)
        words.append(word)
    if fed:  # -I {}: each {} is what xargs read, a value only the running shell knows
        own[len(own)] = fed
        words = [Word(w.text.replace(fed, f"__HBPH{len(own) - 1}__"), w.line, w.source) for w in words]
    elif fed == "":
        own[len(own)] = "(what xargs reads)"
        words.append(Word(f"__HBPH{len(own) - 1}__", node.end_point.row + 1, "(what xargs reads)"))
    return Invocation(node.start_point.row + 1, node.end_point.row + 1, tuple(words), own, _text(node))


def _run_by(runner: str, arguments: list) -> tuple[str, list, str | None]:
    """The command `runner` (sudo, timeout 30, xargs -I {} ...) runs: its name and words; for
    xargs, where the words it reads go."""
    takes_value, own_words = RUNNERS[runner]
    replace = "" if runner == "xargs" else None
    i = 0
    while i < len(arguments):
        word = _value(arguments[i], {})
        option = word.split("=", 1)[0]
        if runner == "xargs" and option in ("-I", "--replace", "-i"):
            replace = _value(arguments[i + 1], {}) if option == "-I" and i + 1 < len(arguments) else "{}"
            if "=" in word:
                replace = word.split("=", 1)[1]
        if word.startswith("-") and len(word) > 1:
            i += 2 if word in takes_value else 1  # `--max-args=1`, `-n1`: the value is attached
        elif runner == "env" and "=" in word:
            i += 1
        elif own_words:
            own_words -= 1
            i += 1
        else:
            break
    rest = arguments[i:]
    if not rest:
        return "", [], replace
    return _value(rest[0], {}), rest[1:], replace


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _dynamic(node, table: dict[int, str]) -> str:
    table[len(table)] = _text(node)
    return f"__HBPH{len(table) - 1}__"


def _value(node, table: dict[int, str]) -> str:
    """The word as the shell passes it, expansions replaced by sentinels."""
    kind = node.type
    if kind in DYNAMIC:
        return _dynamic(node, table)
    if kind == "raw_string":
        return _text(node)[1:-1]
    if kind == "ansi_c_string":
        return _text(node)[2:-1].encode("utf-8").decode("unicode_escape", "replace")
    if kind == "string":
        parts = []
        for child in node.children:
            if child.type == '"':
                continue
            if child.type in DYNAMIC:
                parts.append(_dynamic(child, table))
            else:
                parts.append(re.sub(r'\\([$`"\\\n])', r"\1", _text(child)).replace("\\\n", ""))
        return "".join(parts)
    if kind == "concatenation":
        return "".join(_value(child, table) for child in node.children)
    text = _text(node)
    return re.sub(r"\\(.)", r"\1", text.replace("\\\n", ""), flags=re.S)
