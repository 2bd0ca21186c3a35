"""The Practise box's account: an exercise in the page's worker, with the engine the suite uses.

The page (handbook/runtime/assets/practise.js) sends three messages to the worker, which calls
these functions with the page's one `Account` (handbook/account.py):

- `start(ksa, commands)`: a fresh account keyed `exercise:<ksa>`, prepared by the exercise's
  `start` (`exercise.prepare`), then the commands the trainee's record already holds, run again
  in order: after a reload the trainee finds the account as they left it;
- `run(ksa, command, history)`: one command in that account (`exercise.run`: refused with the
  engine's sentence and nothing run, or run as Run runs it; the same rules as `handbook qualify
  verify`). `history` is what the record holds for the exercise: when the account was meanwhile
  given to another box, it is prepared again and `history` replayed first. `ran` says whether
  the command ran, which is what the page records;
- `check(ksa, answer, history)`: the exercise's check in that account (`exercise.evaluate`),
  each condition with whether it holds and, when it does not, why, in a sentence.

Each returns a JSON-ready dict (handbook/runtime/boot.py turns an unexpected failure into a
sentence for the trainee, never a traceback).
"""

from __future__ import annotations

import time
from pathlib import Path

_loaded: dict[tuple[str, str], object] = {}


def key_of(ksa: str) -> str:
    return f"exercise:{ksa}"


def find(root: Path | str, ksa: str):
    """The exercise named `ksa` among the snippets at `root` (snippets/<page>/exercises/<ksa>.yml)."""
    from handbook.training import exercise

    cached = _loaded.get((str(root), ksa))
    if cached is None:
        paths = sorted(Path(root).glob(f"*/exercises/{ksa}.yml"))
        if len(paths) != 1:
            raise LookupError(f"no exercise is named {ksa}" if not paths else f"{ksa} has {len(paths)} exercise files")
        cached = _loaded[(str(root), ksa)] = exercise.load(paths[0])
    return cached


def _prepare(account, found) -> None:
    """The account as the exercise's task starts."""
    from handbook.training import exercise

    account.fresh(key_of(found.ksa), lambda runner, folder: exercise.prepare(found, runner, folder))


def _run(account, found, command: str):
    from handbook.training import exercise

    return exercise.run(found, command, account.runner, cwd=account.folder, commands=account.commands)


def _replay(account, found, commands: list[str]) -> int:
    """Run `commands` in order in the current account; how many ran (refused ones run nothing)."""
    return sum(_run(account, found, command).status != "refused" for command in commands)


def _ensure(account, found, history: list[str]) -> str | None:
    """The exercise's account, prepared again with `history` replayed when another box has it;
    the sentence saying so, or None when it was already there."""
    if account.key == key_of(found.ksa):
        return None
    _prepare(account, found)
    replayed = _replay(account, found, history)
    return "The account was prepared again as the task starts" + (
        f", and your {_count(replayed)} ran again in order." if replayed else ".")


def _count(n: int) -> str:
    return f"{n} earlier command{'s' if n != 1 else ''}"


def start(account, root, ksa: str, commands: list[str] | None = None) -> dict:
    began = time.perf_counter()
    found = find(root, ksa)
    _prepare(account, found)
    replayed = _replay(account, found, list(commands or []))
    note = "A fresh simulated account for this exercise, as the task starts" + (
        f"; your {_count(replayed)} ran again in order." if replayed else ": type a command and Run it.")
    return {"status": "ok", "note": note, "stdout": "", "stderr": "", "ran": False,  # no exit status: nothing ran
            "account": "fresh", "seconds": time.perf_counter() - began}


def run(account, root, ksa: str, command: str, history: list[str] | None = None) -> dict:
    from handbook.training import exercise

    began = time.perf_counter()
    found = find(root, ksa)
    if refused := exercise.refusal(command, files=found.files, commands=account.commands):
        return {"status": "error", "note": refused, "stdout": "", "stderr": "", "exit_code": 2, "ran": False,
                "account": "same", "seconds": time.perf_counter() - began}
    again = _ensure(account, found, list(history or []))
    done = _run(account, found, command)
    ran = done.status != "refused"
    return {"status": "ok" if done.status == "ok" else "error", "exit_code": done.exit_code,
            "stdout": done.stdout, "stderr": done.stderr, "ran": ran, "account": "fresh" if again else "same",
            "note": done.note or again or "In this exercise's account.", "seconds": time.perf_counter() - began}


def check(account, root, ksa: str, answer: str | None = None, history: list[str] | None = None) -> dict:
    from handbook.training import exercise

    began = time.perf_counter()
    found = find(root, ksa)
    again = _ensure(account, found, list(history or []))
    verdict = exercise.evaluate(found, account.runner, answer=answer, cwd=account.folder)
    return {"holds": bool(verdict.holds),
            "conditions": [{"that": c.that, "holds": bool(c.holds), "detail": c.detail} for c in verdict.conditions],
            "message": verdict.message(), "note": again or "", "seconds": time.perf_counter() - began}
