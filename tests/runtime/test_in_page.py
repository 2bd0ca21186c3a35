"""Every CLI example runs from its button in the served site, as a reader clicks it.

The results come from the browser job of conftest.py; each test reads one aspect of them.
"""

from __future__ import annotations

from pathlib import Path

from handbook import snippets
from handbook.examples import cli
from handbook.runtime.check import compare

from .conftest import MALICIOUS, ROOT

SNIPPETS = ROOT / "snippets"


def recorded_cli_examples() -> list[str]:
    return [s.ref for s in snippets.find(SNIPPETS) if s.kind == "cli" and s.output.exists()]


def ran(in_page) -> dict:
    return {r["ref"]: r for page in in_page["pages"] for r in page["ran"]}


def test_every_recorded_cli_example_runs_from_its_button_with_its_recorded_output(in_page):
    found = ran(in_page)
    expected = recorded_cli_examples()
    assert len(expected) >= 40
    assert sorted(found) == sorted(expected)  # every one has a button, on some page
    wrong = {ref: (r["status"], r["note"], r["stderr"][:300]) for ref, r in found.items()
             if r["status"] != "ok" or not compare((SNIPPETS / ref).with_suffix(".output").read_bytes().decode(), r["stdout"])}
    assert wrong == {}


def test_the_comparison_fails_on_an_output_that_is_not_the_recorded_one(in_page):
    r = ran(in_page)["cloudtrail/create-trail.sh"]
    recorded = (SNIPPETS / "cloudtrail" / "create-trail.output").read_bytes().decode()
    assert compare(recorded, r["stdout"])
    assert not compare(recorded, r["stdout"].replace("Trail1", "Trail9"))


def test_a_page_view_downloads_nothing_of_the_runtime_until_run(in_page):
    for page in in_page["pages"]:
        assert [u for u in page["requests_before_run"] if "/assets/runtime/" in u] == [], page["url"]
        assert any(u.endswith("/assets/javascripts/run.js") for u in page["requests_before_run"]), page["url"]
        assert any("/assets/runtime/packages.js" in u for u in page["requests"]), page["url"]


def test_the_first_run_shows_the_stages_it_loads(in_page):
    stages = {stage for page in in_page["pages"] for stage in page["ran"][0]["stages"]}
    assert {"Runtime: starting Python…", "Packages: awscli, moto and the simulation…",
            "Simulated account: preparing it…"} <= stages


def test_nothing_leaves_the_machine(in_page):
    for page in in_page["pages"]:
        assert [u for u in page["requests"] if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))] == []


def test_an_edited_command_runs_in_the_same_account(in_page):
    steps = in_page["scenarios"]["edit"]
    first, created, described = steps[0], steps[1], steps[2]
    assert first["status"] == "ok" and first["note"].startswith("A fresh simulated account")
    assert created["status"] == "ok" and created["note"].startswith("The same simulated account")
    assert described["status"] == "ok" and '"Name": "Drill"' in described["stdout"] and '"Name": "Trail1"' in described["stdout"]


def test_what_the_account_does_not_run_is_said_plainly_and_changes_nothing(in_page):
    steps = in_page["scenarios"]["edit"]
    empty, shell, pipe, substitution, unknown = steps[3:8]
    assert empty["status"] == "error" and empty["note"] == "Nothing to run: type an aws command."
    assert shell["status"] == "error" and "starts with 'ls', not 'aws'" in shell["note"]
    assert pipe["status"] == "error" and "shell operator '|'" in pipe["note"]
    assert substitution["status"] == "error" and "$(...) asks a shell for a value" in substitution["note"]
    assert unknown["status"] == "error" and "`aws dynamodb` is not among them" in unknown["note"]
    for step in (empty, shell, pipe, substitution, unknown):
        assert step["stdout"] == "" and step["markup"] == 0
    after = steps[10]
    assert after["status"] == "ok" and '"Name": "Drill"' in after["stdout"]  # the account kept its state


def test_a_real_endpoint_is_refused_and_output_is_shown_as_text(in_page):
    steps = in_page["scenarios"]["edit"]
    endpoint, malicious = steps[8], steps[9]
    assert endpoint["status"] == "error" and endpoint["note"].startswith("Refused: the in-page account never sends")
    assert "cloudtrail.example.com" in endpoint["stderr"]
    assert malicious["status"] == "ok" and f'"Prefix": "{MALICIOUS}"' in malicious["stdout"]
    assert malicious["markup"] == 0  # the <img> and <script> are text, not elements


def test_another_example_and_reset_start_a_fresh_account(in_page):
    steps = in_page["scenarios"]["edit"]
    other, deleted, reset, again = steps[11:15]
    assert other["note"].startswith("A fresh simulated account") and '"Name": "Drill"' not in other["stdout"]
    assert compare((SNIPPETS / "cloudtrail" / "describe-trails.output").read_bytes().decode(), other["stdout"])
    assert deleted["status"] == "ok" and deleted["note"].startswith("The same simulated account")
    assert reset["status"] == "ok" and reset["note"].startswith("A fresh account")
    # the edited box's command, in an account prepared anew: the trail deleted before the reset is back
    assert again["note"].startswith("A fresh simulated account") and '"Name": "Trail2"' in again["stdout"]


def test_a_missing_runtime_file_is_said_on_the_button_and_the_page_keeps_working(in_page):
    missing = in_page["missing"]
    [run] = missing["ran"]
    assert run["status"] == "error" and run["button"] == "Run unavailable"
    assert "its file packages.js could not be loaded" in run["note"]
    assert missing["tabs switch"] is True


def test_each_later_command_is_quick(in_page):
    later = [r["seconds"] for page in in_page["pages"] for r in page["ran"][1:]]
    assert len(later) > 20 and sorted(later)[len(later) // 2] < 2  # a median far below a cold start


def test_a_drill_starts_in_one_account_and_ticks_the_evidence_any_output_shows(in_page):
    start, first, own = in_page["scenarios"]["drill"]
    reveals = ["GetCallerIdentity", "CreateUser", "CreateAccessKey", "RunInstances", "StopLogging", "svc-backup"]
    assert start["status"] == "ok" and start["ref"] == "drill:credential-compromise"
    assert start["evidence"] == reveals and start["exit"] == "0 of 6 pieces of evidence found"
    assert start["note"].startswith("A fresh simulated account, prepared as the check of find-actor-activity.sh")
    assert first["status"] == "ok" and first["note"].startswith("The same simulated account")
    assert first["evidence"] == reveals[:5]  # what the first step's output shows, and nothing else
    assert own["status"] == "ok" and "svc-backup" in own["stdout"]
    assert own["evidence"] == reveals  # a command of the reader's own found the last piece
