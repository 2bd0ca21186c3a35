"""Every exercise of the project is proven three ways: its start fails the check, its solution passes
it, and each near miss fails it at the condition it names (or, for a question, the wrong answer is refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.examples.verify import simulation_runner
from handbook.training import exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = exercise.collect(ROOT)


def prove(found: exercise.Exercise, runner) -> list[str]:
    """What is wrong with the exercise's proof: [] when the start fails, the solution passes and every near miss fails."""
    problems = []
    start = exercise.attempt(found, [], runner)
    if start.holds:
        problems.append(f"{found.path}: the start already passes the check, so the check cannot fail: "
                        f"{start.message()}")
    solved = exercise.attempt(found, found.solution, runner, answer=_right(found))
    refused = [r for r in solved.runs if r.status != "ok"]
    if refused:
        problems.append(f"{found.path}: a solution command does not succeed: {refused[0].command}: "
                        f"{refused[0].note or refused[0].stderr.strip()}")
    if not solved.holds:
        problems.append(f"{found.path}: the solution does not pass the check: {solved.message()}")
    if found.answer is not None and not exercise.shows_answer(found, solved):
        problems.append(f"{found.path}: the solution's output does not show the expected answer {found.answer.expect!r}")
    for miss in found.near_misses:
        if miss.attempt:
            verdict = exercise.attempt(found, list(miss.attempt), runner, answer=_right(found))
            failed = [c.that for c in verdict.failed()]
            if miss.fails not in failed:
                problems.append(f"{found.path}:{miss.line}: the near miss does not fail {miss.fails!r} "
                                f"(failed: {failed or 'nothing'})")
            else:
                detail = next(c.detail for c in verdict.conditions if c.that == miss.fails)
                if not detail.strip() or "Traceback" in detail:
                    problems.append(f"{found.path}:{miss.line}: the near miss fails without a helpful sentence")
        if miss.answer is not None and exercise.answered(found, miss.answer).holds:
            problems.append(f"{found.path}:{miss.line}: the wrong answer {miss.answer!r} is accepted")
    return problems


def _right(found: exercise.Exercise) -> str | None:
    if found.answer is None:
        return None
    expect = found.answer.expect
    return expect[0] if isinstance(expect, list) and found.answer.kind != "list" else expect


def test_the_project_has_exercises():
    assert "ct-s08" in EXERCISES


@pytest.mark.parametrize("ksa_id", sorted(EXERCISES))
def test_the_exercise_is_proven_three_ways(ksa_id):
    assert prove(EXERCISES[ksa_id], simulation_runner()) == []
