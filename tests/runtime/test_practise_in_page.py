"""An exercise end to end in the served site, as a trainee does it, and what the record keeps.

The results come from the browser job of conftest.py (its `practise` plan, run by
handbook.training.browser); each test reads one aspect. The kit's test (tests/kit/
test_practise_offline.py) does the same from file://.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from handbook.site import Site

from .conftest import PRACTISE, RIGHT, ROOT, WRONG

from handbook.training import exercise as exercises

# what the page must show first: the exercise file's own first hint
FIRST_HINT = exercises.collect()["ct-s08"].hints[0]

# axe's findings in Material's own markup, not the project's (each is the theme's component):
# the search dialog has no name, the footer's copyright is light grey, and a code block that
# scrolls is made focusable by Material's script only when it is shown (a hidden tab's is not).
THEIRS = {"aria-dialog-name": (".md-search",), "color-contrast": (".md-copyright",),
          "scrollable-region-focusable": ("#__code_",)}


def ours(violations: list[dict]) -> list[dict]:
    """The serious and critical violations in the project's markup: every target not the theme's."""
    found = []
    for v in violations:
        targets = [t for t in v["targets"] if not t.startswith(THEIRS.get(v["id"], ()))]
        if v["impact"] in ("serious", "critical") and targets:
            found.append({**v, "targets": targets})
    return found


@pytest.fixture(scope="module")
def journey(in_page) -> dict:
    return in_page["practise"]


def steps(journey) -> dict:
    names = ["start", "wrong", "failed", "hint", "refused", "right", "passed", "solution"]
    assert len(journey["steps"]) == len(names)
    return dict(zip(names, journey["steps"]))


def test_start_prepares_the_exercises_own_account(journey):
    start = steps(journey)["start"]
    assert start["run"] == "ok" and start["note"].startswith("A fresh simulated account for this exercise")


def test_a_wrong_attempt_runs_then_check_fails_naming_the_condition_and_why(journey):
    s = steps(journey)
    assert s["wrong"]["run"] == "ok" and '"LogFileValidationEnabled": false' in s["wrong"]["stdout"]
    assert s["wrong"]["history"] == [WRONG] and s["wrong"]["status"] == "practised"
    failed = s["failed"]
    assert failed["check"] == "fail"
    assert "Does not hold: org-audit validates its log files." in failed["result"]
    assert "LogFileValidationEnabled as false" in failed["result"]
    assert "Holds: org-audit is still logging" in failed["result"]
    assert "Traceback" not in failed["result"] and failed["markup"] == 0


def test_a_hint_shows_one_hint(journey):
    assert steps(journey)["hint"]["hints"] == [FIRST_HINT]


def test_a_refused_command_says_why_runs_nothing_and_is_not_recorded(journey):
    refused = steps(journey)["refused"]
    assert refused["run"] == "error" and refused["note"].startswith("Not run") and "'|'" in refused["note"]
    assert refused["history"] == [WRONG]


def test_the_correct_command_passes_check_and_the_solution_shown_after_keeps_it_passed(journey):
    s = steps(journey)
    assert s["right"]["history"] == [WRONG, RIGHT]
    assert s["passed"]["check"] == "pass" and "Check passed" in s["passed"]["result"]
    assert s["passed"]["status"] == "passed"
    assert s["solution"]["solution"] == [RIGHT] and s["solution"]["status"] == "passed"


def test_check_in_the_page_is_quick_once_the_runtime_is_loaded(journey):
    assert steps(journey)["passed"]["seconds"] < 5  # the benchmark measures it closely (bench/practise.py)


def test_the_checklist_shows_the_status_with_the_trainee_and_the_date_and_prints_blank(journey):
    assert journey["checklist status"] == "passed"
    assert journey["checklist"].startswith("passed by Dana Reyes, 20")
    assert journey["printed statuses"] == 0


def test_the_json_export_keeps_every_command_in_order_with_the_handbooks_version(journey):
    record = json.loads(journey["json"])
    assert record["format"] == "handbook-record" and record["handbook"] == "0.1.0" and record["trainee"] == "Dana Reyes"
    entry = record["exercises"]["ct-s08"]
    assert entry["status"] == "passed" and entry["commands"] == [WRONG, RIGHT] and entry["hints"] == 1
    assert record["investigations"] == {}


def test_the_csv_export_has_the_jqs_columns_and_a_row_per_ksa_id(journey):
    rows = journey["csv"].splitlines()
    assert rows[0] == "id,service,kind,text,status,date"
    assert len(rows) - 1 == len(Site(ROOT).registry.items)
    [row] = [r for r in rows if r.startswith("ct-s08,")]
    assert row.startswith("ct-s08,AWS CloudTrail,Skill,Enable log file integrity,passed,20")


def test_the_record_page_shows_the_exercise_with_its_commands(journey):
    record = journey["record"]
    assert record["status"] == "passed" and record["commands"] == [WRONG, RIGHT]
    assert record["summary"].startswith("Dana Reyes: 1 passed, 0 passed with the solution shown")


def verify(tmp_path, record: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "handbook.cli", "qualify", "verify", str(path), "--json"],
                          cwd=ROOT, capture_output=True, text=True)


def test_qualify_verify_passes_on_the_export_and_fails_at_the_exercise_with_a_command_removed(journey, tmp_path):
    record = json.loads(journey["json"])
    held = verify(tmp_path, record)
    assert held.returncode == 0, held.stdout + held.stderr
    assert [(r["id"], r["holds"]) for r in json.loads(held.stdout)["exercises"]] == [("ct-s08", True)]
    record["exercises"]["ct-s08"]["commands"].remove(RIGHT)
    broken = verify(tmp_path, record)
    assert broken.returncode != 0
    [result] = json.loads(broken.stdout)["exercises"]
    assert result["id"] == "ct-s08" and result["holds"] is False
    assert "org-audit validates its log files" in result["message"]


def test_axe_finds_no_serious_violation_in_the_projects_markup(journey):
    assert set(journey["axe"]) == {PRACTISE["page"], "ksa/checklist.html", "ksa/record.html", *PRACTISE["axe"]}
    assert {page: ours(found) for page, found in journey["axe"].items()} == {page: [] for page in journey["axe"]}


def test_the_theme_filter_keeps_the_projects_own_violations():
    found = [{"id": "label", "impact": "critical", "help": "", "targets": ["#checklist-ct-s08"]},
             {"id": "color-contrast", "impact": "serious", "help": "", "targets": [".md-copyright", ".placeholder"]},
             {"id": "landmark-unique", "impact": "moderate", "help": "", "targets": ["nav"]}]
    assert [(v["id"], v["targets"]) for v in ours(found)] == [("label", ["#checklist-ct-s08"]),
                                                                ("color-contrast", [".placeholder"])]


def test_instant_navigation_keeps_the_runtime_so_the_second_page_runs_at_once(in_page):
    moved = in_page["instant"]
    assert moved["first"]["status"] == "ok" and moved["second"]["status"] == "ok"
    assert moved["second"]["ref"].startswith("s3/")
    assert moved["page loaded"] is False and moved["same page"] is True  # no reload: Material swapped the content
    assert moved["runtime downloads"] == 1
    assert moved["second"]["seconds"] < 5  # no cold start (tens of seconds); bench/practise.py measures it
