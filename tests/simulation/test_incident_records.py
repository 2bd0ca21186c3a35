"""What a scenario's calls leave behind: read-only and S3 calls in CloudTrail, trail log files,
S3 server access log lines, the fixed clock, an Inactive key refused."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from handbook.simulation import clock, cloudtrail, iam

MOMENT = datetime(2026, 11, 20, 9, 14, 3, tzinfo=timezone.utc)


def _forwarded(client, address):
    client.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("X-Forwarded-For", address))
    return client


def _events(client, **lookup):
    attributes = [{"AttributeKey": k, "AttributeValue": v} for k, v in lookup.items()]
    return [json.loads(e["CloudTrailEvent"]) for e in client("cloudtrail").lookup_events(LookupAttributes=attributes)["Events"]]


def test_read_only_calls_are_recorded_once_the_history_asks_for_them(client):
    seeded = len(_events(client, EventName="DescribeInstances"))  # the seed file has some
    client("ec2").describe_instances()
    assert len(_events(client, EventName="DescribeInstances")) == seeded
    cloudtrail.history_for().record_read_only = True
    with clock.frozen(MOMENT):
        client("ec2").describe_instances()
    record = _events(client, EventName="DescribeInstances")[0]
    assert len(_events(client, EventName="DescribeInstances")) == seeded + 1
    assert record["readOnly"] is True and record["eventTime"] == "2026-11-20T09:14:03Z"


def test_the_clock_and_the_callers_address_are_what_the_scenario_says(client):
    with clock.frozen(MOMENT):
        _forwarded(client("iam"), "203.0.113.45").create_user(UserName="u")
    [record] = [e for e in _events(client, EventName="CreateUser") if e["requestParameters"].get("userName") == "u"]
    assert record["eventTime"] == "2026-11-20T09:14:03Z" and record["sourceIPAddress"] == "203.0.113.45"
    with pytest.raises(RuntimeError):
        clock.advance(MOMENT)


def test_s3_bucket_calls_are_management_events_and_object_calls_are_not(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="bucket-b")
    s3.put_bucket_policy(Bucket="bucket-b", Policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    s3.put_object(Bucket="bucket-b", Key="k", Body=b"x")
    s3.delete_public_access_block(Bucket="bucket-b")
    names = [e["eventName"] for e in _events(client, EventSource="s3.amazonaws.com")]
    assert names == ["DeletePublicAccessBlock", "PutBucketPolicy", "CreateBucket"]
    [policy] = _events(client, EventName="PutBucketPolicy")
    assert policy["requestParameters"]["bucketName"] == "bucket-b" and policy["eventSource"] == "s3.amazonaws.com"


def test_trail_log_files_hold_what_was_logged_and_duckdb_reads_them(client, tmp_path):
    import duckdb

    s3, trails = client("s3"), client("cloudtrail")
    s3.create_bucket(Bucket="trail-logs-bucket")
    s3.create_bucket(Bucket="data-bucket")
    trails.create_trail(Name="drill-trail", S3BucketName="trail-logs-bucket")
    trails.put_event_selectors(TrailName="drill-trail", EventSelectors=[{"ReadWriteType": "All", "DataResources": [
        {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::data-bucket/"]}]}])
    with clock.frozen(MOMENT):
        trails.start_logging(Name="drill-trail")
        s3.put_object(Bucket="data-bucket", Key="secret.csv", Body=b"x", ACL="public-read")
        _forwarded(client("s3", config=Config(signature_version=UNSIGNED)), "198.51.100.23").get_object(
            Bucket="data-bucket", Key="secret.csv")
        trails.stop_logging(Name="drill-trail")
        s3.create_bucket(Bucket="after-stop-bucket")  # not logged: the trail is stopped
        [written] = cloudtrail.deliver()
    assert written.startswith("s3://trail-logs-bucket/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T0914Z_")
    body = s3.get_object(Bucket="trail-logs-bucket", Key=written.split("/", 3)[3])["Body"].read()
    records = json.loads(gzip.decompress(body))["Records"]
    names = [r["eventName"] for r in records]
    assert "GetObject" in names and "PutObject" in names and "CreateBucket" not in names
    assert names[-1] == "StopLogging"  # the call that stops a trail is its last record
    get = next(r for r in records if r["eventName"] == "GetObject")
    assert get["sourceIPAddress"] == "198.51.100.23" and get["userIdentity"]["accountId"] == "anonymous"
    assert get["eventCategory"] == "Data" and get["requestParameters"]["key"] == "secret.csv"
    (tmp_path / "log.json").write_bytes(gzip.decompress(body))
    rows = duckdb.sql(f"SELECT r.eventName, r.sourceIPAddress FROM (SELECT unnest(Records) AS r FROM "
                      f"read_json_auto('{tmp_path / 'log.json'}')) WHERE r.eventName = 'GetObject'").fetchall()
    assert rows == [("GetObject", "198.51.100.23")]
    assert cloudtrail.deliver() == []  # nothing left to deliver


def test_server_access_log_lines_follow_the_documented_format(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="trail-logs-bucket")
    s3.put_bucket_acl(Bucket="trail-logs-bucket", ACL="log-delivery-write")
    s3.create_bucket(Bucket="data-bucket")
    s3.put_object(Bucket="data-bucket", Key="a.csv", Body=b"12345", ACL="public-read")
    s3.put_bucket_logging(Bucket="data-bucket", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "trail-logs-bucket", "TargetPrefix": "data/"}})
    before = {o["Key"] for o in s3.list_objects_v2(Bucket="trail-logs-bucket").get("Contents", [])}
    with clock.frozen(MOMENT):
        _forwarded(client("s3", config=Config(signature_version=UNSIGNED)), "198.51.100.23").get_object(Bucket="data-bucket", Key="a.csv")
    [key] = {o["Key"] for o in s3.list_objects_v2(Bucket="trail-logs-bucket")["Contents"]} - before
    assert key.startswith("data/2026-11-20-09-14-03-")
    line = s3.get_object(Bucket="trail-logs-bucket", Key=key)["Body"].read().decode()
    fields = line.split('"')
    assert " data-bucket [20/Nov/2026:09:14:03 +0000] 198.51.100.23 - " in fields[0]
    assert " REST.GET.OBJECT a.csv " in fields[0] and fields[1] == "GET /a.csv HTTP/1.1"
    assert fields[2].split()[:4] == ["200", "-", "5", "5"]


def test_an_inactive_key_is_refused_only_while_enforced_and_enforcement_ends(client):
    from moto import settings

    iam_client = client("iam")
    iam_client.create_user(UserName="u")
    key = iam_client.create_access_key(UserName="u")["AccessKey"]
    iam_client.update_access_key(UserName="u", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    sts = client("sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    assert sts.get_caller_identity()["Arn"].endswith(":user/u")  # not enforced: moto answers anyone
    before = settings.INITIAL_NO_AUTH_ACTION_COUNT
    with pytest.raises(ClientError) as refused, iam.enforced():
        sts.get_caller_identity()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert settings.INITIAL_NO_AUTH_ACTION_COUNT == before and not iam.is_enforced()
