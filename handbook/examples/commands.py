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

Before parsing, `<name>` placeholders are masked: to a shell `<bucket>` is a redirection, and
a reader of a runbook knows it is not. Each word of an invocation is then evaluated as the
shell would quote-remove it; what only a running shell knows (`$VAR`, `${VAR}`, `$(...)`,
backticks, arithmetic) becomes a placeholder named by its source text, as `<name>` is.
`handbook.examples.placeholders` decides what value stands in for each.

The shell around the invocations is checked for syntax only (a tree with an ERROR or a
MISSING node is reported at its line).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_bash

# `<name>` in a reader's shell is a placeholder, not a redirection (a letter right after `<`).
ANGLE_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.:/ -]{0,60})>")
SENTINEL = re.compile(r"__HBPH(\d+)__")
PROMPT = re.compile(r"^(\s*)\$ (?=\S)")
# A command word that runs the next word as the command.
WRAPPERS = {"sudo", "time", "exec", "command", "nohup", "env"}
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


@functools.lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def strip_prompts(text: str) -> str:
    """`$ aws ...` read as `aws ...`, each line where it was."""
    return "\n".join(PROMPT.sub(r"\1  ", line) for line in text.split("\n"))


def parse(text: str) -> Script:
    """The aws invocations of shell `text` (prompts stripped, placeholders masked)."""
    table: dict[int, str] = {}

    def mask(match: re.Match) -> str:
        table[len(table)] = match.group(0)
        return f"__HBPH{len(table) - 1}__"

    masked = ANGLE_PLACEHOLDER.sub(mask, strip_prompts(text))
    tree = _parser().parse(masked.encode("utf-8"))
    found: list[Invocation] = []
    count = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "command":
            count += 1
            invocation = _invocation(node, table)
            if invocation is not None:
                found.append(invocation)
        stack.extend(reversed(node.children))
    found.sort(key=lambda i: (i.line, i.source))
    return Script(tuple(found), _syntax_error(tree.root_node, masked), count)


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
    while program in WRAPPERS and arguments:
        program, arguments = _text(arguments[0]), arguments[1:]
        while program == "env" and arguments and "=" in _text(arguments[0]):
            arguments = arguments[1:]
    if program != "aws":
        return None
    own = dict(table)
    words = tuple(Word(_value(a, own), a.start_point.row + 1, _text(a)) for a in arguments)
    return Invocation(node.start_point.row + 1, node.end_point.row + 1, words, own, _text(node))


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
