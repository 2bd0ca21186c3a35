"""CloudWatch Logs: placing log events that moto's API would refuse as too old.

moto's ``PutLogEvents`` (like the service) rejects events older than 14 days, so the
handbook's examples with 2016 time windows (``filter-log-events --start-time
1482197400000``) would find nothing. :func:`put_old_events` places events through moto's
own model (``LogGroup.put_log_events``, past the API's age check) so ``GetLogEvents``,
``FilterLogEvents`` and ``DescribeLogStreams`` see them like any other event.

Nothing is patched: this is a setup helper for the example runner and tests, used inside
``mock_aws()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.logs.models import LogsBackend, logs_backends

from ._common import to_utc


def register() -> None:
    """Nothing to install (kept so every module has the same entry point)."""


def _millis(value: Any) -> int:
    """Epoch milliseconds from an int (already milliseconds), a datetime or ISO 8601 text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (datetime, str)):
        return int(to_utc(value).timestamp() * 1000)
    raise TypeError(f"unsupported timestamp {value!r}: use epoch milliseconds, a datetime or ISO 8601")


def put_old_events(
    log_group: str,
    log_stream: str,
    events: Iterable[dict[str, Any]],
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = "us-east-1",
    create: bool = True,
) -> int:
    """Place log events of any age in a log stream; returns how many were placed.

    ``events`` are dicts with ``timestamp`` (epoch milliseconds, a datetime or ISO 8601
    text) and ``message``. They are stored in chronological order, as PutLogEvents
    requires. The log group and stream are created when missing (``create=True``);
    otherwise moto's ``ResourceNotFoundException`` is raised.
    """
    backend: LogsBackend = logs_backends[account_id][region]
    normalised = sorted(
        ({"timestamp": _millis(e["timestamp"]), "message": str(e["message"])} for e in events),
        key=lambda e: e["timestamp"],
    )
    if log_group not in backend.groups:
        if not create:
            from moto.logs.exceptions import ResourceNotFoundException

            raise ResourceNotFoundException()
        backend.create_log_group(log_group, tags={})
    group = backend.groups[log_group]
    if log_stream not in group.streams:
        if not create:
            from moto.logs.exceptions import ResourceNotFoundException

            raise ResourceNotFoundException()
        group.create_log_stream(log_stream)
    if normalised:
        group.put_log_events(log_stream, normalised)
    return len(normalised)
