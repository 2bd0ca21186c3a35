"""CloudTrail LookupEvents over the seeded history and the calls made through the simulation."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json
from datetime import datetime, timezone

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from handbook.simulation import cloudtrail

from .conftest import ACCOUNT, fixture

UNVALIDATED = Config(parameter_validation=False)


def attr(key: str, value: str) -> list[dict[str, str]]:
    return [{"AttributeKey": key, "AttributeValue": value}]


def lookup_all(ct, **kwargs):
    """Every page of a lookup."""
    events, token = [], None
    while True:
        page = ct.lookup_events(**kwargs, **({"NextToken": token} if token else {}))
        events += page["Events"]
        token = page.get("NextToken")
        if not token:
            return events


def seeded(events):
    return [e for e in events if e["EventTime"].year < 2020]


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


# --------------------------------------------------------------------- seeded history


def test_seed_fixture_is_well_formed():
    seed = cloudtrail.load_seed()
    ids = [item["record"]["eventID"] for item in seed["events"]]
    assert len(ids) == len(set(ids))
    for item in seed["events"]:
        record = item["record"]
        for field in ("eventTime", "eventSource", "eventName", "userIdentity", "eventID"):
            assert field in record, (record.get("eventID"), field)


def test_username_alice_returns_alices_events_only(client):
    events = client("cloudtrail").lookup_events(LookupAttributes=attr("Username", "Alice"))["Events"]
    assert [e["EventName"] for e in events] == ["StartInstances", "RunInstances", "ConsoleLogin"]
    assert {e["Username"] for e in events} == {"Alice"}
    start = json.loads(events[0]["CloudTrailEvent"])
    assert start["userIdentity"]["accessKeyId"] == "EXAMPLE_KEY_ID"
    assert start["requestParameters"]["instancesSet"]["items"][0]["instanceId"] == "i-ebeaf9e2"
    assert events[0]["AccessKeyId"] == "EXAMPLE_KEY_ID"
    assert events[0]["Resources"] == [{"ResourceType": "AWS::EC2::Instance", "ResourceName": "i-ebeaf9e2"}]


def test_username_root_returns_roots_events_only(client):
    events = client("cloudtrail").lookup_events(LookupAttributes=attr("Username", "root"))["Events"]
    assert [e["EventName"] for e in events] == ["RunInstances", "ConsoleLogin"]
    assert all(json.loads(e["CloudTrailEvent"])["userIdentity"]["type"] == "Root" for e in events)


def test_console_logins_newest_first(client):
    events = client("cloudtrail").lookup_events(LookupAttributes=attr("EventName", "ConsoleLogin"))["Events"]
    assert [e["Username"] for e in events] == ["root", "carol", "Bob", "Alice"]
    times = [e["EventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    assert {e["EventSource"] for e in events} == {"signin.amazonaws.com"}
    failed = json.loads(events[1]["CloudTrailEvent"])
    assert failed["responseElements"] == {"ConsoleLogin": "Failure"}
    assert "AccessKeyId" not in events[1]  # an empty accessKeyId is not reported


def test_access_key_lookup(client):
    events = client("cloudtrail").lookup_events(
        LookupAttributes=attr("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")
    )["Events"]
    assert [e["EventName"] for e in events] == [
        "RunInstances", "StopLogging", "CreateUser", "DescribeInstances", "RunInstances",
    ]
    assert {e["Username"] for e in events} == {"Bob"}


def test_run_instances_by_several_users(client):
    events = client("cloudtrail").lookup_events(LookupAttributes=attr("EventName", "RunInstances"))["Events"]
    assert [e["Username"] for e in events] == ["ci-deploy", "root", "Bob", "Bob", "Alice"]
    assert [e["AccessKeyId"] for e in events] == [
        "ASIAEXAMPLEDEPLOYKEY", "ASIAJEXAMPLEXEG2JICEA", "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE",
    ]


@pytest.mark.parametrize(
    "key, value, names",
    [
        ("ResourceName", "i-0c33b33ffd64ca402", ["RunInstances"]),
        ("ResourceType", "AWS::IAM::User", ["CreateUser"]),
        ("ResourceType", "AWS::CloudTrail::Trail", ["StopLogging"]),
        ("EventSource", "iam.amazonaws.com", ["CreateUser"]),
        ("ReadOnly", "true", ["DescribeInstances"]),
        ("EventId", "3b8d0f2e-5a4c-4d0e-9c11-7f2a6b1e0001", ["StartInstances"]),
        ("Username", "nobody", []),
    ],
)
def test_lookup_attributes(client, key, value, names):
    events = client("cloudtrail").lookup_events(LookupAttributes=attr(key, value))["Events"]
    assert [e["EventName"] for e in seeded(events)] == names


def test_read_only_false_excludes_read_events(client):
    events = lookup_all(client("cloudtrail"), LookupAttributes=attr("ReadOnly", "false"))
    assert "DescribeInstances" not in {e["EventName"] for e in events}
    assert {e["ReadOnly"] for e in events} == {"false"}


def test_time_range_is_inclusive(client):
    events = client("cloudtrail").lookup_events(
        StartTime=datetime(2016, 12, 20, 1, 30, tzinfo=timezone.utc),
        EndTime=datetime(2016, 12, 20, 2, 5, tzinfo=timezone.utc),
    )["Events"]
    assert [e["EventName"] for e in events] == ["StopLogging", "CreateUser", "DescribeInstances", "RunInstances"]


def test_default_lookup_returns_at_most_50_newest_first(client):
    ct = client("cloudtrail")
    cloudtrail.put_events(
        [
            {
                "eventTime": f"2015-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
                "eventSource": "ec2.amazonaws.com",
                "eventName": "StopInstances",
                "userIdentity": {"type": "IAMUser", "userName": "loader", "accessKeyId": "AKIALOADER0000000000"},
            }
            for i in range(60)
        ]
    )
    page = ct.lookup_events()
    assert len(page["Events"]) == 50 and page["NextToken"]
    everything = lookup_all(ct)
    assert len(everything) == 60 + len(cloudtrail.load_seed()["events"])
    assert len({e["EventId"] for e in everything}) == len(everything)
    times = [e["EventTime"] for e in everything]
    assert times == sorted(times, reverse=True)


def test_paging_with_max_results(client):
    ct = client("cloudtrail")
    first = ct.lookup_events(MaxResults=2, LookupAttributes=attr("EventName", "RunInstances"))
    assert len(first["Events"]) == 2
    rest = lookup_all(ct, MaxResults=2, LookupAttributes=attr("EventName", "RunInstances"))
    assert [e["EventId"] for e in rest[:2]] == [e["EventId"] for e in first["Events"]]
    assert len(rest) == 5


def test_next_token_needs_the_same_parameters(client):
    ct = client("cloudtrail")
    token = ct.lookup_events(MaxResults=1, LookupAttributes=attr("Username", "Bob"))["NextToken"]
    with pytest.raises(ClientError) as excinfo:
        ct.lookup_events(MaxResults=1, LookupAttributes=attr("Username", "root"), NextToken=token)
    assert error_code(excinfo) == "InvalidNextTokenException"
    with pytest.raises(ClientError) as excinfo:
        ct.lookup_events(NextToken="not-a-token")
    assert error_code(excinfo) == "InvalidNextTokenException"


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"LookupAttributes": attr("UserName", "Alice")}, "InvalidLookupAttributesException"),
        (
            {"LookupAttributes": attr("Username", "Alice") + attr("EventName", "RunInstances")},
            "InvalidLookupAttributesException",
        ),
        ({"LookupAttributes": attr("ReadOnly", "maybe")}, "InvalidLookupAttributesException"),
        ({"MaxResults": 51}, "InvalidMaxResultsException"),
        ({"MaxResults": 0}, "InvalidMaxResultsException"),
        (
            {"StartTime": datetime(2017, 1, 2, tzinfo=timezone.utc), "EndTime": datetime(2017, 1, 1, tzinfo=timezone.utc)},
            "InvalidTimeRangeException",
        ),
        ({"EventCategory": "management"}, "InvalidEventCategoryException"),
    ],
)
def test_invalid_input(client, kwargs, code):
    with pytest.raises(ClientError) as excinfo:
        client("cloudtrail", config=UNVALIDATED).lookup_events(**kwargs)
    assert error_code(excinfo) == code
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_insight_category_has_no_management_events(client):
    assert client("cloudtrail").lookup_events(EventCategory="insight")["Events"] == []


def test_event_shape(client):
    event = client("cloudtrail").lookup_events(MaxResults=1)["Events"][0]
    assert set(event) >= {"EventId", "EventName", "ReadOnly", "EventTime", "EventSource", "Resources", "CloudTrailEvent"}
    record = json.loads(event["CloudTrailEvent"])
    assert record["eventID"] == event["EventId"] and record["eventName"] == event["EventName"]


# --------------------------------------------------------------------- recorded calls


def recent(ct, **kwargs):
    return [e for e in lookup_all(ct, **kwargs) if e["EventTime"].year >= 2020]


def test_cloudtrail_write_calls_are_recorded(client):
    client("s3").create_bucket(Bucket="trail-bucket")
    ct = client("cloudtrail")
    ct.create_trail(Name="Trail1", S3BucketName="trail-bucket", IsMultiRegionTrail=True)
    ct.start_logging(Name="Trail1")
    ct.stop_logging(Name="Trail1")
    ct.update_trail(Name="Trail1", EnableLogFileValidation=True)
    ct.get_trail_status(Name="Trail1")  # read-only: not recorded
    ct.describe_trails()
    ct.delete_trail(Name="Trail1")
    events = recent(ct, LookupAttributes=attr("EventSource", "cloudtrail.amazonaws.com"))
    assert [e["EventName"] for e in events] == [
        "DeleteTrail", "UpdateTrail", "StopLogging", "StartLogging", "CreateTrail",
    ]
    create = json.loads(events[-1]["CloudTrailEvent"])
    assert create["requestParameters"] == {"name": "Trail1", "s3BucketName": "trail-bucket", "isMultiRegionTrail": True}
    assert create["responseElements"]["trailARN"] == f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/Trail1"
    assert create["readOnly"] is False and create["eventType"] == "AwsApiCall"
    assert events[-1]["Resources"] == [
        {"ResourceType": "AWS::CloudTrail::Trail", "ResourceName": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/Trail1"}
    ]
    by_name = recent(ct, LookupAttributes=attr("ResourceName", "Trail1"))
    assert [e["EventName"] for e in by_name] == ["DeleteTrail", "StopLogging", "StartLogging"]
    by_type = recent(ct, LookupAttributes=attr("ResourceType", "AWS::CloudTrail::Trail"))
    assert len(by_type) == 5


def test_failed_calls_are_recorded_with_their_error(client):
    ct = client("cloudtrail")
    with pytest.raises(ClientError):
        ct.start_logging(Name="NoSuchTrail")
    record = json.loads(recent(ct)[0]["CloudTrailEvent"])
    assert record["eventName"] == "StartLogging"
    assert record["errorCode"] == "TrailNotFoundException"
    assert "NoSuchTrail" in record["errorMessage"]


def test_calls_of_other_services_carry_the_callers_identity(client):
    iam = client("iam")
    iam.create_user(UserName="dave")
    key = iam.create_access_key(UserName="dave")["AccessKey"]
    as_dave = client("sns", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    topic = as_dave.create_topic(Name="alerts")["TopicArn"]
    ct = client("cloudtrail")
    events = recent(ct, LookupAttributes=attr("Username", "dave"))
    assert [e["EventName"] for e in events] == ["CreateTopic"]
    assert events[0]["AccessKeyId"] == key["AccessKeyId"]
    assert events[0]["EventSource"] == "sns.amazonaws.com"
    assert events[0]["Resources"] == [{"ResourceType": "AWS::SNS::Topic", "ResourceName": topic}]
    identity = json.loads(events[0]["CloudTrailEvent"])["userIdentity"]
    assert identity["type"] == "IAMUser" and identity["arn"] == f"arn:aws:iam::{ACCOUNT}:user/dave"
    # IAM is global: its calls are in us-east-1; the secret never reaches the history
    create_key = recent(ct, LookupAttributes=attr("EventName", "CreateAccessKey"))[0]
    assert key["SecretAccessKey"] not in create_key["CloudTrailEvent"]


def test_read_only_and_data_events_are_not_recorded(client):
    logs = client("logs")
    logs.create_log_group(logGroupName="app")
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    logs.put_log_events(logGroupName="app", logStreamName="s", logEvents=[{"timestamp": 1, "message": "x"}])
    logs.describe_log_groups()
    names = [e["EventName"] for e in recent(client("cloudtrail"))]
    assert names == ["CreateLogStream", "CreateLogGroup"]


def test_history_is_per_region(client):
    client("sns", region="us-west-2").create_topic(Name="west")
    east = recent(client("cloudtrail"))
    west_ct = client("cloudtrail", region="us-west-2")
    west = recent(west_ct)
    assert [e["EventName"] for e in west] == ["CreateTopic"]
    assert "CreateTopic" not in [e["EventName"] for e in east]
    # sign-in events are pinned to us-east-1; the EC2 ones follow the Region looked up
    west_seeded = seeded(lookup_all(west_ct))
    assert "ConsoleLogin" not in {e["EventName"] for e in west_seeded}
    start = [e for e in west_seeded if e["EventName"] == "StartInstances"][0]
    assert json.loads(start["CloudTrailEvent"])["awsRegion"] == "us-west-2"


def test_history_is_wiped_with_moto_state(session):
    with mock_aws():
        session.client("sns").create_topic(Name="first")
        assert recent(session.client("cloudtrail"))
    with mock_aws():
        assert recent(session.client("cloudtrail")) == []
        assert seeded(lookup_all(session.client("cloudtrail")))


def test_other_accounts_have_no_seeded_events(aws):
    history = cloudtrail.history_for("111111111111", "us-east-1")
    assert len(history) == 0


def test_put_events_derives_lookup_fields(client):
    record = fixture("cloudtrail_assumed_role_record.json")
    (event,) = cloudtrail.put_events([record])
    found = client("cloudtrail").lookup_events(LookupAttributes=attr("Username", "incident-bot"))["Events"]
    assert [e["EventId"] for e in found] == [event.event_id]
    assert found[0]["Resources"] == [
        {"ResourceType": "AWS::IAM::User", "ResourceName": "backup-admin"},
        {"ResourceType": "AWS::IAM::AccessKey", "ResourceName": "AKIAEXAMPLEBACKUPKEY"},
    ]


# --------------------------------------------------------------------- the aws command


def test_cli_console_login_lookup(cli):
    out = cli("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=ConsoleLogin").json()
    assert [e["Username"] for e in out["Events"]] == ["root", "carol", "Bob", "Alice"]


def test_cli_access_key_and_time_window(cli):
    out = cli(
        "cloudtrail", "lookup-events",
        "--lookup-attributes", "AttributeKey=AccessKeyId,AttributeValue=AKIAIOSFODNN7EXAMPLE",
        "--start-time", "2016-12-20T02:00:00Z", "--end-time", "2016-12-20T03:00:00Z",
    ).json()
    assert [e["EventName"] for e in out["Events"]] == ["RunInstances", "StopLogging", "CreateUser"]


def test_cli_max_results_and_invalid_key(cli):
    out = cli("cloudtrail", "lookup-events", "--max-results", "2").json()
    assert len(out["Events"]) == 2 and out["NextToken"]
    bad = cli("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Nope,AttributeValue=x")
    assert bad.rc != 0 and "InvalidLookupAttributesException" in bad.err
