"""Each playbook runs against its scenario; bad scenarios and steps fail at their file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.training import drill, scenario
from handbook.errors import HandbookError
from handbook.examples.verify import simulation_runner
from handbook.simulation import iam

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scenario"
# The scenarios of the source's playbooks (the others are incidents of the handbook's own: tests/training).
PLAYBOOKS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yml") if scenario.load(p).playbook)


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_the_playbook_finds_contains_and_recovers_from_its_incident(playbook):
    loaded = drill.load(playbook, ROOT)
    outcomes = drill.run(loaded)
    assert len(outcomes) == len(loaded.steps) >= 4
    assert sum(len(o.found) for o in outcomes) >= 5 and sum(len(o.held) for o in outcomes) >= 3
    assert not iam.is_enforced(), "a drill left IAM enforcement on"


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_the_scenario_has_eight_actions_recorded_by_four_services(playbook):
    loaded = scenario.load(scenario.path_of(playbook))
    with aws.mock():
        replayed = scenario.run(loaded, simulation_runner())
    assert replayed.actions >= 8
    assert sum(1 for n in replayed.records.values() if n) >= 4, replayed.records


def test_the_replay_is_deterministic():
    loaded = scenario.load(scenario.path_of("credential-compromise"))
    seen = []
    for _ in range(2):
        with aws.mock():
            seen.append(scenario.run(loaded, simulation_runner()))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("name, line, words", [
    ("unknown-service", 5, "not an AWS service"),
    ("unknown-operation", 5, "no operation 'ListBuckts'"),
    ("unknown-field", 8, "no field 'Colour'"),
    ("real-address", 5, "not in a documentation range"),
    ("bad-finding-type", 7, "'Leaked key used' is not a GuardDuty finding type"),
])
def test_a_bad_scenario_names_its_file_and_line(name, line, words):
    with pytest.raises(HandbookError) as error:
        scenario.load(FIXTURES / f"{name}.yml")
    assert error.value.line == line and words in error.value.message and error.value.path.endswith(f"{name}.yml")


def test_a_failing_call_names_its_line():
    loaded = scenario.load(FIXTURES / "failing-call.yml")
    with aws.mock(), pytest.raises(HandbookError) as error:
        scenario.run(loaded, simulation_runner())
    assert error.value.line == 5 and "NoSuchBucket" in error.value.message


def _copy(tmp_path: Path) -> Path:
    for folder in ("docs", "snippets", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def broken_drill(tmp_path: Path, name: str, written: str, instead: str) -> tuple[Path, HandbookError]:
    """The credential-compromise drill of a copy of the project, with one of its files changed: its error."""
    _copy(tmp_path)
    changed = tmp_path / "snippets" / "credential-compromise" / name
    changed.write_text(changed.read_text().replace(written, instead))
    with pytest.raises(HandbookError) as error:
        drill.run(drill.load("credential-compromise", tmp_path))
    return changed, error.value


def test_a_step_that_reveals_nothing_fails_at_its_line(tmp_path):
    yml, error = broken_drill(tmp_path, "find-created-users.yml", "  - svc-backup", "  - svc-nobody")
    assert error.path == str(yml) and error.line == 6 and "reveals no 'svc-nobody'" in error.message


def test_a_containment_that_does_not_hold_fails(tmp_path):
    _, error = broken_drill(tmp_path, "disable-access-key.sh", "--status Inactive", "--status Active")
    assert "does not show 'Inactive'" in error.message
    assert not iam.is_enforced()


def test_a_failing_command_stops_the_drill(tmp_path):
    sh, error = broken_drill(tmp_path, "restart-logging.sh", "<trail-name>", "no-such-trail")
    assert error.path == str(sh) and "fails in the drill" in error.message


def test_an_inactive_key_is_refused_and_enforcement_ends_with_the_block():
    from botocore.exceptions import ClientError

    runner = simulation_runner()
    with aws.mock():
        iam_client = runner.client("iam")
        iam_client.create_user(UserName="u")
        key = iam_client.create_access_key(UserName="u")["AccessKey"]
        iam_client.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        sts = runner.session.client("sts", region_name=aws.REGION, aws_access_key_id=key["AccessKeyId"],
                                    aws_secret_access_key=key["SecretAccessKey"])
        with iam.enforced():
            assert sts.get_caller_identity()["Arn"].endswith(":user/u")
        iam_client.update_access_key(UserName="u", AccessKeyId=key["AccessKeyId"], Status="Inactive")
        with iam.enforced(), pytest.raises(ClientError) as refused:
            sts.get_caller_identity()
        assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
        assert not iam.is_enforced()
        runner.client("s3").list_buckets()  # the default credentials work again: enforcement is off


def test_handbook_drill_prints_the_steps_and_json(capsys):
    from handbook import cli

    assert cli.main(["drill", "credential-compromise", "--root", str(ROOT), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["actions"] >= 8 and printed["steps"][0]["found"]
    assert cli.main(["drill", "no-such-playbook", "--root", str(ROOT)]) == 1
    assert "no playbook 'no-such-playbook'" in capsys.readouterr().err


def test_a_containment_the_actor_gets_past_fails(tmp_path):
    root = _copy(tmp_path)
    folder = root / "snippets" / "credential-compromise"
    (folder / "disable-access-key.sh").write_text((folder / "disable-access-key.sh").read_text().replace("Inactive", "Active"))
    yml = folder / "disable-access-key.yml"
    text = yml.read_text()
    yml.write_text(text[:text.index("  - command:")] + text[text.index("  - as: actor"):])
    with pytest.raises(HandbookError) as error:
        drill.run(drill.load("credential-compromise", root))
    assert error.value.path == str(yml) and error.value.line == yml.read_text().splitlines().index("    denied: InvalidClientTokenId") + 1
    assert "is allowed, not refused with InvalidClientTokenId: the containment does not hold" in error.value.message
    assert not iam.is_enforced()


@pytest.mark.parametrize("declared, words", [
    ("then:\n  - command: aws iam list-users\n    maybe: [x]\n", "a `then` check is"),
    ("placeholders: {}\n", "declares neither"),
    ("reveals: {user: svc-backup}\n", "`reveals` must be a list"),
])
def test_a_bad_step_declaration_fails_before_anything_runs(tmp_path, declared, words):
    root = _copy(tmp_path)
    yml = root / "snippets" / "credential-compromise" / "find-created-users.yml"
    text = yml.read_text()
    yml.write_text(text[:text.index("reveals:")] + declared)
    with pytest.raises(HandbookError) as error:
        drill.load("credential-compromise", root)
    assert error.value.path == str(yml) and words in error.value.message


def test_a_bad_scenario_stops_the_drill_before_any_command(tmp_path):
    root = _copy(tmp_path)
    path = root / "scenarios" / "credential-compromise.yml"
    path.write_text(path.read_text().replace("call: iam.CreateUser\n    args: {UserName: app-deployer}",
                                             "call: iam.CreateUser\n    args: {UserName: app-deployer, Colour: red}"))
    with pytest.raises(HandbookError) as error:
        drill.load("credential-compromise", root)
    assert error.value.path == str(path) and "no field 'Colour'" in error.value.message
    assert error.value.line == path.read_text().splitlines().index("    args: {UserName: app-deployer, Colour: red}") + 1
