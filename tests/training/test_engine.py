"""The exercise engine: a mistake in an exercise is an error at its file and line before anything runs;
untrusted commands are refused with a sentence and run nothing; Check says in words what holds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.errors import HandbookError
from handbook.examples.verify import simulation_runner
from handbook.training import exercise
from handbook.training.exercise import refusal

sys.path.insert(0, str(Path(__file__).parent))
from test_exercises import prove  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"
PROJECT = FIXTURES / "project"


@pytest.mark.parametrize("name, line, words", [
    ("unknown-field", 16, "unknown field 'solutoin'"),
    ("near-miss-names-no-condition", 21, "fails 'org-audit validates its logs', which no condition"),
    ("solution-not-aws", 17, "starts with 'curl', not 'aws'"),
    ("solution-with-a-pipe", 17, "'|' is shell syntax"),
    ("unknown-operation", 10, "no operation 'GetTrial'; write the API's name, such as GetTrail"),
    ("unknown-argument", 10, "has no field 'TrailName'"),
    ("two-comparisons", 9, "exactly one comparison"),
    ("bad-query", 12, "JMESPath cannot read the query"),
    ("condition-without-that", 9, "needs `that:`"),
    ("unknown-start-method", 4, "'s3.make_bucket' is not a s3 client method"),
    ("no-near-miss", 1, "lacks `near-misses`"),
    ("answer-of-unknown-kind", 14, "not 'colour'"),
    ("as-unknown-actor", 15, "`as: actor` names no key of the scenario"),
    ("endpoint-in-near-miss", 20, "--endpoint-url"),
    ("not-yaml", 3, "not valid YAML"),
    ("unknown-start-argument", 7, "cloudtrail.create_trail has no argument 'Bucket'"),
    ("unknown-fixture-argument", 5, "the fixture trail takes no 'colour'; it takes name, bucket"),
    ("two-conditions-say-the-same", 14, "two conditions say 'org-audit validates its log files'"),
])
def test_a_bad_exercise_is_an_error_at_its_file_and_line(name, line, words):
    with pytest.raises(HandbookError) as error:
        exercise.load(FIXTURES / f"{name}.yml", ksa="ct-s08")
    assert error.value.path.endswith(f"{name}.yml") and error.value.line == line, error.value
    assert words in error.value.message and "Traceback" not in error.value.message


def test_the_good_fixture_loads():
    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")
    assert loaded.ksa == "ct-s08" and [c.that for c in loaded.check] == ["org-audit validates its log files"]


def _project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def test_a_file_named_for_no_published_skill_is_an_error(tmp_path):
    root = _project(tmp_path)
    folder = root / "snippets" / "cloudtrail" / "exercises"
    (folder / "ct-s02.yml").rename(folder / "ct-s09.yml")
    with pytest.raises(HandbookError, match="'ct-s09' is not published"):
        exercise.collect(root)
    (folder / "ct-s09.yml").rename(folder / "ct-k01.yml")
    with pytest.raises(HandbookError, match="'ct-k01' is not a Skill"):
        exercise.collect(root)


def test_an_exercise_outside_its_pages_folder_or_twice_is_an_error(tmp_path):
    root = _project(tmp_path)
    elsewhere = root / "snippets" / "s3" / "exercises"
    elsewhere.mkdir(parents=True)
    shutil.copy(root / "snippets" / "cloudtrail" / "exercises" / "ct-s02.yml", elsewhere / "ct-s02.yml")
    with pytest.raises(HandbookError, match="belongs in snippets/cloudtrail/exercises/"):
        exercise.collect(root)


def test_the_example_exercises_of_the_tiny_project_are_proven():
    found = exercise.collect(PROJECT)
    assert sorted(found) == ["ct-s01", "ct-s02", "ct-s03"]
    runner = simulation_runner()
    for loaded in found.values():
        assert prove(loaded, runner) == []


def test_a_check_that_cannot_fail_is_reported(tmp_path):
    root = _project(tmp_path)
    path = root / "snippets" / "cloudtrail" / "exercises" / "ct-s02.yml"
    # the start already does the task: the key is inactive before the trainee does anything
    path.write_text(path.read_text().replace(
        "    args: {name: credential-compromise}",
        "    args: {name: credential-compromise}\n  - call: iam.update_access_key\n"
        "    args: {UserName: app-deployer, AccessKeyId: AKIAZDRILLEXAMPLE001, Status: Inactive}"))
    problems = prove(exercise.load(path), simulation_runner())
    assert any("the start already passes the check, so the check cannot fail" in p for p in problems), problems


def test_a_near_miss_that_passes_is_reported():
    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")
    lenient = exercise.Exercise(**{**loaded.__dict__, "near_misses": [
        exercise.NearMiss(19, tuple(loaded.solution), "org-audit validates its log files")]})
    problems = prove(lenient, simulation_runner())
    assert problems and "does not fail 'org-audit validates its log files'" in problems[0]


def test_check_says_in_words_which_conditions_hold():
    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")
    verdict = exercise.attempt(loaded, ["aws cloudtrail update-trail --name org-audit --no-enable-log-file-validation"],
                               simulation_runner())
    assert not verdict.holds
    assert verdict.message().splitlines() == [
        "Not yet: 0 of 1 conditions hold.",
        "Does not hold: org-audit validates its log files. GetTrail shows Trail.LogFileValidationEnabled as false; "
        "it must be true."]
    assert exercise.attempt(loaded, loaded.solution, simulation_runner()).message() == (
        "Done: every condition holds.\nHolds: org-audit validates its log files.")


def test_a_call_aws_refuses_is_a_condition_that_does_not_hold():
    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")
    verdict = exercise.attempt(loaded, ["aws cloudtrail delete-trail --name org-audit"], simulation_runner())
    [condition] = verdict.conditions
    assert not condition.holds and condition.detail.startswith("GetTrail fails with TrailNotFoundException")


@pytest.mark.parametrize("command, words", [
    ("", "Nothing to run"),
    ("aws s3 ls | grep acme", "'|' is shell syntax"),
    ("aws s3 ls; aws iam list-users", "';' is shell syntax"),
    ("aws s3 ls&&curl http://203.0.113.9", "'&' is shell syntax"),
    ("aws s3 ls >/tmp/buckets", "'>' is shell syntax"),
    ("aws iam get-user --user-name $(whoami)", "$(...) asks a shell for a value"),
    ("aws iam get-user --user-name `whoami`", "`...` asks a shell for a value"),
    ("aws iam get-user --user-name $USER", "$USER asks a shell for a value"),
    ("curl http://203.0.113.9", "starts with 'curl', not 'aws'"),
    ("aws s3 ls\naws iam list-users", "second aws command"),
    ("aws --endpoint-url http://203.0.113.9 s3 ls", "--endpoint-url sends the command"),
    ("aws s3 ls --endpoint-url=http://203.0.113.9", "--endpoint-url sends the command"),
    ("aws s3 ls --profile prod", "--profile picks an identity"),
    ("aws s3 ls --ca-bundle /etc/ssl/ca.pem", "--ca-bundle reads a certificate"),
    ("aws iam put-user-policy --user-name u --policy-name p --policy-document file:///etc/passwd", "is not a file of this exercise"),
    ("aws iam put-user-policy --user-name u --policy-name p --policy-document file://../../secret.json", "is not a file of this exercise"),
    ("aws s3 cp /etc/passwd s3://acme-audit-logs/", "/etc/passwd is a place on the machine"),
    ("aws s3 cp s3://acme-audit-logs/k ~/.bashrc", "~/.bashrc is a place on the machine"),
    ("aws s3 sync s3://acme-audit-logs ../elsewhere", "../elsewhere is a place on the machine"),
    ("aws s3api get-object --bucket b --key k /home/lead/.ssh/authorized_keys", "is a place on the machine"),
    ("aws iam create-virtual-mfa-device --virtual-mfa-device-name m --outfile=/tmp/qr.png --bootstrap-method QRCodePNG", "/tmp/qr.png is a place"),
    ("aws iam get-user --user-name <user>", "<user> is a placeholder"),
    ("aws s3 help", "manual pages"),
    ("aws ec2 wait instance-running --instance-ids i-0abc", "polls until a state is reached"),
    ("aws logs tail vpc-flow-logs --follow", "--follow waits for new log events forever"),
    ("aws --version", "name a service"),
])
def test_an_untrusted_command_is_refused_with_a_sentence(command, words):
    why = refusal(command)
    assert why and words in why, why


@pytest.mark.parametrize("command", [
    "aws s3 ls",
    "aws logs describe-log-streams --log-group-name /aws/cloudtrail/org-audit",
    "aws s3 cp s3://acme-audit-logs/AWSLogs/ evidence/ --recursive",
    "aws iam put-user-policy --user-name u --policy-name p --policy-document file://policy.json",
    "aws cloudtrail lookup-events --query 'Events[?Username==`svc-backup`]'",
])
def test_a_plain_command_may_run(command):
    assert refusal(command, files=["policy.json"]) is None


def test_a_refused_command_runs_nothing():
    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")
    runner = simulation_runner()
    verdict = exercise.attempt(loaded, [
        "aws cloudtrail update-trail --name org-audit --enable-log-file-validation --profile prod",
        "aws cloudtrail update-trail --name org-audit --enable-log-file-validation | cat"], runner)
    assert [r.status for r in verdict.runs] == ["refused", "refused"] and not verdict.holds
    assert all(r.note.startswith("Not run: ") and not r.stdout for r in verdict.runs)


def test_an_exercise_file_is_what_file_reads(tmp_path):
    text = (FIXTURES / "good.yml").read_text().replace(
        "hints:", "files:\n  selectors.json: '[{\"ReadWriteType\": \"All\", \"IncludeManagementEvents\": true}]'\nhints:")
    path = tmp_path / "ct-s08.yml"
    path.write_text(text)
    loaded = exercise.load(path, ksa="ct-s08")
    verdict = exercise.attempt(loaded, ["aws cloudtrail put-event-selectors --trail-name org-audit "
                                        "--event-selectors file://selectors.json"], simulation_runner())
    assert verdict.runs[0].status == "ok", verdict.runs[0]
    assert "not a file of this exercise" in refusal("aws s3 ls --cli-input-json file://other.json", files=loaded.files)


def test_a_condition_the_simulation_cannot_answer_is_a_sentence(monkeypatch):
    from handbook.training import check

    loaded = exercise.load(FIXTURES / "good.yml", ksa="ct-s08")

    def broken(response):
        raise KeyError("Trail")

    monkeypatch.setattr(check, "plain", broken)
    [condition] = exercise.attempt(loaded, loaded.solution, simulation_runner()).conditions
    assert not condition.holds
    assert condition.detail == "cloudtrail.GetTrail could not be answered by the simulated account (KeyError: 'Trail'.)"
