"""What a reader of a shell block does not run: the output of a transcript, and lines that are not shell.

Security documentation puts more than commands in its `bash` fences:

- a transcript: `$ aws sts get-caller-identity` (or `user@host:~$ ...`) and the JSON it printed.
  When a block's first line has a prompt, only the prompted lines (and their continuations)
  are commands, as in a `console` fence;
- the output of a command with no prompt at all (`stratus status` and its table), and things a
  threat actor sent (`' OR 1=1 --`, `${jndi:ldap://...}`, `<script>...`): bash cannot read them,
  and no reader would run them.

The second kind is read only when the block as a whole does not parse: each line that bash
cannot read on its own is set aside, unless it holds an `aws` command, a line of a compound
command (`for`, `if`, `do`, `done`, ...), or continues or is continued by another line. If what is left
parses, the block is checked without those lines, and the finding names them; otherwise the
block's syntax error stands. So a loop missing its `done`, or an `aws` line with an unclosed
quote, is still an error at its line.
"""

from __future__ import annotations

import re

from handbook.runbook import commands

# Words that open or close a compound command: such a line is the script's structure, never output.
COMPOUND = {"if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
            "select", "function", "{", "}", "(", ")", "[[", "]]"}
AWS_WORD = re.compile(r"(?:^|[\s;|&(`])(?:\S*/)?aws\s")


def is_transcript(text: str) -> bool:
    """A block whose first line is a prompt: its other lines are output unless prompted."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    return bool(commands.PROMPT.match(first))


def prompted_lines(text: str) -> str:
    """A console transcript: the prompted lines (and their continuations), output lines blanked."""
    kept, continuing = [], False
    for line in text.split("\n"):
        command = bool(commands.PROMPT.match(line)) or continuing
        kept.append(line if command else "")
        continuing = command and line.rstrip().endswith("\\")
    return "\n".join(kept)


def without_unreadable_lines(text: str) -> tuple[str, list[int]] | None:
    """`text` with the lines a shell cannot read (output, payloads) blanked, and their 1-based
    numbers; None when none can be set aside or the rest still does not parse."""
    lines = text.split("\n")
    aside = []
    for number, line in enumerate(lines):
        words = line.split()
        if not words or words[0].startswith("#") or AWS_WORD.search(line) or words[0] in COMPOUND \
                or words[-1] in ("do", "then", "{", "\\") or (number and lines[number - 1].rstrip().endswith("\\")):
            continue
        if commands.parse(line).syntax_error:
            aside.append(number)
    if not aside:
        return None
    kept = "\n".join("" if number in aside else line for number, line in enumerate(lines))
    if commands.parse(kept).syntax_error:
        return None
    return kept, [number + 1 for number in aside]


def spans(numbers: list[int]) -> str:
    """`[3, 4, 5, 9]` as `3-5, 9`."""
    parts, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}-{number}")
            start = None
    return ", ".join(parts)
