"""CloudWatch alarm history: ``DescribeAlarmHistory`` (missing from moto 5.2.5).

The history is a list on each ``CloudWatchBackend`` (wiped by moto's reset), fed by
wrappers around the backend's own alarm methods, so every way an alarm changes is seen:

- ``put_metric_alarm`` -> ``ConfigurationUpdate`` ('Alarm "x" created' / 'updated', with
  the alarm's configuration in ``HistoryData``);
- ``delete_alarms`` -> ``ConfigurationUpdate`` ('Alarm "x" deleted'): CloudWatch keeps
  the history of a deleted alarm;
- ``set_alarm_state`` -> ``StateUpdate`` ('Alarm updated from OK to ALARM') when the state
  changes, then one ``Action`` item per action of the new state if actions are enabled:
  "Successfully executed action <arn>", or "Failed to execute action <arn>" for an SNS topic
  that does not exist in the simulation.

``DescribeAlarmHistory`` filters by AlarmName, AlarmTypes (metric alarms only when omitted,
as documented), HistoryItemType, StartDate/EndDate (inclusive) and AlarmContributorId (no
contributor items are simulated), pages with MaxRecords (1-100, default 100) / NextToken,
and orders by ScanBy (TimestampDescending by default).
"""

from __future__ import annotations

import inspect
import json
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.models import Alarm, CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from . import _install
from ._common import paginate, parsed_params, to_utc, with_token

MAX_RECORDS = 100


class InvalidNextToken(ServiceException):
    code = "InvalidNextToken"
    message = "The next token specified is invalid."


class InvalidParameterValue(ServiceException):
    code = "InvalidParameterValue"


class HistoryItem:
    def __init__(self, item_id: int, alarm_name: str, alarm_type: str, item_type: str, summary: str, data: dict[str, Any]):
        self.item_id = item_id
        self.alarm_name = alarm_name
        self.alarm_type = alarm_type
        self.item_type = item_type
        self.summary = summary
        self.data = data
        self.timestamp = utcnow().replace(tzinfo=timezone.utc)

    def to_dict(self) -> dict[str, Any]:
        return {
            "AlarmName": self.alarm_name,
            "AlarmType": self.alarm_type,
            "Timestamp": self.timestamp,
            "HistoryItemType": self.item_type,
            "HistorySummary": self.summary,
            "HistoryData": json.dumps(self.data),
        }


def alarm_history(backend: CloudWatchBackend) -> list[HistoryItem]:
    return _install.backend_state(backend, "alarm_history", list)


def _add(backend: CloudWatchBackend, alarm: Alarm, item_type: str, summary: str, data: dict[str, Any]) -> None:
    history = alarm_history(backend)
    alarm_type = "CompositeAlarm" if alarm.rule is not None else "MetricAlarm"
    history.append(HistoryItem(len(history), alarm.name, alarm_type, item_type, summary, data))


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def alarm_configuration(alarm: Alarm) -> dict[str, Any]:
    """The alarm as CloudWatch writes it in a ConfigurationUpdate's HistoryData."""
    config: dict[str, Any] = {
        "alarmName": alarm.name,
        "alarmArn": alarm.alarm_arn,
        "alarmDescription": alarm.description,
        "actionsEnabled": alarm.actions_enabled,
        "alarmActions": list(alarm.alarm_actions or []),
        "okactions": list(alarm.ok_actions or []),
        "insufficientDataActions": list(alarm.insufficient_data_actions or []),
        "timestamp": _timestamp(alarm.configuration_updated_timestamp),
    }
    if alarm.rule is not None:
        config["alarmRule"] = alarm.rule
        return {k: v for k, v in config.items() if v is not None}
    config.update(
        {
            "namespace": alarm.namespace,
            "metricName": alarm.metric_name,
            "dimensions": [{"name": d.name, "value": d.value} for d in alarm.dimensions],
            "statistic": alarm.statistic,
            "extendedStatistic": alarm.extended_statistic,
            "period": alarm.period,
            "unit": alarm.unit,
            "evaluationPeriods": alarm.evaluation_periods,
            "datapointsToAlarm": alarm.datapoints_to_alarm,
            "threshold": float(alarm.threshold) if alarm.threshold is not None else None,
            "comparisonOperator": alarm.comparison_operator,
            "treatMissingData": alarm.treat_missing_data,
            "thresholdMetricId": alarm.threshold_metric_id,
        }
    )
    return {k: v for k, v in config.items() if v is not None}


def _topic_exists(arn: str) -> bool:
    from moto.sns.models import sns_backends

    parts = arn.split(":")
    try:
        return arn in sns_backends[parts[4]][parts[3]].topics
    except (IndexError, KeyError):
        return False


