"""Every Skill has an exercise or a reason for having none, never both; the reasons are shown to readers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook import ksa
from handbook.errors import HandbookError
from handbook.training import coverage

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "fixtures" / "exercises" / "project"


def _skills(root: Path) -> list[str]:
    return [i for i in ksa.Contract.load(root / "ksa.yml").published if "-s" in i]


def test_every_skill_of_the_handbook_has_an_exercise_or_a_reason():
    registry, _ = ksa.load(ROOT / "docs", ROOT / "ksa.yml")
    skills = [i.id for i in registry.items if i.kind == "s"]
    assert [str(p) for p in coverage.problems(skills, ROOT)] == []
    table = coverage.table(skills, ROOT)
    assert table["ct-s08"] == {"exercise": True}


def _tiny(tmp_path: Path, reasons: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    (root / "snippets" / "exercises-none.yml").write_text(reasons)
    return root


def test_a_skill_with_neither_is_reported(tmp_path):
    root = _tiny(tmp_path, "")
    (root / "snippets" / "cloudtrail" / "exercises" / "ct-s03.yml").unlink()
    [problem] = coverage.problems(_skills(root), root)
    assert "the Skill ct-s03 has no exercise and no reason" in problem.message


def test_a_skill_with_both_is_reported_at_the_reasons_line(tmp_path):
    root = _tiny(tmp_path, "# why not\nct-s03: The console only.\n")
    [problem] = coverage.problems(_skills(root), root)
    assert problem.line == 2 and "ct-s03 has an exercise" in problem.message and "remove the reason" in problem.message


def test_a_reason_for_what_is_no_skill_is_reported(tmp_path):
    root = _tiny(tmp_path, "ct-k01: Knowledge is read, not practised.\n")
    [problem] = coverage.problems(_skills(root), root)
    assert problem.line == 1 and "ct-k01 is not a published Skill" in problem.message


def test_a_reason_that_says_nothing_is_an_error(tmp_path):
    root = _tiny(tmp_path, "ct-s09: \n")
    with pytest.raises(HandbookError) as error:
        coverage.reasons(root)
    assert error.value.line == 1 and "the reason is a sentence" in error.value.message


def test_the_ksa_index_lists_the_skills_without_an_exercise_and_why():
    from handbook.site import Site

    site = Site(ROOT)
    shown = site.exercises_none()
    reasons = coverage.reasons(ROOT)
    skills = sum(1 for i in site.registry.items if i.kind == "s")
    assert shown.startswith(f"{skills - len(reasons)} of the {skills} Skills have an exercise")
    for ksa_id, reason in reasons.items():
        assert f"| `{ksa_id}` |" in shown and reason in shown
    assert "`ct-s08`" not in shown
