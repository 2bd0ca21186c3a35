"""The in-process awscli runner, and the guard that no request leaves the machine."""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from handbook import awsfast

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cli():
    return aws.shared()


@pytest.fixture
def no_sockets(monkeypatch):
    """Record every attempt to open a connection, and refuse it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_boto3_and_moto_share_the_botocore_of_awscli():
    import botocore
    import moto.core.models

    assert Path(botocore.__file__).is_relative_to(Path(aws.awscli.__file__).parent)
    assert moto.core.models.botocore_stubber is not None


def test_importing_botocore_before_awscli_is_refused():
    code = "import botocore, handbook.aws"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "import handbook.aws before boto3, botocore or moto" in done.stderr


def test_isolate_sets_a_fake_identity_and_is_idempotent(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "production")
    aws.isolate()
    aws.isolate()
    assert aws.is_isolated()
    assert "AWS_PROFILE" not in os.environ
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
    assert not Path(os.environ["AWS_CONFIG_FILE"]).exists()
    assert not Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).exists()


def test_the_guard_trips_on_a_call_outside_the_mock(cli, no_sockets):
    assert not aws.is_mocked()
    with pytest.raises(aws.NetworkBlocked, match="refused to send GET https://s3.amazonaws.com/"):
        boto3.session.Session(region_name="us-east-1").client("s3").list_buckets()
    assert no_sockets == []


def test_the_guard_trips_on_an_awscli_command_moto_does_not_intercept(cli, no_sockets):
    # Inside the mock, but aimed at an endpoint that moto does not serve.
    with aws.mock(), pytest.raises(aws.NetworkBlocked, match="127.0.0.1:9"):
        cli.simulate(["s3", "ls", "--endpoint-url", "http://127.0.0.1:9"])
    assert no_sockets == []


def test_simulate_refuses_to_run_outside_the_mock(cli):
    with pytest.raises(RuntimeError, match="only inside"):
        cli.simulate(["s3", "ls"])


def test_parse_runs_awscli_and_botocore_but_sends_nothing(cli, no_sockets):
    run = cli.parse(["cloudtrail", "create-trail", "--name", "Trail1", "--s3-bucket-name",
                     "my-bucket", "--is-multi-region-trail"])
    assert run.ok, run.stderr
    assert run.mode == "parse"
    [call] = run.calls
    assert (call.service, call.operation) == ("cloudtrail", "CreateTrail")
    assert call.params == {"Name": "Trail1", "S3BucketName": "my-bucket", "IsMultiRegionTrail": True}
    assert no_sockets == []


def test_parse_reports_what_awscli_and_botocore_reject(cli):
    unknown = cli.parse(["cloudtrail", "get-trail-status", "--name", "T", "--nmae", "T"])
    assert not unknown.ok and unknown.message == "Unknown options: --nmae, T"
    invalid = cli.parse(["events", "put-targets", "--rule", "R", "--targets", "Id=1,Arn=a,Foo=1"])
    assert not invalid.ok and 'Unknown parameter in Targets[0]: "Foo"' in invalid.message
    operation = cli.parse(["cloudtrail", "create-trial"])
    assert operation.message == "Invalid choice: 'create-trial', maybe you meant: create-trail"


def test_parse_lets_s3_transfers_finish_without_writing_here(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = cli.parse(["s3", "cp", "s3://handbook-evidence/incident/evidence.log", "evidence.log"])
    assert run.ok, run.stderr
    assert [c.operation for c in run.calls] == ["HeadObject", "GetObject"]
    assert list(tmp_path.iterdir()) == []


def test_a_setup_and_several_commands_share_one_mock(cli):
    with aws.mock():
        cli.client("s3").create_bucket(Bucket="handbook-evidence")
        made = cli.simulate(["s3api", "put-object", "--bucket", "handbook-evidence", "--key", "a.log"])
        listed = cli.simulate(["s3", "ls", "s3://handbook-evidence"])
    assert made.ok and listed.ok, made.stderr + listed.stderr
    assert listed.mode == "simulate" and "a.log" in listed.stdout
    assert listed.seconds > 0
    with aws.mock():
        assert "handbook-evidence" not in cli.simulate(["s3", "ls"]).stdout  # a new mock starts empty


def test_the_runner_keeps_one_driver(cli):
    assert aws.shared() is cli
    driver = cli._driver
    cli.parse(["s3", "ls"])
    assert cli._driver is driver


def test_options_lists_what_a_command_accepts(cli):
    options = cli.options("cloudtrail", "create-trail")
    assert {"--name", "--s3-bucket-name", "--region", "--query"} <= options
    assert cli.options("cloudtrail", "create-trial") is None


def test_a_run_tells_a_refused_command_from_a_simulated_services_error(cli):
    with aws.mock():
        refused = cli.simulate(["cloudtrail", "get-trail-status", "--nmae", "Trail1"])
        answered = cli.simulate(["cloudtrail", "get-trail-status", "--name", "Trail1"])
    assert refused.rejected and refused.requests == 0
    assert not answered.ok and not answered.rejected and answered.requests == 1  # TrailNotFound, from moto
    assert cli.parse(["cloudtrail", "get-trail-status", "--nmae", "Trail1"]).rejected


def test_client_classes_are_built_once_per_service_for_the_runner_only(cli):
    cli.parse(["cloudtrail", "describe-trails"])
    cli.parse(["cloudtrail", "describe-trails"])
    mine = id(cli._driver.session.get_component("event_emitter"))  # other tests' runners have their own
    classes = [c for key, c in awsfast.class_cache.items() if key[:2] == (mine, "cloudtrail")]
    assert len(classes) == 1
    boto3_client = boto3.session.Session(region_name="us-east-1").client("cloudtrail")
    assert type(boto3_client) is not classes[0]  # boto3 and moto build their own, as before
