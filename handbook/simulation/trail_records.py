"""CloudTrail records written in a few words, placed where CloudTrail keeps them.

An exercise's account often needs past activity to find: who deleted a trail, from which
address, what a log file of another Region holds. Making that activity by calling the
services would record the exercise's own administrator at today's time; an exercise names
its people, keys, addresses and times itself. So a record is declared briefly:

    {at: 2026-11-20T09:14:03Z, user: dev-ops, key: AKIAZEXERCISEEXAMPLE1, from: 203.0.113.45,
     event: DeleteTrail, source: cloudtrail.amazonaws.com, parameters: {name: org-audit},
     region: us-east-1, error: AccessDenied}

and :func:`record` writes the CloudTrail record in the log-file format (an ``IAMUser``
identity, or ``Root`` for ``user: root``; read-only by the verb of the event name, as
``handbook.simulation.cloudtrail`` decides it). Two places take records:

- :func:`into_history`: the event history of ``LookupEvents`` (through the history's own
  ``put_events``, so lookups by user, key, event name and resource find them);
- :func:`log_file`: one gzipped ``{"Records": [...]}`` file in a bucket, at the key CloudTrail
  uses, ``[prefix/]AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/...json.gz``, for
  any account: a bucket that aggregates several accounts' trails holds them side by side.

The event id of a record is derived from its content, so the same declaration leaves the same
files byte for byte (a solution whose command names a file's key keeps working).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID

from ._common import to_utc
from .cloudtrail import is_read_only, put_events

FIELDS = {"at", "user", "key", "from", "event", "source", "parameters", "region", "error", "account"}
REQUIRED = ("at", "user", "event", "source")


def record(brief: dict[str, Any], *, account_id: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1") -> dict[str, Any]:
    """The CloudTrail record (log-file format) of a brief declaration; ValueError names what is wrong."""
    unknown = set(brief) - FIELDS
    if unknown:
        raise ValueError(f"a trail record has no field {', '.join(sorted(unknown))}; its fields are "
                         f"{', '.join(sorted(FIELDS))}")
    missing = [name for name in REQUIRED if not brief.get(name)]
    if missing:
        raise ValueError(f"a trail record needs {', '.join(missing)}")
    account = str(brief.get("account") or account_id)
    user = str(brief["user"])
    identity: dict[str, Any]
    if user == "root":
        identity = {"type": "Root", "principalId": account, "arn": f"arn:aws:iam::{account}:root",
                    "accountId": account}
    else:
        identity = {"type": "IAMUser", "principalId": "AIDAZ" + _digest(user)[:16].upper(),
                    "arn": f"arn:aws:iam::{account}:user/{user}", "accountId": account, "userName": user}
    if brief.get("key"):
        identity["accessKeyId"] = str(brief["key"])
    moment = to_utc(brief["at"])
    out: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": _iso(moment),
        "eventSource": str(brief["source"]),
        "eventName": str(brief["event"]),
        "awsRegion": str(brief.get("region") or region),
        "sourceIPAddress": str(brief.get("from") or "AWS Internal"),
        "userAgent": "aws-cli/1.46.0",
    }
    if brief.get("error"):
        out["errorCode"] = str(brief["error"])
        out["errorMessage"] = f"User: {identity['arn']} is not authorized to perform this operation"
    out["requestParameters"] = brief.get("parameters")
    out["responseElements"] = None
    out["eventID"] = _uuid(json.dumps([account, out], sort_keys=True, default=str))
    out["readOnly"] = is_read_only(out["eventName"])
    out["eventType"] = "AwsApiCall"
    out["managementEvent"] = True
    out["recipientAccountId"] = account
    out["eventCategory"] = "Management"
    return out


def into_history(briefs: list[dict[str, Any]], *, account_id: str = DEFAULT_ACCOUNT_ID,
                 region: str = "us-east-1") -> int:
    """Add the records to the event history of ``LookupEvents``; how many were added."""
    records = [record(b, account_id=account_id, region=region) for b in briefs]
    for item in records:  # global events are looked up in us-east-1, the others in their Region
        put_events([item], account_id=account_id, region=item["awsRegion"])
    return len(records)


def log_file(bucket: str, briefs: list[dict[str, Any]], *, account_id: str = DEFAULT_ACCOUNT_ID,
             region: str = "us-east-1", prefix: str = "") -> str:
    """Write one log file of `account_id` and `region` into `bucket` (of the default account); its key."""
    from moto.s3.models import s3_backends

    if not briefs:
        raise ValueError("a log file needs at least one record")
    records = [record(b, account_id=account_id, region=region) for b in briefs]
    last = max(to_utc(r["eventTime"]) for r in records)
    unique = _digest(json.dumps(records, sort_keys=True, default=str))[:16].upper()
    folder = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    key = (f"{folder}AWSLogs/{account_id}/CloudTrail/{region}/{last:%Y/%m/%d}/"
           f"{account_id}_CloudTrail_{region}_{last:%Y%m%dT%H%MZ}_{unique}.json.gz")
    body = json.dumps({"Records": records}, separators=(",", ":")).encode("utf-8")
    s3_backends[DEFAULT_ACCOUNT_ID]["aws"].put_object(bucket, key, gzip.compress(body, mtime=0))
    return key


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _uuid(text: str) -> str:
    h = _digest(text)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"
