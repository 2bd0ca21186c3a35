"""Named account states: what a setup needs that takes several calls or moto's insides.

An example's `setup:` (handbook.examples.fixtures) and a scenario's `account:`
(handbook.training.scenario) both name these, as `fixture: <name>`: an id the example names
that AWS would generate (a detector's, an interface's), sample findings with fixed ids and
times, log events older than moto's API accepts. They sit on the simulation's floor, below
both users, so neither imports the other to reach them.
"""

from __future__ import annotations

import datetime
from typing import Callable

from handbook import aws  # first: awscli must be imported before boto3 and moto

ACCOUNT_ID = aws.ACCOUNT_ID
REGION = aws.REGION


def trail(cli: aws.AwsCli, name: str = "Trail1", bucket: str = "my-bucket") -> None:
    """A CloudTrail trail and the bucket it writes to (moto refuses a trail without one)."""
    _ensure_bucket(cli, bucket)
    cli.client("cloudtrail").create_trail(Name=name, S3BucketName=bucket)


def bucket_object(cli: aws.AwsCli, bucket: str, key: str, body: str = "example evidence\n") -> None:
    """An S3 object, creating its bucket if needed."""
    _ensure_bucket(cli, bucket)
    cli.client("s3").put_object(Bucket=bucket, Key=key, Body=body.encode("utf-8"))


def log_events(cli: aws.AwsCli, group: str, stream: str, events: list | None = None) -> None:
    """A log group and stream holding `events` ([{timestamp, message}]), however old.

    moto's PutLogEvents drops events older than 14 days, and the handbook's examples are
    dated 2015-2016: the events are placed on moto's stream directly, with their own times.
    """
    from moto.logs.models import logs_backends

    logs = cli.client("logs")
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    events = events or [{"timestamp": "2015-06-01T12:00:00Z", "message": "example log line"}]
    placed = [{"timestamp": _epoch_ms(e["timestamp"]), "message": str(e["message"])} for e in events]
    logs_backends[ACCOUNT_ID][REGION].groups[group].put_log_events(stream, placed)


def network_interface(cli: aws.AwsCli, id: str) -> None:
    """An elastic network interface with the id the example names (moto generates ENI ids)."""
    from moto.ec2.models import ec2_backends

    ec2 = cli.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    generated = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    enis = ec2_backends[ACCOUNT_ID][REGION].enis
    eni = enis.pop(generated)
    eni.id = id
    enis[id] = eni


def guardduty_detector(cli: aws.AwsCli, id: str) -> None:
    """A GuardDuty detector with the id the example names (GuardDuty generates detector ids)."""
    from moto.guardduty.models import guardduty_backends

    generated = cli.client("guardduty").create_detector(Enable=True)["DetectorId"]
    detectors = guardduty_backends[ACCOUNT_ID][REGION].detectors
    detector = detectors.pop(generated)
    detector.id = id
    detectors[id] = detector


# When the fixture's sample findings were seen, so that recorded output does not move.
FINDING_TIME = "2021-10-26T19:54:10.663Z"


def guardduty_findings(cli: aws.AwsCli, detector: str, findings: list) -> None:
    """Sample findings ([{id, type, severity?}]) on `detector`, with the ids the example names.

    GuardDuty's CreateSampleFindings (simulated by handbook.simulation) makes them; their
    ids, ARNs and times are then set to fixed values, as a real account's would be.
    """
    from moto.guardduty.models import guardduty_backends
    from handbook.simulation.guardduty import state_of

    stored = state_of(guardduty_backends[ACCOUNT_ID][REGION]).detector_findings(detector)
    for wanted in findings:
        before = set(stored)
        cli.client("guardduty").create_sample_findings(DetectorId=detector, FindingTypes=[wanted["type"]])
        [generated] = set(stored) - before or [None]
        if generated is None:
            raise ValueError(f"a sample finding of type {wanted['type']!r} exists already on {detector}")
        finding = stored.pop(generated)
        finding["id"] = str(wanted["id"])
        finding["arn"] = finding["arn"].rsplit("/", 1)[0] + "/" + finding["id"]
        if "severity" in wanted:
            finding["severity"] = float(wanted["severity"])
        for key in ("createdAt", "updatedAt"):
            finding[key] = FINDING_TIME
        for key in ("eventFirstSeen", "eventLastSeen"):
            finding["service"][key] = FINDING_TIME
        stored[finding["id"]] = finding


def _ensure_bucket(cli: aws.AwsCli, bucket: str) -> None:
    s3 = cli.client("s3")
    if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket=bucket)


def _epoch_ms(value) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp() * 1000)


NAMED: dict[str, Callable[..., None]] = {
    "trail": trail,
    "bucket-object": bucket_object,
    "log-events": log_events,
    "network-interface": network_interface,
    "guardduty-detector": guardduty_detector,
    "guardduty-findings": guardduty_findings,
}
