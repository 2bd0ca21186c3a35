"""An exercise end to end from the offline kit (file://), what the record keeps there, and what
moving between the kit's pages does to the in-page runtime."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from handbook.kit.chromium import Browser
from handbook.training import browser as trainee

from .conftest import FIXTURES, ROOT

from handbook.training import exercise as exercises

# what the page must show first: the exercise file's own first hint
FIRST_HINT = exercises.collect()["ct-s08"].hints[0]

WRONG = "aws cloudtrail update-trail --name org-audit --no-enable-log-file-validation"
RIGHT = "aws cloudtrail update-trail --name org-audit --enable-log-file-validation"
PLAN = {"page": "services/cloudtrail.html", "ksa": "ct-s08", "trainee": "Dana Reyes",
        "steps": [{"start": True}, {"run": WRONG}, {"check": True}, {"hint": True}, {"run": RIGHT}, {"check": True},
                  # then again with help: Start over, the solution first, its command, Check
                  {"reset": True}, {"solution": True}, {"run": RIGHT}, {"check": True}]}


@pytest.fixture(scope="module")
def offline(kit, browser, tmp_path_factory) -> dict:
    base = kit.site.as_uri() + "/"
    with Browser(browser, record_requests=True) as b:  # names resolve to nothing, the proxy is closed
        found = trainee.journey(b, base, PLAN, tmp_path_factory.mktemp("downloads"))
        found["moved"] = trainee.instant(b, base, "services/cloudtrail.html", "services/s3.html")
        found["requests"] = list(b.requests)
    return found


def test_an_exercise_runs_from_file_start_wrong_attempt_hint_right_attempt(offline):
    start, wrong, failed, hint, right, passed = offline["steps"][:6]
    assert start["run"] == "ok" and wrong["run"] == "ok"
    assert failed["check"] == "fail" and "Does not hold: org-audit validates its log files." in failed["result"]
    assert hint["hints"] == [FIRST_HINT]
    assert passed["check"] == "pass" and passed["status"] == "passed" and passed["history"] == [WRONG, RIGHT]


def test_start_over_then_the_solution_first_records_passed_with_the_solution_shown(offline):
    reset, solution, right, passed = offline["steps"][6:]
    assert reset["run"] == "ok" and reset["status"] == "" and reset["history"] == [] and reset["hints"] == []
    assert reset["note"].startswith("A fresh simulated account for this exercise")
    assert solution["solution"] == [RIGHT] and solution["status"] == ""
    assert passed["check"] == "pass" and passed["status"] == "passed-with-solution" and passed["history"] == [RIGHT]


def test_the_kits_pages_share_one_record_in_chromium(offline):
    # the exercise was done on services/cloudtrail.html; the checklist, another file, reads it
    assert offline["checklist status"] == "passed-with-solution"
    assert offline["checklist"].startswith("passed with the solution shown by Dana Reyes")
    assert offline["record"]["commands"] == [RIGHT]


def test_the_export_from_file_verifies_and_fails_with_a_command_removed(offline, tmp_path):
    record = json.loads(offline["json"])
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    verify = [sys.executable, "-m", "handbook.cli", "qualify", "verify", str(path), "--json"]
    held = subprocess.run(verify, cwd=ROOT, capture_output=True, text=True)
    assert held.returncode == 0, held.stdout + held.stderr
    assert record["exercises"]["ct-s08"]["status"] == "passed-with-solution"
    record["exercises"]["ct-s08"]["commands"] = []
    path.write_text(json.dumps(record), encoding="utf-8")
    broken = subprocess.run(verify, cwd=ROOT, capture_output=True, text=True)
    assert broken.returncode != 0 and [(r["id"], r["holds"]) for r in json.loads(broken.stdout)["exercises"]] == [("ct-s08", False)]


def test_from_file_a_link_loads_the_next_page_whole_and_the_runtime_starts_again(offline):
    moved = offline["moved"]
    assert moved["first"]["status"] == "ok" and moved["second"]["status"] == "ok"
    assert moved["page loaded"] is True and moved["same page"] is False  # no instant navigation from file://
    assert moved["runtime downloads"] == 2  # each page view reads the runtime's files again


def test_nothing_but_files_is_requested(offline):
    assert [u for u in offline["requests"] if not u.startswith(("file://", "data:", "blob:"))] == []


def test_axe_sees_unlabelled_controls(browser):
    """The accessibility check can fail: the checklist's old unlabelled checkbox is found."""
    with Browser(browser) as b:
        tab = b.open((FIXTURES.parent / "a11y" / "unlabelled.html").as_uri())
        found = {v["id"]: v for v in trainee.axe(b, tab)}
    assert {"label", "button-name"} <= set(found)
    assert found["label"]["impact"] == "critical" and len(found["label"]["targets"]) == 2
