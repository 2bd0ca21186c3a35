"""STS across accounts: an AssumeRole recorded in the role's account too, as CloudTrail does.

moto records each call in the caller's account only (the account its signing key belongs
to). When a principal of one account assumes a role of another, AWS's CloudTrail records the
AssumeRole in both: in the caller's, as any call, and in the role's, with the caller shown as
``{"type": "AWSAccount", "principalId": ..., "accountId": <the caller's account>}`` and the
same ``sharedEventID`` in both records. That second record is how the role's owner sees who
came in from outside (lateral movement across accounts). :func:`register` adds
:func:`in_the_roles_account_too` to the listeners of ``handbook.simulation.cloudtrail``.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.moto_api._internal import mock_random

from . import cloudtrail


def in_the_roles_account_too(event: Any) -> None:
    """Add the role's account's record of a cross-account AssumeRole (a cloudtrail.RECORDED listener)."""
    if event.event_name != "AssumeRole":
        return
    record = event.record
    arn = str((record.get("requestParameters") or {}).get("roleArn") or "")
    owner = arn.split(":")[4] if arn.count(":") >= 5 else ""
    caller = record.get("recipientAccountId")
    if not owner or owner == caller or record.get("errorCode"):
        return
    shared = str(mock_random.uuid4())
    record["sharedEventID"] = shared
    copied = copy.deepcopy(record)
    identity = record.get("userIdentity") or {}
    copied.update({
        "userIdentity": {"type": "AWSAccount", "principalId": identity.get("principalId", ""), "accountId": caller},
        "eventID": str(mock_random.uuid4()),
        "recipientAccountId": owner,
        "sharedEventID": shared,
    })
    history = cloudtrail.history_for(owner, record.get("awsRegion") or "us-east-1")
    cloudtrail._keep_for_trails(history, copied, data_event=False)
    history.add(copied)


def register() -> None:
    if in_the_roles_account_too not in cloudtrail.RECORDED:
        cloudtrail.RECORDED.append(in_the_roles_account_too)
