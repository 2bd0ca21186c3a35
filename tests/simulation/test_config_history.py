"""S3 buckets' configuration timeline while AWS Config records."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from handbook.simulation import clock

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-exports/*"}]})


def _recording(config, client):
    client("s3").create_bucket(Bucket="acme-config-history")
    config.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": "arn:aws:iam::123456789012:role/config",
                                                             "recordingGroup": {"allSupported": True}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "acme-config-history"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


@pytest.fixture
def config(client):
    return client("config")


def _history(config, **kwargs):
    items = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="acme-exports", **kwargs)
    return items["configurationItems"]


def test_each_change_while_recording_is_an_item_newest_first(config, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="acme-exports")  # before the recorder: discovered when it starts
    with clock.frozen(datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)):
        _recording(config, client)
    with clock.frozen(datetime(2026, 11, 20, 10, 5, 2, tzinfo=timezone.utc)):
        s3.put_bucket_policy(Bucket="acme-exports", Policy=POLICY)
        s3.put_bucket_policy(Bucket="acme-exports", Policy=POLICY)  # no change: no item
    with clock.frozen(datetime(2026, 11, 20, 10, 5, 30, tzinfo=timezone.utc)):
        s3.put_bucket_acl(Bucket="acme-exports", ACL="public-read")
    items = _history(config)
    assert [(i["configurationItemCaptureTime"].strftime("%H:%M:%S"), i["configurationItemStatus"]) for i in items] == [
        ("10:05:30", "OK"), ("10:05:02", "OK"), ("10:00:00", "ResourceDiscovered")]
    assert "s3:GetObject" in items[1]["supplementaryConfiguration"]["BucketPolicy"]
    assert "AllUsers" in items[0]["supplementaryConfiguration"]["AccessControlList"]
    window = _history(config, earlierTime=datetime(2026, 11, 20, 10, 5, tzinfo=timezone.utc),
                      laterTime=datetime(2026, 11, 20, 10, 5, 10, tzinfo=timezone.utc), chronologicalOrder="Forward")
    assert [i["configurationItemCaptureTime"].second for i in window] == [2]


def test_nothing_is_recorded_without_a_recorder(config, client):
    client("s3").create_bucket(Bucket="acme-exports")
    client("s3").put_bucket_policy(Bucket="acme-exports", Policy=POLICY)
    (only,) = _history(config)  # moto's own answer: the bucket as it is now
    assert only["resourceId"] == "acme-exports"


def test_deletion_paging_and_errors(config, client):
    _recording(config, client)
    s3 = client("s3")
    s3.create_bucket(Bucket="acme-exports")
    s3.put_bucket_versioning(Bucket="acme-exports", VersioningConfiguration={"Status": "Enabled"})
    s3.delete_bucket(Bucket="acme-exports")
    first = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="acme-exports", limit=2)
    assert [i["configurationItemStatus"] for i in first["configurationItems"]] == ["ResourceDeleted", "OK"]
    rest = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="acme-exports", limit=2,
                                              nextToken=first["nextToken"])
    assert [i["configurationItemStatus"] for i in rest["configurationItems"]] == ["ResourceDiscovered"]
    with pytest.raises(ClientError) as backwards:
        _history(config, earlierTime=datetime(2026, 11, 21, tzinfo=timezone.utc),
                 laterTime=datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert backwards.value.response["Error"]["Code"] == "InvalidParameterValueException"
    with pytest.raises(ClientError) as unknown:
        config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="no-such-bucket")
    assert unknown.value.response["Error"]["Code"] == "ResourceNotDiscoveredException"
