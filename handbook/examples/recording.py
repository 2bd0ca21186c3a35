"""The recorded output of a CLI example: `<name>.output` beside the snippet.

The file holds what the command printed when it last ran against simulated AWS, exactly as
printed: a reader sees real-looking ids and times. Two runs are compared after the reviewed
normalisations (`handbook.examples.cli.NORMALISATIONS`), so a new random id is not a change
but anything else is. Re-recording is one flag, `--update-examples` (`make test UPDATE=1`),
and it rewrites the file only when the normalised output changed: the file is never edited
by hand, and an unchanged example keeps its file byte for byte.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

MAX_DIFF_LINES = 24
HOW_TO_RECORD = "make test UPDATE=1 (pytest --update-examples)"


@dataclass(frozen=True)
class Comparison:
    status: str  # "ok" or "error"
    message: str


def compare(recorded_file: Path, output: str, *, update: bool) -> Comparison:
    """`output` of a run against the file that records it; with `update`, record it instead."""
    # Here, not at the top: the build reads recorded output through this module without awscli.
    from handbook.examples.cli import normalise

    recorded_file = Path(recorded_file)
    name = recorded_file.name
    if not recorded_file.exists():
        if update:
            write(recorded_file, output)
            return Comparison("ok", f"its output is now recorded in {name}")
        return Comparison("error", f"no output is recorded for this example: {HOW_TO_RECORD} records "
                                   f"{name} from the simulated run")
    recorded = read(recorded_file)
    want, got = normalise(recorded), normalise(output)
    if want == got:
        return Comparison("ok", f"its output matches {name} after the reviewed normalisations")
    if update:
        write(recorded_file, output)
        return Comparison("ok", f"its output changed and is re-recorded in {name}")
    diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), f"{name} (recorded)",
                                     "this run", lineterm="", n=1))
    shown = diff[:MAX_DIFF_LINES] + (["..."] if len(diff) > MAX_DIFF_LINES else [])
    return Comparison("error", f"its output differs from {name} after the reviewed normalisations; if "
                               f"the change is right, {HOW_TO_RECORD} re-records it:\n" + "\n".join(shown))


def read(recorded_file: Path) -> str:
    """The recorded output exactly, carriage returns included (text mode would turn them into newlines)."""
    return Path(recorded_file).read_bytes().decode("utf-8")


def write(recorded_file: Path, output: str) -> None:
    Path(recorded_file).write_bytes(output.encode("utf-8"))


def as_terminal_shows(output: str) -> str:
    """The output as a terminal leaves it: a carriage return goes back to the start of the line,
    so a progress line is overwritten by what follows it (s3 cp)."""
    shown = []
    for line in output.split("\n"):
        screen: list[str] = []
        for part in line.split("\r"):
            screen[:len(part)] = part
        shown.append("".join(screen).rstrip())
    return "\n".join(shown)
