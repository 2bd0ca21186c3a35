"""What a CLI example needs to exist before it runs under moto, declared in its `<name>.yml`.

    placeholders:                # test values for this example's <placeholders>
      bucket: handbook-evidence
    setup:                       # run in order, in the same simulated account as the example
      - call: s3.create_bucket   # <boto3 service>.<client method> ...
        args: {Bucket: handbook-evidence}   # ... with these keyword arguments
      - fixture: log-events      # a named fixture from FIXTURES below ...
        args: {group: my-logs, stream: "20150601"}   # ... with these arguments

A step is exactly one of `call` or `fixture`, with optional `args`. Prefer `call`: it reads
like the API reference. A fixture exists only for what takes several calls or moto's insides
(an id the example names but moto would generate, events older than moto's API accepts).
Calls run with the runner's long-lived boto3 session (mock_aws resets the default one).
An example that simulated AWS cannot run is listed, with the reason, in the one file
snippets/model-only.yml (see handbook.snippets), never in its own declarations.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable, Mapping

from handbook import aws  # first: awscli must be imported before boto3 and moto
from botocore.exceptions import BotoCoreError, ClientError

from handbook.errors import HandbookError

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


def vpc(cli: aws.AwsCli, id: str, cidr: str = "10.0.0.0/16", name: str | None = None) -> None:
    """A VPC with the id the example names (EC2 generates VPC ids), tagged Name=`name` if given."""
    from moto.ec2.models import ec2_backends

    ec2 = cli.client("ec2")
    generated = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    vpcs = ec2_backends[ACCOUNT_ID][REGION].vpcs
    made = vpcs.pop(generated)
    made.id = id
    vpcs[id] = made
    if name:
        ec2.create_tags(Resources=[id], Tags=[{"Key": "Name", "Value": name}])


def kms_key(cli: aws.AwsCli, id: str, alias: str | None = None, description: str = "") -> None:
    """A KMS key with the id the example names (KMS generates key ids), and its alias if given."""
    from moto.kms.models import kms_backends

    kms = cli.client("kms")
    generated = kms.create_key(Description=description)["KeyMetadata"]["KeyId"]
    keys = kms_backends[ACCOUNT_ID][REGION].keys
    key = keys.pop(generated)
    key.id = id
    key.arn = key.arn.rsplit("/", 1)[0] + "/" + id
    keys[id] = key
    if alias:
        kms.create_alias(AliasName=alias, TargetKeyId=id)


def trail_events(cli: aws.AwsCli, events: list) -> None:
    """Past management events in the CloudTrail event history, declared briefly
    ({at, user, key, from, event, source, parameters, region, error}: handbook.simulation.trail_records)."""
    from handbook.simulation import trail_records

    trail_records.into_history(events)


def trail_log_file(cli: aws.AwsCli, bucket: str, events: list, account: str = ACCOUNT_ID,
                   region: str = REGION, prefix: str = "") -> None:
    """One CloudTrail log file of `account` and `region`, delivered to `bucket` as CloudTrail writes it."""
    from handbook.simulation import trail_records

    _ensure_bucket(cli, bucket)
    trail_records.log_file(bucket, events, account_id=str(account), region=region, prefix=prefix)


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


def scenario(cli: aws.AwsCli, name: str) -> None:
    """The incident of scenarios/<name>.yml replayed in the account (handbook.scenario): a drill's setup."""
    from handbook import scenario as scenarios

    scenarios.run(scenarios.load(scenarios.path_of(name)), cli)


FIXTURES: dict[str, Callable[..., None]] = {
    "trail": trail,
    "bucket-object": bucket_object,
    "log-events": log_events,
    "network-interface": network_interface,
    "guardduty-detector": guardduty_detector,
    "guardduty-findings": guardduty_findings,
    "kms-key": kms_key,
    "scenario": scenario,
    "vpc": vpc,
    "trail-events": trail_events,
    "trail-log-file": trail_log_file,
}


def setup_steps(declarations: Mapping, where: Path | str) -> list:
    """The `setup:` list of an example's declarations ([] when it has none)."""
    steps = declarations.get("setup") or []
    if not isinstance(steps, list):
        raise HandbookError(where, line_in(where, "setup:"), "`setup` must be a list of steps")
    return steps


def run_setup(steps: list, cli: aws.AwsCli, *, where: Path | str) -> None:
    """Run each step in order, inside the caller's mock; `where` is the file that declares them."""
    for number, step in enumerate(steps, 1):
        if not isinstance(step, Mapping) or len({"call", "fixture"} & step.keys()) != 1 \
                or not step.keys() <= {"call", "fixture", "args"}:
            raise HandbookError(where, None, f"setup step {number} must have exactly one of `call` "
                                             f"or `fixture`, and optionally `args`; it is {step!r}")
        args = step.get("args") or {}
        if not isinstance(args, Mapping):
            raise HandbookError(where, None, f"setup step {number}: `args` must be a mapping")
        if "fixture" in step:
            name = step["fixture"]
            action, label = FIXTURES.get(name), f"fixture {name!r}"
            if action is None:
                raise HandbookError(where, line_in(where, f"fixture: {name}"),
                                    f"setup step {number} names the unknown fixture {name!r}; "
                                    f"known fixtures are {', '.join(FIXTURES)}")
            run = lambda: action(cli, **args)  # noqa: E731
        else:
            label = step["call"]
            service, _, method = str(label).partition(".")
            try:
                client = cli.client(service)
            except BotoCoreError as problem:
                raise HandbookError(where, line_in(where, f"call: {label}"),
                                    f"setup step {number} names no boto3 service: {problem}") from None
            if not method or not hasattr(client, method):
                raise HandbookError(where, line_in(where, f"call: {label}"),
                                    f"setup step {number}: {label!r} is not a {service} client method; "
                                    "write it as service.method, e.g. s3.create_bucket")
            run = lambda: getattr(client, method)(**args)  # noqa: E731
        try:
            run()
        except HandbookError:
            raise
        except (ClientError, BotoCoreError, TypeError, ValueError, KeyError) as problem:
            needle = f"fixture: {step['fixture']}" if "fixture" in step else f"call: {label}"
            raise HandbookError(where, line_in(where, needle),
                                f"setup step {number} ({label}) failed: {problem}") from None


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


def line_in(path: Path | str, needle: str) -> int | None:
    """The line of `path` that declares `needle`, for an error message; None when unknown."""
    try:
        for number, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if needle in text:
                return number
    except OSError:
        pass
    return None
