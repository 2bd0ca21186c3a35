"""Console sign-in events: what CloudTrail records when a person signs in to the console.

A console sign-in is no API call, so moto never sees one. CloudTrail still records it, as an
event of ``signin.amazonaws.com`` of type ``AwsConsoleSignIn`` in us-east-1, with the outcome in
``responseElements.ConsoleLogin`` and whether MFA was used in ``additionalEventData.MFAUsed``
("Yes" or "No"): the field an analyst reads to find a login without MFA. :func:`record` adds one
to the account's event history and to the records of every trail logging at that moment,
at the simulation's clock (a scenario's ``call: signin.ConsoleLogin``).
"""

from __future__ import annotations

from typing import Any

from moto.iam.models import iam_backends
from moto.moto_api._internal import mock_random

from . import clock, cloudtrail

REGION = "us-east-1"  # sign-in events are recorded in us-east-1 whatever the console's Region
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def record(account_id: str, user_name: str, event: str, address: str | None, fields: dict[str, Any]) -> dict:
    """The sign-in event of `user_name` from `address`, added to the history and the trails; the record."""
    user = iam_backends[account_id]["aws"].get_user(user_name)
    mfa = str(fields.get("MFAUsed", "No"))
    record = {
        "eventVersion": cloudtrail.EVENT_VERSION,
        "userIdentity": {"type": "IAMUser", "principalId": user.id, "arn": user.arn, "accountId": account_id,
                         "userName": user_name},
        "eventTime": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "signin.amazonaws.com",
        "eventName": event,
        "awsRegion": REGION,
        "sourceIPAddress": address or "127.0.0.1",
        "userAgent": USER_AGENT,
        "requestParameters": None,
        "responseElements": {event: "Success"},
        "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No",
                                "MFAUsed": mfa},
        "eventID": str(mock_random.uuid4()),
        "readOnly": False,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
    }
    history = cloudtrail.history_for(account_id, REGION)
    cloudtrail._keep_for_trails(history, record, data_event=False)
    history.add(record)
    return record
