"""The fixtures exercises' accounts are made of: ids a task names, past trail activity, delivered log files."""

from __future__ import annotations

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import gzip
import json

import pytest
import yaml

from handbook.errors import HandbookError
from handbook.examples import fixtures
from handbook.examples.verify import simulation_runner


@pytest.fixture(scope="module")
def runner():
    return simulation_runner()


def setup(runner, text, where="ex.yml"):
    fixtures.run_setup(yaml.safe_load(text), runner, where=where)


def test_a_vpc_and_a_kms_key_have_the_ids_the_task_names(runner):
    with aws.mock():
        setup(runner, """
            - fixture: vpc
              args: {id: vpc-0a1b2c3d4e5f60718, name: prod}
            - fixture: kms-key
              args: {id: 7c1f9e2a-5b3d-4e8f-a6c0-2d9b4e7f1a35, alias: alias/acme-trail-logs}
            """)
        vpc = runner.client("ec2").describe_vpcs(VpcIds=["vpc-0a1b2c3d4e5f60718"])["Vpcs"][0]
        key = runner.client("kms").describe_key(KeyId="alias/acme-trail-logs")["KeyMetadata"]
    assert {"Key": "Name", "Value": "prod"} in vpc["Tags"]
    assert key["Arn"] == "arn:aws:kms:us-east-1:123456789012:key/7c1f9e2a-5b3d-4e8f-a6c0-2d9b4e7f1a35"


def test_past_trail_events_are_in_the_event_history(runner):
    with aws.mock():
        setup(runner, """
            - fixture: trail-events
              args:
                events:
                  - {at: "2026-11-19T23:03:12Z", user: ops-automation, key: AKIAZEXERCISEOPS0001,
                     from: 203.0.113.45, event: DeleteTrail, source: cloudtrail.amazonaws.com,
                     parameters: {name: org-audit}}
                  - {at: "2026-11-19T23:04:00Z", user: root, event: ConsoleLogin, source: signin.amazonaws.com,
                     error: Failed authentication}
            """)
        client = runner.client("cloudtrail")
        found = client.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "DeleteTrail"}])
        by_root = client.lookup_events(LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "root"}])
    (event,) = found["Events"]
    record = json.loads(event["CloudTrailEvent"])
    assert (event["Username"], event["AccessKeyId"]) == ("ops-automation", "AKIAZEXERCISEOPS0001")
    assert record["sourceIPAddress"] == "203.0.113.45" and record["eventTime"] == "2026-11-19T23:03:12Z"
    assert {"ResourceType": "AWS::CloudTrail::Trail", "ResourceName": "org-audit"} in event["Resources"]
    assert any(json.loads(e["CloudTrailEvent"]).get("errorCode") == "Failed authentication"
               for e in by_root["Events"])


def test_a_log_file_is_where_cloudtrail_delivers_it_for_any_account(runner):
    brief = """
            - fixture: trail-log-file
              args:
                bucket: acme-org-trail-logs
                account: "210987654321"
                region: eu-west-1
                prefix: org
                events:
                  - {at: "2026-11-20T09:30:47Z", user: app-deployer, from: 203.0.113.45, event: RunInstances,
                     source: ec2.amazonaws.com, parameters: {instanceType: c5.4xlarge}}
            """
    keys = []
    for _ in range(2):
        with aws.mock():
            setup(runner, brief)
            s3 = runner.client("s3")
            (listed,) = s3.list_objects_v2(Bucket="acme-org-trail-logs")["Contents"]
            body = s3.get_object(Bucket="acme-org-trail-logs", Key=listed["Key"])["Body"].read()
            keys.append(listed["Key"])
    assert keys[0] == keys[1]  # the same declaration leaves the same file
    assert keys[0].startswith("org/AWSLogs/210987654321/CloudTrail/eu-west-1/2026/11/20/"
                              "210987654321_CloudTrail_eu-west-1_20261120T0930Z_")
    (record,) = json.loads(gzip.decompress(body))["Records"]
    assert record["userIdentity"]["arn"] == "arn:aws:iam::210987654321:user/app-deployer"
    assert record["recipientAccountId"] == "210987654321" and record["readOnly"] is False


@pytest.mark.parametrize("event, message", [
    ("{at: '2026-11-20T09:30:47Z', user: a, event: RunInstances, source: ec2.amazonaws.com, who: b}",
     "a trail record has no field who"),
    ("{at: '2026-11-20T09:30:47Z', user: a, source: ec2.amazonaws.com}", "a trail record needs event"),
])
def test_a_wrong_trail_record_names_the_file_and_line(runner, tmp_path, event, message):
    where = tmp_path / "ct-s01.yml"
    where.write_text(f"start:\n  - fixture: trail-events\n    args:\n      events: [{event}]\n")
    with aws.mock(), pytest.raises(HandbookError) as raised:
        fixtures.run_setup(yaml.safe_load(where.read_text())["start"], runner, where=where)
    assert raised.value.line == 2 and message in raised.value.message
