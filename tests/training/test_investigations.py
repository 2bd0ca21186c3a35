"""Every incident is an investigation the suite proves: each answer found by the commands its
hints lead to (and by its Athena SQL over the trail's log files), each wrong answer refused, the
containment false after the replay and true after `contain:`. Bad investigations fail at their line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.errors import HandbookError
from handbook.examples.verify import simulation_runner
from handbook.simulation import iam
from handbook.training import investigation, scenario

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "investigation"
NAMES = investigation.names(ROOT)
# ATT&CK's cloud tactics the library must cover together (Execution and Collection are welcome, not required).
REQUIRED = {"Initial Access", "Persistence", "Privilege Escalation", "Defense Evasion", "Credential Access",
            "Discovery", "Lateral Movement", "Exfiltration", "Impact"}


def fixture(name: str) -> investigation.Investigation:
    return investigation.read(scenario.load(FIXTURES / f"{name}.yml"), ROOT)


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_is_found_every_wrong_answer_refused_and_the_incident_contained(name):
    inv = investigation.load(name, ROOT)
    result = investigation.rehearse(inv)
    asked = {f["question"] for f in result["found"]}
    assert asked == {q.id for q in inv.questions}, "a question whose answer nothing showed"
    assert set(investigation.ASKED) <= asked
    assert result["containment"].startswith("Done: every condition holds.")
    assert not iam.is_enforced()


def test_the_library_covers_every_cloud_tactic_with_eight_incidents_of_its_own():
    found = investigation.collect(ROOT)
    assert len(found) >= 10 and sum(1 for i in found.values() if not i.scenario.playbook) >= 8
    assert REQUIRED <= {t for i in found.values() for t in i.tactics}
    assert all(i.ksa and i.tactics and i.briefing for i in found.values())
    assert any(q.sql for i in found.values() for q in i.questions)


@pytest.mark.parametrize("name, on_the_line, words", [
    ("unknown-tactic", "Reconnaissance Phase", "'Reconnaissance Phase' is not an ATT&CK tactic"),
    ("unpublished-ksa", "s3-s99", "'s3-s99' is no published KSA id"),
    ("missing-question", "questions:", "does not ask data (what data was read)"),
    ("wrong-accepted", "akiazfixtureexample1", "the wrong answer ' akiazfixtureexample1 ' is accepted as right"),
    ("bad-sql", "SELEC", "does not parse as Athena SQL"),
    ("not-aws", "rm -rf", "'rm -rf /tmp/acme' is not one aws command"),
    ("unknown-question-field", "points:", "a question has no field 'points'"),
    ("no-way-found", "id: data", "neither how its answer is found"),
    ("bad-kind", "kind: ip", "not 'ip'"),
    ("bad-containment", "that: the new bucket is gone", "exactly one comparison"),
    ("signin-unknown-event", "ConsoleLogout", "signin has no event 'ConsoleLogout'"),
    ("session-without-credentials", "session: hop", "s3.CreateBucket returns none"),
    ("kept-unknown", "{bucket}", "{bucket} names nothing"),
])
def test_a_bad_investigation_fails_at_its_line_before_anything_runs(name, on_the_line, words):
    with pytest.raises(HandbookError) as error:
        fixture(name)
    assert error.value.path.endswith(f"{name}.yml") and words in error.value.message, error.value
    lines = (FIXTURES / f"{name}.yml").read_text().splitlines()
    assert error.value.line and on_the_line in lines[error.value.line - 1], error.value


@pytest.mark.parametrize("name", NAMES)
def test_nothing_shown_before_the_questions_gives_an_answer_away(name):
    inv = investigation.load(name, ROOT)
    shown = investigation.public(inv)
    before = " ".join([shown["briefing"], *shown["containment"], *(q["ask"] for q in shown["questions"])]).casefold()
    for q in inv.questions:
        if q.kind in ("text", "address"):
            for accepted in (q.expect if isinstance(q.expect, list) else [q.expect]):
                if len(str(accepted)) < 3:  # "no", "v2": words any text may hold
                    continue
                said = re.search(rf"(?<![\w/.-]){re.escape(str(accepted).casefold())}(?![\w/-])", before)
                assert not said, f"{name}: {q.id}'s answer {accepted!r} is given away"


@pytest.mark.parametrize("name, words", [
    ("not-shown", "`aws iam list-users` does not show the answer 'acme-fixture-old' to 'data'"),
    ("contained-already", "the containment holds before anything is done"),
    ("never-contained", "after `contain:`, the containment does not hold"),
])
def test_the_proof_refuses_an_answer_nothing_shows_and_a_containment_that_cannot_tell(name, words):
    with pytest.raises(HandbookError) as error:
        investigation.rehearse(fixture(name))
    assert words in error.value.message and error.value.line, error.value


def test_the_valid_fixture_passes_the_proof():
    assert investigation.rehearse(fixture("valid"))["questions"] == 5


def test_answers_are_compared_as_a_person_compares_and_nothing_is_given_away():
    inv = investigation.load("credential-compromise", ROOT)
    assert investigation.answer(inv, "credentials", " `akiazdrillexample001` ")
    assert not investigation.answer(inv, "credentials", "AKIAZDRILLEXAMPLE002")
    assert investigation.answer(inv, "start", "2026-11-20 10:14:03+01:00")
    assert investigation.answer(inv, "origin", "203.0.113.45/32")
    assert investigation.reveal(inv, "changes") == "svc-backup"
    assert investigation.hint(inv, "credentials", 1) and investigation.hint(inv, "credentials", 9) is None
    shown = json.dumps(investigation.public(inv))
    assert "AKIAZDRILLEXAMPLE001" not in shown and "svc-backup" not in shown
    assert inv.questions[0].hints[0] not in shown  # a hint comes only when asked for
    with pytest.raises(KeyError):
        investigation.answer(inv, "no-such-question", "x")


@pytest.mark.parametrize("right, hints, seconds, expected", [
    (5, 0, 600, 100),       # everything right, no hint, contained within the quarter hour
    (5, 0, 15 * 60 + 1, 99),  # one started minute late
    (5, 0, 3600, 80),       # very late: containment earns nothing more
    (5, 2, 600, 90),        # two hints
    (5, 0, None, 80),       # never contained
    (0, 30, None, 0),       # never below 0
    (4, 1, 300, 79),        # 64 + 20 - 5
])
def test_the_score(right, hints, seconds, expected):
    inv = investigation.load("s3-unintended-access", ROOT)
    assert investigation.score(inv, right, hints, seconds) == expected


def test_handbook_drill_lists_every_scenario_and_runs_an_incident_of_its_own(capsys):
    from handbook import cli

    assert cli.main(["drill", "--list", "--json", "--root", str(ROOT)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(i["name"] for i in listed) == NAMES and all(i["tactics"] and i["ksa"] for i in listed)
    assert cli.main(["drill", "snapshot-shared", "--json", "--root", str(ROOT)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["steps"] == [] and printed["investigation"]["found"] and printed["actions"] >= 6
    assert cli.main(["drill", "--root", str(ROOT)]) == 1


def test_athena_says_why_a_query_fails_in_its_own_terms():
    from handbook.training import athena

    with pytest.raises(athena.AthenaError, match="SYNTAX_ERROR"):
        athena.query("SELEC 1", [])
    with pytest.raises(athena.AthenaError, match="COLUMN_NOT_FOUND: line 1:8: Column 'colour' cannot be resolved"):
        athena.query("SELECT colour FROM cloudtrail_logs", [])
    with pytest.raises(athena.AthenaError, match="TABLE_NOT_FOUND"):
        athena.query("SELECT * FROM cloudtrail", [])
    columns, rows = athena.query("SELECT count(*) AS n FROM cloudtrail_logs", [{"eventName": "X", "eventTime": "2026-11-20T09:00:00Z"}])
    assert columns == ["n"] and rows == [(1,)]
