"""A scenario's account is replayed once and then restored: the same account every time, each copy its own;
and what the incidents' techniques leave where AWS records it (sign-ins, cross-account calls)."""

from __future__ import annotations

from handbook import aws  # first: awscli before boto3 and moto
from handbook.examples.verify import simulation_runner
from handbook.simulation import cloudtrail, snapshot
from handbook.training import athena, scenario

RUNNER = simulation_runner()
OUTSIDE = "210987654321"


def _history(account: str = aws.ACCOUNT_ID) -> list[dict]:
    return [e.record for e in cloudtrail.history_for(account, aws.REGION).events()]


def _seen() -> tuple:
    """What a responder can see of an account: the event history, the trail's records, the IAM users and keys."""
    # (a replay's own records differ only where botocore or moto read the wall clock or make a client
    # token: a RunInstances' clientToken, an instance's launchTime; these fields are compared)
    history, records = [_said(r) for r in _history()], [_said(r) for r in athena.records()]
    iam = RUNNER.client("iam")  # (these calls are recorded too: after the history is read)
    users = sorted(u["UserName"] for u in iam.list_users()["Users"])
    keys = {u: [k["AccessKeyId"] for k in iam.list_access_keys(UserName=u)["AccessKeyMetadata"]] for u in users}
    return history, records, users, keys


def _said(record: dict) -> tuple:
    return (record["eventID"], record["eventName"], record["eventTime"], record["sourceIPAddress"],
            record["userIdentity"].get("accessKeyId"), record.get("errorCode"))


def test_a_restored_account_is_the_replayed_one():
    loaded = scenario.load(scenario.path_of("credential-compromise"))
    with aws.mock():
        scenario.run(loaded, RUNNER)
        replayed = _seen()
    with aws.mock():
        scenario.prepared("credential-compromise", RUNNER)  # replayed and kept, or restored
    with aws.mock():
        scenario.prepared("credential-compromise", RUNNER)  # restored
        restored = _seen()
    assert replayed == restored and "svc-backup" in restored[2]


def test_each_restore_is_its_own_copy_and_survives_the_end_of_the_last_mock():
    for _ in range(2):
        with aws.mock():
            scenario.prepared("s3-unintended-access", RUNNER)
            assert athena.records(), "the trail's log files lost their content"
            RUNNER.client("s3").delete_bucket_policy(Bucket="acme-customer-exports")
            RUNNER.client("iam").delete_user_policy(UserName="web-deployer", PolicyName="deploy")
    with aws.mock():
        scenario.prepared("s3-unintended-access", RUNNER)
        assert RUNNER.client("s3").get_bucket_policy(Bucket="acme-customer-exports")["Policy"]
        assert RUNNER.client("iam").list_user_policies(UserName="web-deployer")["PolicyNames"] == ["deploy"]


def test_an_account_that_holds_something_gets_a_replay_on_top_not_a_restore():
    with aws.mock():
        scenario.prepared("s3-unintended-access", RUNNER)  # kept
    with aws.mock():
        RUNNER.client("s3").create_bucket(Bucket="acme-already-here")
        assert not snapshot.is_untouched()
        scenario.prepared("s3-unintended-access", RUNNER)
        names = {b["Name"] for b in RUNNER.client("s3").list_buckets()["Buckets"]}
    assert {"acme-already-here", "acme-customer-exports"} <= names


def test_a_console_sign_in_is_recorded_as_cloudtrail_records_it():
    with aws.mock():
        scenario.prepared("console-login-without-mfa", RUNNER)
        [login] = [r for r in _history() if r["eventName"] == "ConsoleLogin" and r["eventTime"].startswith("2026")]
        keys = RUNNER.client("iam").list_access_keys(UserName="m.rivera")["AccessKeyMetadata"]
        in_trail = [r for r in athena.records() if r["eventName"] == "ConsoleLogin"]
    assert login["eventSource"] == "signin.amazonaws.com" and login["eventType"] == "AwsConsoleSignIn"
    assert login["additionalEventData"]["MFAUsed"] == "No" and login["responseElements"] == {"ConsoleLogin": "Success"}
    assert login["userIdentity"]["userName"] == "m.rivera" and login["sourceIPAddress"] == "198.51.100.61"
    assert in_trail and keys == [], "the console session's key outlived the session"


def test_an_assume_role_from_another_account_is_recorded_in_the_roles_account_too():
    with aws.mock():
        scenario.prepared("backdoor-role-trust", RUNNER)
        [ours] = [r for r in _history() if r["eventName"] == "AssumeRole"]
        [theirs] = [r for r in _history(OUTSIDE) if r["eventName"] == "AssumeRole"]
    assert ours["userIdentity"] == {"type": "AWSAccount", "principalId": theirs["userIdentity"]["principalId"],
                                    "accountId": OUTSIDE}
    assert ours["sharedEventID"] == theirs["sharedEventID"] and ours["eventID"] != theirs["eventID"]
    assert ours["recipientAccountId"] == aws.ACCOUNT_ID and theirs["recipientAccountId"] == OUTSIDE


def test_another_accounts_object_reads_are_in_the_bucket_owners_trail_and_access_logs():
    with aws.mock():
        scenario.prepared("bucket-shared-outside", RUNNER)
        reads = [r for r in athena.records() if r["eventName"] == "GetObject"]
        logs = RUNNER.simulate(["s3", "ls", "s3://acme-access-logs/exports/"]).stdout
        lines = [RUNNER.simulate(["s3", "cp", f"s3://acme-access-logs/exports/{line.split()[-1]}", "-"]).stdout
                 for line in logs.splitlines()]
    assert [r["userIdentity"]["accountId"] for r in reads] == [OUTSIDE, OUTSIDE]
    assert any(f"arn:aws:iam::{OUTSIDE}:user/collector" in line and "REST.GET.OBJECT" in line for line in lines)