def _bound(original: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    bound = inspect.signature(original).bind(*args, **kwargs)
    return dict(bound.arguments)


# --------------------------------------------------------------------------- backend hooks


def _on_put_metric_alarm(original: Any) -> Any:
    def put_metric_alarm(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> Alarm:
        name = _bound(original, (self, *args), kwargs)["name"]
        before = self.alarms.get(name)
        before_config = alarm_configuration(before) if before else None
        alarm = original(self, *args, **kwargs)
        if before_config is None:
            _add(self, alarm, "ConfigurationUpdate", f'Alarm "{name}" created',
                 {"version": "1.0", "type": "Create", "createdAlarm": alarm_configuration(alarm)})
        else:
            _add(self, alarm, "ConfigurationUpdate", f'Alarm "{name}" updated',
                 {"version": "1.0", "type": "Update", "originalAlarm": before_config,
                  "updatedAlarm": alarm_configuration(alarm)})
        return alarm

    return put_metric_alarm


def _on_delete_alarms(original: Any) -> Any:
    def delete_alarms(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> None:
        names = _bound(original, (self, *args), kwargs)["alarm_names"]
        doomed = [self.alarms[n] for n in names if n in self.alarms]
        result = original(self, *args, **kwargs)
        for alarm in doomed:
            if alarm.name not in self.alarms:
                _add(self, alarm, "ConfigurationUpdate", f'Alarm "{alarm.name}" deleted',
                     {"version": "1.0", "type": "Delete", "deletedAlarm": alarm_configuration(alarm)})
        return result

    return delete_alarms


def _on_set_alarm_state(original: Any) -> Any:
    def set_alarm_state(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> None:
        name = _bound(original, (self, *args), kwargs)["alarm_name"]
        alarm = self.alarms.get(name)
        old = (alarm.state_value, alarm.state_reason) if alarm else None
        result = original(self, *args, **kwargs)  # validates; raises for unknown alarms
        alarm = self.alarms[name]
        if old is not None and old[0] != alarm.state_value:
            new_state: dict[str, Any] = {"stateValue": alarm.state_value, "stateReason": alarm.state_reason}
            if alarm.state_reason_data:
                try:
                    new_state["stateReasonData"] = json.loads(alarm.state_reason_data)
                except ValueError:
                    pass
            _add(self, alarm, "StateUpdate", f"Alarm updated from {old[0]} to {alarm.state_value}",
                 {"version": "1.0", "oldState": {"stateValue": old[0], "stateReason": old[1]},
                  "newState": new_state})
            _record_actions(self, alarm)
        return result

    return set_alarm_state


def _record_actions(backend: CloudWatchBackend, alarm: Alarm) -> None:
    if not alarm.actions_enabled:
        return
    actions = {
        "ALARM": alarm.alarm_actions,
        "OK": alarm.ok_actions,
        "INSUFFICIENT_DATA": alarm.insufficient_data_actions,
    }[alarm.state_value] or []
    for arn in actions:
        ok = arn.split(":")[2:3] != ["sns"] or _topic_exists(arn)
        summary = f"{'Successfully executed' if ok else 'Failed to execute'} action {arn}"
        data: dict[str, Any] = {
            "actionState": "Succeeded" if ok else "Failed",
            "notificationResource": arn,
            "stateUpdateTimestamp": int(alarm.state_updated_timestamp.replace(tzinfo=timezone.utc).timestamp() * 1000),
        }
        if not ok:
            data["error"] = "Resource not found"
        _add(backend, alarm, "Action", summary, data)


# --------------------------------------------------------------------------- response


def describe_alarm_history(self: CloudWatchResponse) -> ActionResult:
    params = parsed_params(self, "DescribeAlarmHistory")
    name = params.get("AlarmName")
    types = params.get("AlarmTypes") or ["MetricAlarm"]
    item_type = params.get("HistoryItemType")
    start = to_utc(params["StartDate"]) if params.get("StartDate") is not None else None
    end = to_utc(params["EndDate"]) if params.get("EndDate") is not None else None
    max_records = params.get("MaxRecords")
    scan_by = params.get("ScanBy") or "TimestampDescending"
    if max_records is not None and not 1 <= int(max_records) <= MAX_RECORDS:
        raise InvalidParameterValue(f"The value {max_records} for parameter MaxRecords is not valid.")
    if scan_by not in ("TimestampDescending", "TimestampAscending"):
        raise InvalidParameterValue(f"The value {scan_by} for parameter ScanBy is not valid.")
    items = [
        item
        for item in alarm_history(self.cloudwatch_backend)
        if (name is None or item.alarm_name == name)
        and item.alarm_type in types
        and (item_type is None or item.item_type == item_type)
        and (start is None or item.timestamp >= start)
        and (end is None or item.timestamp <= end)
        and params.get("AlarmContributorId") is None
    ]
    items.sort(key=lambda i: (i.timestamp, i.item_id), reverse=scan_by == "TimestampDescending")
    page, token = paginate(
        items,
        max_results=max_records,
        default=MAX_RECORDS,
        next_token=params.get("NextToken") or None,
        unique_attribute="item_id",
        params=(name, tuple(types), item_type, start, end, scan_by),
        error=InvalidNextToken,
    )
    return ActionResult(with_token({"AlarmHistoryItems": [i.to_dict() for i in page]}, token))


def register() -> None:
    _install.add_operation("cloudwatch", CloudWatchResponse, "DescribeAlarmHistory", describe_alarm_history)
    _install.wrap_method("cloudwatch", CloudWatchBackend, "put_metric_alarm", _on_put_metric_alarm)
    _install.wrap_method("cloudwatch", CloudWatchBackend, "delete_alarms", _on_delete_alarms)
    _install.wrap_method("cloudwatch", CloudWatchBackend, "set_alarm_state", _on_set_alarm_state)
