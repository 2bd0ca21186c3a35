"""The engine behind Run (handbook.account), in the suite's own Python: accounts, refusals, notes."""

from __future__ import annotations

import pytest

from handbook.account import Account, shell_substitution
from handbook.examples.verify import simulation_runner

from .conftest import ROOT


@pytest.fixture(scope="module")
def account():
    # the suite's runner, moto extended by handbook.simulation as in the browser
    found = Account(ROOT / "snippets", commands=frozenset({"cloudtrail", "s3", "s3api", "guardduty"}),
                    runner=simulation_runner())
    yield found
    found.reset()


def test_an_example_runs_in_a_fresh_account_prepared_by_its_setup_then_continues_there(account):
    first = account.run("cloudtrail/describe-trails.sh", "aws cloudtrail describe-trails --trail-name-list Trail1 Trail2")
    assert first.status == "ok" and first.account == "fresh" and '"Name": "Trail2"' in first.stdout
    deleted = account.run("cloudtrail/describe-trails.sh", "aws cloudtrail delete-trail --name Trail2")
    assert deleted.status == "ok" and deleted.account == "same"
    after = account.run("cloudtrail/describe-trails.sh", "aws cloudtrail describe-trails")
    assert after.account == "same" and '"Name": "Trail2"' not in after.stdout and '"Name": "Trail1"' in after.stdout


def test_another_example_or_a_reset_starts_afresh(account):
    account.run("cloudtrail/describe-trails.sh", "aws cloudtrail delete-trail --name Trail2")
    other = account.run("cloudtrail/create-trail.sh", "aws cloudtrail describe-trails")
    assert other.account == "fresh" and '"trailList": []' in other.stdout  # create-trail's setup: a bucket only
    account.reset()
    again = account.run("cloudtrail/create-trail.sh", "aws cloudtrail describe-trails")
    assert again.account == "fresh"


def test_a_shared_key_keeps_one_account_across_examples(account):
    account.run("cloudtrail/create-trail.sh", "aws cloudtrail create-trail --name Shared --s3-bucket-name my-bucket",
                key="drill")
    seen = account.run("cloudtrail/get-trail-status.sh", "aws cloudtrail describe-trails", key="drill")
    assert seen.account == "same" and '"Name": "Shared"' in seen.stdout


@pytest.mark.parametrize("command, said", [
    ("", "Nothing to run: type an aws command."),
    ("ls -la", "the command starts with 'ls', not 'aws'"),
    ("aws s3 ls | grep x", "the shell operator '|'"),
    ("aws s3 ls s3://`whoami`", "Not run: `...` asks a shell for a value"),
    ("aws s3 ls s3://$(whoami)", "Not run: $(...) asks a shell for a value"),
    ("aws s3 ls s3://${BUCKET}", "Not run: ${BUCKET} asks a shell for a value"),
    ("aws dynamodb list-tables", "`aws dynamodb` is not among them"),
    ("aws --region us-east-1", "name a service, as in `aws s3 ls`"),
    ("aws s3 help", "manual pages are not part of the in-page account"),
    ("aws s3 ls s3://<bucket>/<where>", "the placeholder <where> has no test value"),
])
def test_what_is_not_run_is_said_and_leaves_the_account_as_it_was(account, command, said):
    account.run("s3/list-buckets.sh", "aws s3 mb s3://kept-bucket")
    refused = account.run("s3/list-buckets.sh", command)
    assert refused.status == "error" and refused.exit_code == 2 and refused.stdout == ""
    assert said in refused.note
    assert "kept-bucket" in account.run("s3/list-buckets.sh", "aws s3 ls").stdout


def test_a_request_to_a_real_address_is_refused(account):
    refused = account.run("cloudtrail/create-trail.sh", "aws cloudtrail describe-trails --endpoint-url https://example.com")
    assert refused.status == "error" and refused.exit_code == 255
    assert refused.note.startswith("Refused: the in-page account never sends a request out of the page")
    assert "https://example.com" in refused.stderr


def test_placeholders_run_with_their_test_values_and_say_so(account):
    ran = account.run("s3/list-bucket-contents.sh", (ROOT / "snippets" / "s3" / "list-bucket-contents.sh").read_text())
    assert ran.status == "ok" and "Placeholders ran with test values: <bucket> = " in ran.note


def test_an_aws_error_is_shown_as_the_cli_prints_it(account):
    failed = account.run("cloudtrail/create-trail.sh", "aws cloudtrail get-trail-status --name Nowhere")
    assert failed.status == "error" and failed.exit_code == 255
    assert "An error occurred (TrailNotFoundException) when calling the GetTrailStatus operation" in failed.stderr


@pytest.mark.parametrize("command, found", [
    ("aws s3 ls s3://$(date)", "$("),
    ("aws s3 ls \"$HOME\"", "$HOME"),
    ("aws cloudtrail lookup-events --query 'Events[?Username==`root`]'", None),  # JMESPath literal, single-quoted
    ("aws s3 ls '$HOME'", None),
])
def test_shell_substitution_is_found_outside_single_quotes(command, found):
    assert shell_substitution(command) == found


def test_prepare_gives_a_fresh_account_with_the_examples_setup_and_runs_nothing(account):
    prepared = account.prepare("cloudtrail/describe-trails.sh", key="drill:test")
    assert prepared.status == "ok" and prepared.account == "fresh" and prepared.stdout == ""
    seen = account.run("cloudtrail/create-trail.sh", "aws cloudtrail describe-trails", key="drill:test")
    assert seen.account == "same" and '"Name": "Trail2"' in seen.stdout  # describe-trails.yml's setup
