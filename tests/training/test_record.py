"""`handbook qualify verify`: a record holds only when each passed exercise holds on replay; a record edited
by hand fails at that exercise; a malformed record is an error naming the place; a refused command runs nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook import cli
from handbook.errors import HandbookError
from handbook.examples.verify import simulation_runner
from handbook.training import exercise, record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RECORDS = FIXTURES / "records"
PROJECT = FIXTURES / "exercises" / "project"
EXERCISES = exercise.collect(PROJECT)


def _verify(name: str) -> dict[str, record.Replay]:
    loaded = record.read(RECORDS / name, known=set(EXERCISES))
    return {r.ksa: r for r in record.verify(loaded, simulation_runner(), exercises=EXERCISES)}


def _cli(name: str, capsys) -> tuple[int, dict]:
    code = cli.main(["qualify", "verify", str(RECORDS / name), "--root", str(PROJECT), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_record_whose_passed_exercises_hold(capsys):
    code, printed = _cli("holds.json", capsys)
    assert code == 0 and printed["holds"] is True
    by_id = {e["id"]: e for e in printed["exercises"]}
    assert by_id["ct-s01"]["holds"] is True and by_id["ct-s03"]["holds"] is True
    assert by_id["ct-s02"]["holds"] is None and "not replayed" in by_id["ct-s02"]["message"]


def test_the_text_report_has_one_line_per_exercise(capsys):
    assert cli.main(["qualify", "verify", str(RECORDS / "command-removed.json"), "--root", str(PROJECT)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("ct-s01 passed-with-solution: holds")
    assert out[2].startswith("ct-s02 practised: skipped")
    assert out[3].startswith("ct-s03 passed: FAILS: does not hold on replay") and "payments-data is logging" in out[3]
    assert out[4] == "2 passed exercise(s) replayed; 1 do(es) not hold: ct-s03."


def test_a_record_with_a_command_removed_fails_at_that_exercise(capsys):
    code, printed = _cli("command-removed.json", capsys)
    by_id = {e["id"]: e for e in printed["exercises"]}
    assert code == 1 and by_id["ct-s03"]["holds"] is False and by_id["ct-s01"]["holds"] is True
    assert "IsLogging as false; it must be true" in by_id["ct-s03"]["message"]


def test_a_status_edited_to_passed_fails():
    replays = _verify("status-edited.json")
    assert replays["ct-s02"].holds is False and "the leaked key is inactive" in replays["ct-s02"].message


def test_a_wrong_answer_fails():
    replays = _verify("wrong-answer.json")
    assert replays["ct-s01"].holds is False and "'09:14:03' is not the answer" in replays["ct-s01"].message


def test_a_refused_command_is_reported_at_its_place_and_runs_nothing():
    target = Path("/tmp/handbook-record-wrote-here")
    target.unlink(missing_ok=True)
    replays = _verify("refused-command.json")
    assert replays["ct-s03"].refused == [
        "exercises.ct-s03.commands[1]: Not run: /tmp/handbook-record-wrote-here is a place on the machine outside "
        "the command's own folder; a command here reads and writes only files of its own folder (a plain name such "
        "as evidence.json)."]
    assert replays["ct-s03"].holds is True and not target.exists()


@pytest.mark.parametrize("name, line, words", [
    ("not-json.json", 2, "the record is not JSON"),
    ("unknown-status.json", 27, "exercises.ct-s03.status: is one of practised, passed, passed-with-solution, not 'mastered'"),
    ("unknown-exercise.json", 36, "exercises.ct-s42: no exercise of this handbook has the id 'ct-s42'"),
    ("command-not-text.json", 32, "exercises.ct-s03.commands[1]: must be a command (a text), not 42"),
])
def test_a_malformed_record_is_an_error_naming_the_place(name, line, words, capsys):
    with pytest.raises(HandbookError) as error:
        record.read(RECORDS / name, known=set(EXERCISES))
    assert error.value.path.endswith(name) and error.value.line == line and words in error.value.message, error.value
    assert cli.main(["qualify", "verify", str(RECORDS / name), "--root", str(PROJECT)]) == 1
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(format="something-else"), "format: must be 'handbook-record'"),
    (lambda d: d.update(version=2), "version: this handbook reads records of version 1"),
    (lambda d: d.update(trainee=7), "trainee: must be a text"),
    (lambda d: d.update(colour="red"), "colour: unknown field"),
    (lambda d: d["exercises"]["ct-s03"].update(hints=-1), "exercises.ct-s03.hints: must be how many hints"),
    (lambda d: d["exercises"]["ct-s03"].update(date="yesterday"), "exercises.ct-s03.date: must be a time"),
    (lambda d: d["exercises"]["ct-s03"].update(commands="aws s3 ls"), "exercises.ct-s03.commands: must be the list"),
    (lambda d: d["exercises"]["ct-s03"].pop("status"), "exercises.ct-s03: lacks `status`"),
    (lambda d: d["exercises"].update({"ct-s03": []}), "exercises.ct-s03: must be an object"),
    (lambda d: d.update(investigations={"credential-compromise": {"commands": [1]}}),
     "investigations.credential-compromise.commands[0]: must be a command"),
])
def test_each_wrong_field_is_named(change, words):
    data = json.loads((RECORDS / "holds.json").read_text())
    change(data)
    with pytest.raises(HandbookError) as error:
        record.parse(json.dumps(data, indent=1), "stored record", known=set(EXERCISES))
    assert words in error.value.message and error.value.path == "stored record", error.value


def test_an_exercise_the_handbook_no_longer_has_does_not_hold():
    loaded = record.read(RECORDS / "holds.json", known=set(EXERCISES))
    fewer = {k: v for k, v in EXERCISES.items() if k != "ct-s03"}
    replays = {r.ksa: r for r in record.verify(loaded, simulation_runner(), exercises=fewer)}
    assert replays["ct-s03"].holds is False and "no exercise ct-s03" in replays["ct-s03"].message
