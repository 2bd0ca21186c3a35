"""The simulation's clock: what time the services record, fixed while a scenario runs.

moto stamps its records with the wall clock. A scenario (handbook.training.scenario) is replayed at
the times it declares, so that the CloudTrail records, the trail's log files and the S3
server access log lines it leaves are the same bytes on every run: :func:`frozen` sets the
time every extension of this package records (``now()``) until it is left, and
:func:`advance` moves it on during a replay. Outside a scenario ``now()`` is moto's own
``utcnow()``. moto's own timestamps (a user's CreateDate, an instance's LaunchTime) still
follow the wall clock: the handbook's examples do not show them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timezone

from moto.core.utils import utcnow

_FIXED: list[datetime] = []


def now() -> datetime:
    """The time to record, timezone-aware UTC."""
    if _FIXED:
        return _FIXED[-1]
    return utcnow().replace(tzinfo=timezone.utc)


def is_fixed() -> bool:
    return bool(_FIXED)


@contextlib.contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Record every event at `moment` (moved on by :func:`advance`) until the block is left."""
    _FIXED.append(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
    try:
        yield
    finally:
        _FIXED.pop()


def advance(moment: datetime) -> None:
    """Move the fixed clock to `moment` (inside :func:`frozen` only)."""
    if not _FIXED:
        raise RuntimeError("the simulation's clock is not fixed: advance() belongs inside frozen()")
    _FIXED[-1] = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
