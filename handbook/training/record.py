"""The qualification record: what a trainee did, kept by the page and exported, verified by replay.

One JSON document, the same in the browser's storage (`localStorage["handbook-record"]`) and in
the export:

    {"format": "handbook-record", "version": 1, "handbook": "0.1.0",
     "trainee": "Dana Reyes", "exported": "2026-12-07T10:00:00Z",
     "exercises": {"ct-s08": {"status": "passed", "date": "2026-12-07T09:41:10Z", "hints": 1,
                              "commands": ["aws cloudtrail update-trail ..."], "answer": null}},
     "investigations": {"credential-compromise": {"status": "contained", ...}}}

`status` is practised, passed or passed-with-solution; an id absent is not started. `commands`
is every command run in that exercise's box, in order.

A record is untrusted input: `read`/`parse` check every field and name the place of a mistake
(`exercises.ct-s08.commands[2]`), with the line of the JSON file when it can be found. `verify`
trusts no status: it replays each exercise the record marks passed (or passed with the solution
shown) in a fresh simulated account, its commands in order through the engine the page and the
suite use (handbook.training.exercise.attempt), and says per id whether the check holds. A
command that reaches for the network, the machine's files or a shell is refused at its place and
nothing of it runs. One runner serves every replay; each gets an account of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.errors import HandbookError
from handbook.training import answer as answers
from handbook.training.lines import place

FORMAT = "handbook-record"
VERSION = 1
TOP = {"format", "version", "handbook", "trainee", "exported", "exercises", "investigations"}
STATUSES = ("practised", "passed", "passed-with-solution")
REPLAYED = ("passed", "passed-with-solution")
ENTRY = {"status", "date", "hints", "commands", "answer"}


@dataclass(frozen=True)
class Entry:
    status: str
    date: str
    hints: int
    commands: list[str]
    answer: str | None = None


@dataclass
class Record:
    path: str
    handbook: str
    trainee: str
    exported: str
    exercises: dict[str, Entry]
    investigations: dict[str, dict] = field(default_factory=dict)


@dataclass
class Replay:
    """One exercise of the record replayed: whether its check holds, in words."""

    ksa: str
    status: str
    holds: bool | None  # None: not replayed (practised only)
    message: str
    refused: list[str] = field(default_factory=list)  # "exercises.<id>.commands[n]: why", per refused command

    def as_dict(self) -> dict:
        return {"id": self.ksa, "status": self.status, "holds": self.holds, "message": self.message,
                "refused": self.refused}


# ---------------------------------------------------------------------------------------------
# Reading


def read(path: Path | str, *, known: set[str] | None = None) -> Record:
    """The record of a JSON file, every field checked; `known`: the exercise ids (default: the project's)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise HandbookError(path, None, f"the record cannot be read: {problem}") from None
    return parse(text, str(path), known=known)


def parse(text: str, where: str = "record", *, known: set[str] | None = None) -> Record:
    """The record of a JSON text (the browser's storage, an export); `where` names it in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as bad:
        raise HandbookError(where, bad.lineno, f"the record is not JSON: {bad.msg} (column {bad.colno})") from None
    if known is None:
        from handbook.training import exercise

        known = set(exercise.collect())

    def fail(at: tuple, message: str) -> HandbookError:
        return HandbookError(where, _line(text, at), f"{place(at)}: {message}")

    if not isinstance(data, dict):
        raise HandbookError(where, 1, "a record is a JSON object with format, version, handbook, trainee and exercises")
    for name in data:
        if name not in TOP:
            raise fail((name,), f"unknown field; a record has {', '.join(sorted(TOP))}")
    if data.get("format") != FORMAT:
        raise fail(("format",), f"must be {FORMAT!r}, not {data.get('format')!r}")
    if data.get("version") != VERSION:
        raise fail(("version",), f"this handbook reads records of version {VERSION}, not {data.get('version')!r}")
    for name in ("handbook", "trainee"):
        if not isinstance(data.get(name), str):
            raise fail((name,), f"must be a text, not {data.get(name)!r}")
    exported = data.get("exported", "")
    if exported and (not isinstance(exported, str) or answers.instant(exported) is None):
        raise fail(("exported",), f"must be a time such as 2026-12-07T10:00:00Z, not {exported!r}")
    exercises = data.get("exercises", {})
    if not isinstance(exercises, dict):
        raise fail(("exercises",), "must map each exercise's KSA id to what was done")
    entries = {ksa: _entry(ksa, value, known, fail) for ksa, value in exercises.items()}
    investigations = data.get("investigations", {})
    if not isinstance(investigations, dict) or not all(isinstance(v, dict) for v in investigations.values()):
        raise fail(("investigations",), "must map each investigation's name to what was done")
    for name, value in investigations.items():
        commands = value.get("commands", [])
        if not isinstance(commands, list):
            raise fail(("investigations", name, "commands"), "must be a list of commands")
        for n, command in enumerate(commands):
            if not isinstance(command, str):
                raise fail(("investigations", name, "commands", n), f"must be a command (a text), not {command!r}")
    return Record(where, data["handbook"], data["trainee"], exported, entries, investigations)


def _entry(ksa: str, value: Any, known: set[str], fail) -> Entry:
    at = ("exercises", ksa)
    if ksa not in known:
        raise fail(at, f"no exercise of this handbook has the id {ksa!r}")
    if not isinstance(value, dict):
        raise fail(at, "must be an object with status, date, hints, commands and answer")
    for name in value:
        if name not in ENTRY:
            raise fail(at + (name,), f"unknown field; an exercise's entry has {', '.join(sorted(ENTRY))}")
    for name in ("status", "commands"):
        if name not in value:
            raise fail(at, f"lacks `{name}`")
    if value["status"] not in STATUSES:
        raise fail(at + ("status",), f"is one of {', '.join(STATUSES)}, not {value['status']!r}")
    date = value.get("date", "")
    if date and (not isinstance(date, str) or answers.instant(date) is None):
        raise fail(at + ("date",), f"must be a time such as 2026-12-07T09:41:10Z, not {date!r}")
    hints = value.get("hints", 0)
    if not isinstance(hints, int) or isinstance(hints, bool) or hints < 0:
        raise fail(at + ("hints",), f"must be how many hints were taken (0 or more), not {hints!r}")
    commands = value["commands"]
    if not isinstance(commands, list):
        raise fail(at + ("commands",), "must be the list of commands run, in order")
    for n, command in enumerate(commands):
        if not isinstance(command, str):
            raise fail(at + ("commands", n), f"must be a command (a text), not {command!r}")
    given = value.get("answer")
    if given is not None and not isinstance(given, (str, int, float)):
        raise fail(at + ("answer",), f"must be the answer given (a text) or null, not {given!r}")
    return Entry(value["status"], date or "", hints, list(commands), None if given is None else str(given))


def _line(text: str, at: tuple) -> int | None:
    """The line of the JSON text where the place `at` is written, found by its keys in order; None if not."""
    offset = 0
    for part in at:
        if isinstance(part, int):
            continue
        found = re.compile(r'"' + re.escape(str(part)) + r'"\s*:').search(text, offset)
        if not found:
            return None
        offset = found.start()
    if at and isinstance(at[-1], int):  # the n-th item of the list after the last key
        opening = text.find("[", offset)
        if opening < 0:
            return None
        offset = _nth_item(text, opening, at[-1])
    return text.count("\n", 0, offset) + 1 if offset >= 0 else None


def _nth_item(text: str, opening: int, n: int) -> int:
    """Where the n-th item of the JSON list opening at `opening` starts (-1 when it cannot be found)."""
    try:
        decoder = json.JSONDecoder()
        i = opening + 1
        for index in range(n + 1):
            while text[i] in " \t\r\n,":
                i += 1
            if index == n:
                return i
            _, i = decoder.raw_decode(text, i)
    except (ValueError, IndexError):
        return -1
    return -1


# ---------------------------------------------------------------------------------------------
# Replaying


def verify(record: Record, runner, *, exercises: dict | None = None, carried=None) -> list[Replay]:
    """Each exercise the record marks passed, replayed in a fresh account with its commands, in order.

    `exercises`: by id (default: the project's); `carried`: the `aws <command>` names the page's
    account carries (default: handbook/runtime/runtime.yml's, when it is there).
    """
    from handbook.training import exercise

    exercises = exercise.collect() if exercises is None else exercises
    carried = carried_commands() if carried is None else carried
    out = []
    for ksa, entry in record.exercises.items():
        if entry.status not in REPLAYED:
            out.append(Replay(ksa, entry.status, None, "practised, not marked passed: not replayed"))
            continue
        if ksa not in exercises:
            out.append(Replay(ksa, entry.status, False, f"this handbook has no exercise {ksa}: nothing to replay"))
            continue
        verdict = exercise.attempt(exercises[ksa], entry.commands, runner, answer=entry.answer, carried=carried)
        refused = [f"{place(('exercises', ksa, 'commands', n))}: {run.note}"
                   for n, run in enumerate(verdict.runs) if run.status == "refused"]
        ran = len(entry.commands) - len(refused)
        if verdict.holds:
            message = f"holds on replay: every condition holds after its {ran} command(s)"
        else:
            failed = "; ".join(f"{c.that}: {c.detail}" for c in verdict.failed())
            message = f"does not hold on replay ({len(entry.commands)} command(s) replayed): {failed}"
        if refused:
            message += f"; {len(refused)} command(s) refused and not run: " + "; ".join(refused)
        out.append(Replay(ksa, entry.status, verdict.holds, message, refused))
    return out


def carried_commands() -> frozenset[str] | None:
    """The `aws <command>` names the page's account carries (handbook/runtime/runtime.yml), or None."""
    import yaml

    settings = Path(__file__).resolve().parent.parent / "runtime" / "runtime.yml"
    if not settings.exists():
        return None
    commands = (yaml.safe_load(settings.read_text(encoding="utf-8")) or {}).get("commands")
    return frozenset(commands) if commands else None


def handbook_version() -> str | None:
    """This handbook's version (pyproject.toml's), or None where it is not at hand (the browser)."""
    import tomllib

    path = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        return str(tomllib.loads(path.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def report(record: Record, replays: list[Replay]) -> str:
    """The replay as a terminal shows it: one line per exercise, then the verdict."""
    current = handbook_version()
    replayed_with = f"; replayed with handbook {current}" if current and current != record.handbook else ""
    lines = [f"Record of {record.trainee or 'an unnamed trainee'} (handbook {record.handbook}, "
             f"exported {record.exported or 'at an unknown time'}{replayed_with}):"]
    for replay in replays:
        mark = {True: "holds", False: "FAILS", None: "skipped"}[replay.holds]
        lines.append(f"{replay.ksa} {replay.status}: {mark}: {replay.message}")
    replayed = [r for r in replays if r.holds is not None]
    failing = [r.ksa for r in replayed if not r.holds]
    lines.append(f"{len(replayed)} passed exercise(s) replayed; " + (
        f"{len(failing)} do(es) not hold: {', '.join(failing)}." if failing else "every one holds."))
    return "\n".join(lines)
