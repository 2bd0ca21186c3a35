"""CloudWatch Metrics Insights queries in GetMetricData."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from handbook.simulation.cloudwatch_insights import parse

START, END = datetime(2026, 11, 20, 8, tzinfo=timezone.utc), datetime(2026, 11, 20, 11, tzinfo=timezone.utc)


@pytest.fixture
def cloudwatch(client):
    cloudwatch = client("cloudwatch")
    data = []
    for instance, values in {"i-a": [35, 41], "i-b": [12, 99.2], "i-c": [55, 60]}.items():
        for hour, value in zip((8, 9), values):
            data.append({"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": instance}],
                         "Timestamp": datetime(2026, 11, 20, hour, 10, tzinfo=timezone.utc), "Value": value})
    data.append({"MetricName": "CPUUtilization", "Dimensions": [{"Name": "AutoScalingGroupName", "Value": "web"}],
                 "Timestamp": datetime(2026, 11, 20, 9, 10, tzinfo=timezone.utc), "Value": 100})
    cloudwatch.put_metric_data(Namespace="AWS/EC2", MetricData=data)
    return cloudwatch


def _query(cloudwatch, expression, period=3600, **extra):
    return cloudwatch.get_metric_data(StartTime=START, EndTime=END, MetricDataQueries=[
        {"Id": "q", "Expression": expression, "Period": period}, *extra.get("more", [])])["MetricDataResults"]


def test_group_order_and_limit(cloudwatch):
    results = _query(cloudwatch, 'SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) '
                                 "GROUP BY InstanceId ORDER BY MAX() DESC LIMIT 2")
    assert [(r["Label"], max(r["Values"])) for r in results] == [("i-b", 99.2), ("i-c", 60.0)]
    assert results[0]["Values"] == [99.2, 12.0]  # newest first, one value per period


def test_from_a_namespace_takes_every_metric_and_where_filters(cloudwatch):
    (everything,) = _query(cloudwatch, 'SELECT MAX(CPUUtilization) FROM "AWS/EC2"', period=10800)
    assert everything["Values"] == [100.0]
    (some,) = _query(cloudwatch, "select sum(CPUUtilization) from SCHEMA(\"AWS/EC2\", InstanceId) "
                                 "where InstanceId = 'i-a' or InstanceId = 'i-c'", period=10800)
    assert some["Values"] == [191.0] and some["Label"] == "q"


def test_metric_stat_queries_still_go_to_moto(cloudwatch):
    stat = {"Id": "a", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
                                                 "Dimensions": [{"Name": "InstanceId", "Value": "i-a"}]},
                                      "Period": 10800, "Stat": "Maximum"}}
    results = _query(cloudwatch, 'SELECT COUNT(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)', 10800, more=[stat])
    assert [(r["Id"], r["Values"]) for r in results] == [("q", [6.0]), ("a", [41.0])]


@pytest.mark.parametrize("expression, says", [
    ('SELECT MEDIAN(CPUUtilization) FROM "AWS/EC2"', "expected AVG or COUNT"),
    ('SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP InstanceId', "expected BY"),
    ('SELECT MAX(CPUUtilization) FROM "AWS/EC2" LIMIT 0', "a number from 1 to 500"),
    ('SELECT MAX(CPUUtilization) FROM "AWS/EC2" WHERE InstanceId LIKE 3', "= or !="),
    ('SELECT MAX(CPUUtilization) FROM "AWS/EC2" WHERE InstanceId > 3', "unexpected ' > 3'"),
])
def test_a_query_that_does_not_parse_says_what_was_expected(cloudwatch, expression, says):
    with pytest.raises(ClientError) as refused:
        _query(cloudwatch, expression)
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert says in refused.value.response["Error"]["Message"]


def test_parse():
    query = parse('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId, AutoScalingGroupName) '
                  "WHERE AutoScalingGroupName = 'web' AND InstanceId != 'i-a' GROUP BY InstanceId ORDER BY MAX() ASC")
    assert query.schema == ("AutoScalingGroupName", "InstanceId")
    assert query.where == [[("AutoScalingGroupName", "=", "web"), ("InstanceId", "!=", "i-a")]]
    assert (query.group_by, query.order, query.order_function) == (("InstanceId",), "ASC", "MAX")
