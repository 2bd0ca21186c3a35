"""CloudWatch DescribeAlarmHistory: configuration updates, state updates and actions."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

UNVALIDATED = Config(parameter_validation=False)


@pytest.fixture
def cw(client):
    return client("cloudwatch")


def put_alarm(cw, name="cpu-mon", **overrides):
    params = dict(
        AlarmName=name, AlarmDescription="Alarm when CPU exceeds 70 percent", MetricName="CPUUtilization",
        Namespace="AWS/EC2", Statistic="Average", Period=300, Threshold=70.0,
        ComparisonOperator="GreaterThanThreshold", Dimensions=[{"Name": "InstanceId", "Value": "i-12345678"}],
        EvaluationPeriods=2, Unit="Percent",
    )
    params.update(overrides)
    cw.put_metric_alarm(**params)


def history(cw, **kwargs):
    return cw.describe_alarm_history(**kwargs)["AlarmHistoryItems"]


def test_creation_is_a_configuration_update(cw):
    put_alarm(cw)
    (item,) = history(cw, AlarmName="cpu-mon")
    assert item["HistoryItemType"] == "ConfigurationUpdate"
    assert item["HistorySummary"] == 'Alarm "cpu-mon" created'
    assert item["AlarmType"] == "MetricAlarm"
    data = json.loads(item["HistoryData"])
    assert data["type"] == "Create"
    created = data["createdAlarm"]
    assert created["threshold"] == 70.0 and created["dimensions"] == [{"name": "InstanceId", "value": "i-12345678"}]
    assert created["comparisonOperator"] == "GreaterThanThreshold"


def test_update_records_the_original(cw):
    put_alarm(cw)
    put_alarm(cw, Threshold=90.0)
    newest = history(cw, AlarmName="cpu-mon")[0]
    assert newest["HistorySummary"] == 'Alarm "cpu-mon" updated'
    data = json.loads(newest["HistoryData"])
    assert (data["originalAlarm"]["threshold"], data["updatedAlarm"]["threshold"]) == (70.0, 90.0)


def test_state_change_is_a_state_update(cw):
    put_alarm(cw, AlarmName="myalarm")
    cw.set_alarm_state(AlarmName="myalarm", StateValue="ALARM", StateReason="testing purposes")
    (item,) = history(cw, AlarmName="myalarm", HistoryItemType="StateUpdate")
    assert item["HistorySummary"] == "Alarm updated from OK to ALARM"
    data = json.loads(item["HistoryData"])
    assert data["oldState"]["stateValue"] == "OK"
    assert data["newState"] == {"stateValue": "ALARM", "stateReason": "testing purposes"}


def test_same_state_is_no_transition(cw):
    put_alarm(cw)
    cw.set_alarm_state(AlarmName="cpu-mon", StateValue="OK", StateReason="still fine")
    assert history(cw, HistoryItemType="StateUpdate") == []


def test_actions_of_the_new_state(client, cw):
    topic = client("sns").create_topic(Name="MyTopic")["TopicArn"]
    missing = "arn:aws:sns:us-east-1:111122223333:MyTopic"
    put_alarm(cw, AlarmActions=[topic, missing], OKActions=[topic])
    cw.set_alarm_state(AlarmName="cpu-mon", StateValue="ALARM", StateReason="r",
                       StateReasonData=json.dumps({"datapoints": [80.5]}))
    actions = history(cw, HistoryItemType="Action", ScanBy="TimestampAscending")
    assert [a["HistorySummary"] for a in actions] == [
        f"Successfully executed action {topic}",
        f"Failed to execute action {missing}",
    ]
    state = json.loads(history(cw, HistoryItemType="StateUpdate")[0]["HistoryData"])
    assert state["newState"]["stateReasonData"] == {"datapoints": [80.5]}


def test_disabled_actions_are_not_executed(cw):
    put_alarm(cw, AlarmActions=["arn:aws:sns:us-east-1:123456789012:t"], ActionsEnabled=False)
    cw.set_alarm_state(AlarmName="cpu-mon", StateValue="ALARM", StateReason="r")
    assert history(cw, HistoryItemType="Action") == []


def test_history_survives_deletion(cw):
    put_alarm(cw)
    cw.delete_alarms(AlarmNames=["cpu-mon"])
    items = history(cw, AlarmName="cpu-mon")
    assert [i["HistorySummary"] for i in items] == ['Alarm "cpu-mon" deleted', 'Alarm "cpu-mon" created']
    assert cw.describe_alarms(AlarmNames=["cpu-mon"])["MetricAlarms"] == []


def test_unknown_alarm_state_change_fails_without_history(cw):
    with pytest.raises(ClientError) as excinfo:
        cw.set_alarm_state(AlarmName="nope", StateValue="ALARM", StateReason="r")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFound"
    assert history(cw) == []


def test_filters_and_order(cw):
    put_alarm(cw, AlarmName="a")
    put_alarm(cw, AlarmName="b")
    cw.set_alarm_state(AlarmName="b", StateValue="ALARM", StateReason="r")
    cw.set_alarm_state(AlarmName="b", StateValue="OK", StateReason="r")
    everything = history(cw)
    assert [i["AlarmName"] for i in everything] == ["b", "b", "b", "a"]
    assert [i["HistoryItemType"] for i in history(cw, AlarmName="b", ScanBy="TimestampAscending")] == [
        "ConfigurationUpdate", "StateUpdate", "StateUpdate",
    ]
    assert [i["AlarmName"] for i in history(cw, AlarmName="a")] == ["a"]
    assert history(cw, AlarmTypes=["CompositeAlarm"]) == []
    assert len(history(cw, AlarmTypes=["MetricAlarm", "CompositeAlarm"])) == 4
    now = datetime.now(timezone.utc)
    assert len(history(cw, StartDate=now - timedelta(minutes=5), EndDate=now + timedelta(minutes=5))) == 4
    assert history(cw, EndDate=now - timedelta(days=1)) == []
    assert history(cw, AlarmContributorId="c1") == []


def test_paging(cw):
    for name in "abcde":
        put_alarm(cw, AlarmName=name)
    first = cw.describe_alarm_history(MaxRecords=2)
    assert len(first["AlarmHistoryItems"]) == 2 and first["NextToken"]
    second = cw.describe_alarm_history(MaxRecords=2, NextToken=first["NextToken"])
    names = [i["AlarmName"] for i in first["AlarmHistoryItems"] + second["AlarmHistoryItems"]]
    assert names == ["e", "d", "c", "b"]
    with pytest.raises(ClientError) as excinfo:
        cw.describe_alarm_history(MaxRecords=2, NextToken="bogus")
    assert excinfo.value.response["Error"]["Code"] == "InvalidNextToken"


def test_max_records_range(client):
    with pytest.raises(ClientError) as excinfo:
        client("cloudwatch", config=UNVALIDATED).describe_alarm_history(MaxRecords=101)
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_cli_handbook_example(cli):
    assert cli(
        "cloudwatch", "put-metric-alarm", "--alarm-name", "myalarm", "--metric-name", "CPUUtilization",
        "--namespace", "AWS/EC2", "--statistic", "Average", "--period", "300", "--threshold", "70",
        "--comparison-operator", "GreaterThanThreshold", "--evaluation-periods", "2", "--unit", "Percent",
    ).rc == 0
    assert cli("cloudwatch", "set-alarm-state", "--alarm-name", "myalarm", "--state-value", "ALARM",
               "--state-reason", "testing purposes").rc == 0
    out = cli("cloudwatch", "describe-alarm-history", "--alarm-name", "myalarm",
              "--history-item-type", "StateUpdate").json()
    assert [i["HistorySummary"] for i in out["AlarmHistoryItems"]] == ["Alarm updated from OK to ALARM"]
