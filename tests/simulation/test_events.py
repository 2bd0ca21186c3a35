"""EventBridge TestEventPattern, matched by moto's own event-pattern matcher."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json

import pytest
from botocore.exceptions import ClientError

EVENT = {
    "id": "1",
    "source": "com.mycompany.myapp",
    "detail-type": "myDetailType",
    "account": "123456789012",
    "region": "us-east-1",
    "time": "2017-04-11T20:11:04Z",
}
EC2_STOPPED = {
    **EVENT,
    "source": "aws.ec2",
    "detail-type": "EC2 Instance State-change Notification",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-abcd1111", "state": "stopped", "cpu": 87},
}


@pytest.fixture
def events(client):
    return client("events")


def test(events, pattern, event) -> bool:
    return events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(event))["Result"]


test.__test__ = False  # a helper, not a test


@pytest.mark.parametrize(
    "pattern, event, result",
    [
        ({"source": ["com.mycompany.myapp"]}, EVENT, True),
        ({"source": ["com.other.app"]}, EVENT, False),
        ({"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}, EC2_STOPPED, True),
        ({"source": ["aws.ec2"], "detail": {"state": ["stopped", "terminated"]}}, EC2_STOPPED, True),
        ({"source": ["aws.ec2"], "detail": {"state": ["running"]}}, EC2_STOPPED, False),
        ({"detail": {"instance-id": [{"prefix": "i-abcd"}]}}, EC2_STOPPED, True),
        ({"detail": {"cpu": [{"numeric": [">", 80, "<=", 90]}]}}, EC2_STOPPED, True),
        ({"detail": {"cpu": [{"numeric": [">", 90]}]}}, EC2_STOPPED, False),
        ({"detail": {"state": [{"anything-but": "stopped"}]}}, EC2_STOPPED, False),
        ({"detail": {"owner": [{"exists": False}]}}, EC2_STOPPED, True),
        ({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}, EC2_STOPPED, True),
    ],
)
def test_matching(events, pattern, event, result):
    assert test(events, pattern, event) is result


@pytest.mark.parametrize(
    "pattern",
    [
        "{not json",
        '["source"]',
        '{"source": "aws.ec2"}',
        '{"source": []}',
        '{"detail": {"state": [{"startswith": "stop"}]}}',
        '{"detail": {"cpu": [{"numeric": ["~", 3]}]}}',
    ],
)
def test_invalid_patterns(events, pattern):
    with pytest.raises(ClientError) as excinfo:
        events.test_event_pattern(EventPattern=pattern, Event=json.dumps(EVENT))
    assert excinfo.value.response["Error"]["Code"] == "InvalidEventPatternException"


@pytest.mark.parametrize("missing", ["id", "account", "source", "time", "region", "detail-type"])
def test_event_needs_its_envelope(events, missing):
    event = {k: v for k, v in EVENT.items() if k != missing}
    with pytest.raises(ClientError) as excinfo:
        events.test_event_pattern(EventPattern='{"source": ["com.mycompany.myapp"]}', Event=json.dumps(event))
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert excinfo.value.response["Error"]["Message"] == "Parameter Event is not valid."


@pytest.mark.parametrize("event", ["not json", "[1, 2]"])
def test_event_must_be_a_json_object(events, event):
    with pytest.raises(ClientError) as excinfo:
        events.test_event_pattern(EventPattern='{"source": ["x"]}', Event=event)
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"


def test_cli_handbook_example(cli):
    out = cli(
        "events", "test-event-pattern", "--event-pattern", '{"source":["com.mycompany.myapp"]}',
        "--event", json.dumps(EVENT),
    ).json()
    assert out == {"Result": True}
