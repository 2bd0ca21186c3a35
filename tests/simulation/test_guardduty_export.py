"""GuardDuty publishing destinations, and one detector per Region."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def setup(client):
    guardduty = client("guardduty")
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    client("s3").create_bucket(Bucket="acme-guardduty-export")
    key = client("kms").create_key()["KeyMetadata"]["Arn"]
    return guardduty, detector, key


def _refused(call, **kwargs) -> str:
    with pytest.raises(ClientError) as refused:
        call(**kwargs)
    assert refused.value.response["Error"]["Code"] == "BadRequestException"
    return refused.value.response["Error"]["Message"]


def test_a_destination_publishes_and_is_described(setup):
    guardduty, detector, key = setup
    destination = guardduty.create_publishing_destination(
        DetectorId=detector, DestinationType="S3",
        DestinationProperties={"DestinationArn": "arn:aws:s3:::acme-guardduty-export/findings", "KmsKeyArn": key},
    )["DestinationId"]
    (listed,) = guardduty.list_publishing_destinations(DetectorId=detector)["Destinations"]
    assert listed == {"DestinationId": destination, "DestinationType": "S3", "Status": "PUBLISHING"}
    described = guardduty.describe_publishing_destination(DetectorId=detector, DestinationId=destination)
    assert described["DestinationProperties"]["DestinationArn"] == "arn:aws:s3:::acme-guardduty-export/findings"
    guardduty.delete_publishing_destination(DetectorId=detector, DestinationId=destination)
    assert guardduty.list_publishing_destinations(DetectorId=detector)["Destinations"] == []


@pytest.mark.parametrize("properties, says", [
    ({"DestinationArn": "arn:aws:s3:::no-such-bucket"}, "does not exist"),
    ({"DestinationArn": "arn:aws:s3:::acme-guardduty-export"}, "KmsKeyArn"),
    ({"DestinationArn": "acme-guardduty-export", "KmsKeyArn": "KEY"}, "not an S3 bucket ARN"),
    ({"DestinationArn": "arn:aws:s3:::acme-guardduty-export",
      "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"}, "does not exist"),
])
def test_a_destination_guardduty_cannot_use_is_refused(setup, properties, says):
    guardduty, detector, key = setup
    properties = {k: key if v == "KEY" else v for k, v in properties.items()}
    assert says in _refused(guardduty.create_publishing_destination, DetectorId=detector, DestinationType="S3",
                            DestinationProperties=properties)
    assert guardduty.list_publishing_destinations(DetectorId=detector)["Destinations"] == []


def test_a_client_token_makes_a_retry_return_the_same_destination(setup):
    guardduty, detector, key = setup
    kwargs = dict(DetectorId=detector, DestinationType="S3", ClientToken="retry-1",
                  DestinationProperties={"DestinationArn": "arn:aws:s3:::acme-guardduty-export", "KmsKeyArn": key})
    first = guardduty.create_publishing_destination(**kwargs)["DestinationId"]
    assert guardduty.create_publishing_destination(**kwargs)["DestinationId"] == first
    assert len(guardduty.list_publishing_destinations(DetectorId=detector)["Destinations"]) == 1


def test_one_detector_per_region(setup, client):
    guardduty, _, _ = setup
    assert "already exists" in _refused(guardduty.create_detector, Enable=True)
    assert client("guardduty", region="us-west-2").create_detector(Enable=True)["DetectorId"]
