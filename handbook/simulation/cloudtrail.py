"""CloudTrail event history: ``LookupEvents``, fed by the calls made through the simulation.

moto 5.2.5 has trails but no event history. This module adds, on moto's own structure:

- an :class:`EventHistory` on each ``CloudTrailBackend`` (one per account and Region, wiped
  by moto's reset like the rest of the backend), seeded once from
  ``data/cloudtrail_events.yaml`` for the default account;
- a recorder wrapped around ``BaseResponse.call_action`` (the method every moto service
  dispatches through) that adds a management event for every write call of any service,
  successful or failed (with ``errorCode``/``errorMessage``), as CloudTrail does. Read-only
  calls (``Describe*``, ``Get*``, ``List*``, ``Lookup*`` ...) are recorded, with
  ``readOnly: true``, once a history's ``record_read_only`` is on (a scenario turns it on; it
  is off by default so that the examples' own setup calls do not crowd their output). Data
  events (S3 object calls, ``PutItem``, ``Invoke``, ``PutLogEvents`` ...) never enter the
  history; S3's object calls reach the trail's log files (below);
- S3, which moto answers outside ``call_action``: ``record_s3_call`` (called by
  ``handbook.simulation.s3``) records its bucket calls as management events and its object
  calls as data events;
- the caller's address: the ``X-Forwarded-For`` header of the request when it has one (a
  scenario's actor calls from a documentation range), else 127.0.0.1; the time: the
  simulation's clock (``handbook.simulation.clock``, fixed while a scenario runs);
- trail log files: every event is kept for each trail that is logging when it happens (and
  the StopLogging call that stops it) (data
  events only for a trail whose event selectors ask for S3 data events); :func:`deliver`
  writes them to the trail's bucket as CloudTrail does, gzipped ``{"Records": [...]}`` under
  ``AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/``;
- ``CloudTrailResponse.lookup_events`` following the API reference: one lookup attribute
  out of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource,
  AccessKeyId; StartTime/EndTime (inclusive); EventCategory; MaxResults 1-50 (default 50);
  NextToken valid only with the parameters it was issued for; newest event first; and
  the API's errors for invalid input.

Not simulated: the 90-day retention (seeded events are old on purpose), Insights events
(``EventCategory=insight`` answers an empty list) and the two-lookups-a-second throttle.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from botocore import parsers as botocore_parsers
from moto.cloudtrail.models import CloudTrailBackend, cloudtrail_backends
from moto.cloudtrail.responses import CloudTrailResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.core.utils import get_service_model, utcnow
from moto.moto_api._internal import mock_random
from moto.utilities.utils import get_partition

from . import _install, clock
from ._common import paginate, parsed_params, to_utc, with_token

log = logging.getLogger(__name__)

SEED_FILE = Path(__file__).with_name("data") / "cloudtrail_events.yaml"

LOOKUP_KEYS = (
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
)
MAX_RESULTS = 50
EVENT_VERSION = "1.09"

# Services whose API calls CloudTrail records in us-east-1 whatever the endpoint.
GLOBAL_SERVICES = {"iam", "organizations", "cloudfront", "route53", "waf", "support"}

# Read-only calls by their verb: CloudTrail marks these readOnly=true.
READ_ONLY_PREFIXES = (
    "BatchGet",
    "Check",
    "Describe",
    "Detect",
    "Estimate",
    "Filter",
    "Get",
    "Head",
    "List",
    "Lookup",
    "Preview",
    "Query",
    "Scan",
    "Search",
    "Select",
    "Simulate",
    "Test",
    "Validate",
    "Verify",
)

# Data events (not management events): not in the event history.
DATA_EVENTS = {
    "s3": {
        "PutObject", "CopyObject", "DeleteObject", "DeleteObjects", "RestoreObject",
        "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
        "AbortMultipartUpload", "PutObjectAcl", "PutObjectTagging", "DeleteObjectTagging",
        "PutObjectRetention", "PutObjectLegalHold",
    },
    "dynamodb": {
        "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
        "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
    },
    "lambda": {"Invoke", "InvokeAsync", "InvokeWithResponseStream"},
    "logs": {"PutLogEvents"},
    "sns": {"Publish", "PublishBatch"},
    "sqs": {
        "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage",
        "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
    },
    "kinesis": {"PutRecord", "PutRecords"},
    "firehose": {"PutRecord", "PutRecordBatch"},
    "events": {"PutEvents"},
    "cloudwatch": {"PutMetricData"},
}

# Request/response parameters (lowerCamel, as in CloudTrail records) naming a resource.
# (event source or "*", key) -> resource type reported by LookupEvents.
RESOURCE_KEYS: dict[tuple[str, str], str] = {
    ("*", "instanceId"): "AWS::EC2::Instance",
    ("*", "instanceIds"): "AWS::EC2::Instance",
    ("ec2.amazonaws.com", "imageId"): "AWS::EC2::Ami",
    ("ec2.amazonaws.com", "keyName"): "AWS::EC2::KeyPair",
    ("ec2.amazonaws.com", "groupId"): "AWS::EC2::SecurityGroup",
    ("ec2.amazonaws.com", "groupIds"): "AWS::EC2::SecurityGroup",
    ("ec2.amazonaws.com", "subnetId"): "AWS::EC2::Subnet",
    ("ec2.amazonaws.com", "vpcId"): "AWS::EC2::VPC",
    ("ec2.amazonaws.com", "volumeId"): "AWS::EC2::Volume",
    ("ec2.amazonaws.com", "snapshotId"): "AWS::EC2::Snapshot",
    ("ec2.amazonaws.com", "networkInterfaceId"): "AWS::EC2::NetworkInterface",
    ("ec2.amazonaws.com", "flowLogIds"): "AWS::EC2::FlowLog",
    ("*", "bucketName"): "AWS::S3::Bucket",
    ("s3.amazonaws.com", "bucket"): "AWS::S3::Bucket",
    ("iam.amazonaws.com", "userName"): "AWS::IAM::User",
    ("iam.amazonaws.com", "roleName"): "AWS::IAM::Role",
    ("iam.amazonaws.com", "groupName"): "AWS::IAM::Group",
    ("iam.amazonaws.com", "policyArn"): "AWS::IAM::Policy",
    ("iam.amazonaws.com", "accessKeyId"): "AWS::IAM::AccessKey",
    ("sts.amazonaws.com", "roleArn"): "AWS::IAM::Role",
    ("cloudtrail.amazonaws.com", "name"): "AWS::CloudTrail::Trail",
    ("cloudtrail.amazonaws.com", "trailName"): "AWS::CloudTrail::Trail",
    ("cloudtrail.amazonaws.com", "trailARN"): "AWS::CloudTrail::Trail",
    ("monitoring.amazonaws.com", "alarmName"): "AWS::CloudWatch::Alarm",
    ("monitoring.amazonaws.com", "alarmNames"): "AWS::CloudWatch::Alarm",
    ("config.amazonaws.com", "configRuleName"): "AWS::Config::ConfigRule",
    ("config.amazonaws.com", "configRuleNames"): "AWS::Config::ConfigRule",
    ("events.amazonaws.com", "name"): "AWS::Events::Rule",
    ("events.amazonaws.com", "rule"): "AWS::Events::Rule",
    ("guardduty.amazonaws.com", "detectorId"): "AWS::GuardDuty::Detector",
    ("securityhub.amazonaws.com", "actionTargetArn"): "AWS::SecurityHub::ActionTarget",
    ("logs.amazonaws.com", "logGroupName"): "AWS::Logs::LogGroup",
    ("lambda.amazonaws.com", "functionName"): "AWS::Lambda::Function",
    ("sns.amazonaws.com", "topicArn"): "AWS::SNS::Topic",
    ("sqs.amazonaws.com", "queueUrl"): "AWS::SQS::Queue",
    ("dynamodb.amazonaws.com", "tableName"): "AWS::DynamoDB::Table",
    ("kms.amazonaws.com", "keyId"): "AWS::KMS::Key",
}

HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"

# The order of the fields of a CloudTrail record (others follow, as given).
RECORD_ORDER = (
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
    "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
    "responseElements", "additionalEventData", "requestID", "eventID", "readOnly", "resources",
    "eventType", "apiVersion", "managementEvent", "recipientAccountId", "sharedEventID",
    "vpcEndpointId", "eventCategory", "tlsDetails",
)


# --------------------------------------------------------------------------- errors


class CloudTrailLookupError(ServiceException):
    pass


class InvalidLookupAttributesException(CloudTrailLookupError):
    code = "InvalidLookupAttributesException"


class InvalidTimeRangeException(CloudTrailLookupError):
    code = "InvalidTimeRangeException"


class InvalidMaxResultsException(CloudTrailLookupError):
    code = "InvalidMaxResultsException"


class InvalidNextTokenException(CloudTrailLookupError):
    code = "InvalidNextTokenException"
    message = "Invalid NextToken"


class InvalidEventCategoryException(CloudTrailLookupError):
    code = "InvalidEventCategoryException"


# --------------------------------------------------------------------------- models


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def username_of(identity: dict[str, Any]) -> str | None:
    """The user name LookupEvents reports for a record's ``userIdentity``."""
    kind = identity.get("type")
    if kind == "Root":
        return identity.get("userName") or "root"
    if identity.get("userName"):
        return identity["userName"]
    if kind in ("AssumedRole", "FederatedUser") and identity.get("arn"):
        return identity["arn"].rsplit("/", 1)[-1]
    if kind == "AWSService":
        return identity.get("invokedBy")
    return None


def derive_resources(record: dict[str, Any]) -> list[dict[str, str]]:
    """Resources named by a record's parameters, as LookupEvents lists them."""
    source = record.get("eventSource", "")
    found: list[dict[str, str]] = []

    def add(rtype: str, value: Any) -> None:
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str) and name:
                item = {"ResourceType": rtype, "ResourceName": name}
                if item not in found:
                    found.append(item)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                rtype = RESOURCE_KEYS.get((source, key)) or RESOURCE_KEYS.get(("*", key))
                if rtype and not isinstance(value, dict):
                    add(rtype, value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(record.get("requestParameters"))
    walk(record.get("responseElements"))
    for res in record.get("resources") or []:  # the record's own list (ARN, type)
        if res.get("type") and res.get("ARN"):
            add(res["type"], res["ARN"])
    # A resource named both by name and by ARN (CreateTrail: Name, TrailARN): keep the ARN.
    arns = [r for r in found if r["ResourceName"].startswith("arn:")]
    return [
        r
        for r in found
        if r["ResourceName"].startswith("arn:")
        or not any(
            a["ResourceType"] == r["ResourceType"]
            and re.search(rf"[/:]{re.escape(r['ResourceName'])}$", a["ResourceName"])
            for a in arns
        )
    ]


class TrailEvent:
    """One event of the history: a CloudTrail record and what LookupEvents shows of it."""

    def __init__(self, record: dict[str, Any], resources: list[dict[str, str]] | None = None):
        rank = {name: i for i, name in enumerate(RECORD_ORDER)}
        self.record = dict(sorted(record.items(), key=lambda kv: rank.get(kv[0], len(rank))))
        self.event_id: str = record["eventID"]
        self.event_name: str = record["eventName"]
        self.event_source: str = record["eventSource"]
        self.event_time = to_utc(record["eventTime"])
        self.read_only: bool = str(record.get("readOnly", False)).lower() == "true"
        identity = record.get("userIdentity") or {}
        self.access_key_id: str | None = identity.get("accessKeyId") or None
        self.username = username_of(identity)
        self.resources = resources if resources is not None else derive_resources(record)
        self.insight = record.get("eventType") == "AwsCloudTrailInsight"

    def value_of(self, key: str) -> list[str]:
        """The values a lookup attribute is compared with."""
        if key == "EventId":
            return [self.event_id]
        if key == "EventName":
            return [self.event_name]
        if key == "EventSource":
            return [self.event_source]
        if key == "ReadOnly":
            return ["true" if self.read_only else "false"]
        if key == "Username":
            return [self.username] if self.username else []
        if key == "AccessKeyId":
            return [self.access_key_id] if self.access_key_id else []
        if key == "ResourceType":
            return [r["ResourceType"] for r in self.resources]
        if key == "ResourceName":
            return [r["ResourceName"] for r in self.resources]
        raise KeyError(key)

    def to_lookup_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "EventId": self.event_id,
            "EventName": self.event_name,
            "ReadOnly": "true" if self.read_only else "false",
            "EventTime": self.event_time,
            "EventSource": self.event_source,
            "Resources": self.resources,
            "CloudTrailEvent": json.dumps(self.record, separators=(",", ":")),
        }
        if self.access_key_id:
            out["AccessKeyId"] = self.access_key_id
        if self.username:
            out["Username"] = self.username
        return out


class EventHistory:
    """The event history of one account in one Region (newest first)."""

    def __init__(self, account_id: str, region: str):
        self.account_id = account_id
        self.region = region
        self._events: list[TrailEvent] = []
        self.record_read_only = False  # a scenario turns it on: see the module's docstring
        self.undelivered: list[tuple[Any, dict[str, Any]]] = []  # (trail, record) for deliver()

    def __len__(self) -> int:
        return len(self._events)

    def add(self, record: dict[str, Any], resources: list[dict[str, str]] | None = None) -> TrailEvent:
        event = TrailEvent(record, resources)
        self._events.append(event)
        return event

    def events(self) -> list[TrailEvent]:
        # Stable: events with the same time keep newest-added first.
        ordered = list(reversed(self._events))
        return sorted(ordered, key=lambda e: e.event_time, reverse=True)

    def lookup(
        self,
        attribute: tuple[str, str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        insight: bool = False,
    ) -> list[TrailEvent]:
        found = []
        for event in self.events():
            if event.insight != insight:
                continue
            if start is not None and event.event_time < start:
                continue
            if end is not None and event.event_time > end:
                continue
            if attribute is not None:
                key, value = attribute
                if key == "ReadOnly":
                    value = value.lower()
                if value not in event.value_of(key):
                    continue
            found.append(event)
        return found


@lru_cache(maxsize=None)
def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _seed(history: EventHistory) -> None:
    seed = load_seed()
    if str(seed.get("account", DEFAULT_ACCOUNT_ID)) != history.account_id:
        return
    for item in seed["events"]:
        record = copy.deepcopy(item["record"])
        if record.get("awsRegion", history.region) != history.region:
            continue  # a seeded record pinned to another Region
        record.setdefault("awsRegion", history.region)
        record.setdefault("recipientAccountId", history.account_id)
        history.add(record, item.get("resources"))


def event_history(backend: CloudTrailBackend) -> EventHistory:
    """The event history kept on a CloudTrail backend (created and seeded on first use)."""

    def create() -> EventHistory:
        history = EventHistory(backend.account_id, backend.region_name)
        _seed(history)
        return history

    return _install.backend_state(backend, "event_history", create)


def history_for(account_id: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1") -> EventHistory:
    return event_history(cloudtrail_backends[account_id][region])


def put_events(
    records: Iterable[dict[str, Any]],
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = "us-east-1",
) -> list[TrailEvent]:
    """Add CloudTrail records (dicts in the log-file format) to an event history.

    Each record needs ``eventSource``, ``eventName`` and ``userIdentity``; ``eventTime``
    (ISO 8601 or a datetime; now if absent), ``eventID``, ``awsRegion`` and
    ``recipientAccountId`` are filled in when missing.
    """
    history = history_for(account_id, region)
    added = []
    for record in records:
        record = copy.deepcopy(record)
        record["eventTime"] = _iso(to_utc(record.get("eventTime") or utcnow()))
        record.setdefault("eventID", str(mock_random.uuid4()))
        record.setdefault("awsRegion", region)
        record.setdefault("recipientAccountId", account_id)
        added.append(history.add(record))
    return added


# --------------------------------------------------------------------------- recording


def is_read_only(operation: str) -> bool:
    return operation.startswith(READ_ONLY_PREFIXES)


def _lower_camel(name: str) -> str:
    if not name:
        return name
    match = re.match(r"^[A-Z]+(?=[A-Z][a-z]|\d|$)", name)
    if match and len(match.group(0)) > 1:  # "VPCId" -> "vpcId", "ARN" -> "arn"
        head = match.group(0)
        return head.lower() + name[len(head):]
    return name[0].lower() + name[1:]


def _as_record_value(shape: Any, value: Any) -> Any:
    """A parsed parameter as CloudTrail writes it: lowerCamel members, secrets hidden."""
    if shape is not None and shape.serialization.get("location") in ("header", "headers"):
        return None
    if shape is not None and getattr(shape, "metadata", {}).get("sensitive"):
        return HIDDEN
    if isinstance(value, datetime):
        return _iso(to_utc(value))
    if isinstance(value, (bytes, bytearray)):
        return None
    type_name = getattr(shape, "type_name", None)
    if isinstance(value, dict):
        if type_name == "structure":
            out = {}
            for key, item in value.items():
                member = shape.members.get(key)
                if member is None:
                    continue
                converted = _as_record_value(member, item)
                if converted is not None:
                    out[_lower_camel(key)] = converted
            return out
        value_shape = getattr(shape, "value", None)
        return {k: _as_record_value(value_shape, v) for k, v in value.items()}
    if isinstance(value, list):
        member = getattr(shape, "member", None)
        return [_as_record_value(member, v) for v in value]
    return value


def _request_parameters(response: BaseResponse, operation_model: Any) -> Any:
    try:
        params = parsed_params(response, operation_model.name)
    except Exception:  # a request moto answered but we cannot parse: keep the event
        log.debug("cannot parse request parameters", exc_info=True)
        return None
    return _as_record_value(operation_model.input_shape, params) or None


def _response_elements(
    response: BaseResponse, operation_model: Any, service_model: Any, status: int, headers: Any, body: Any
) -> Any:
    if status >= 300 or operation_model.output_shape is None or not body:
        return None
    try:
        protocol = response.determine_response_protocol(service_model)
        protocol = {"query-json": "json"}.get(protocol, protocol)
        if protocol not in ("json", "rest-json", "query", "ec2", "rest-xml"):
            return None
        parser = botocore_parsers.create_parser(protocol)
        raw = body.encode("utf-8") if isinstance(body, str) else body
        parsed = parser.parse(
            {"status_code": status, "headers": dict(headers or {}), "body": raw},
            operation_model.output_shape,
        )
        parsed.pop("ResponseMetadata", None)
        return _as_record_value(operation_model.output_shape, parsed) or None
    except Exception:
        log.debug("cannot parse response elements", exc_info=True)
        return None


def _error_of(body: Any, headers: Any) -> tuple[str | None, str | None]:
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body or "")
    code = message = None
    try:
        data = json.loads(text)
        code = data.get("__type") or data.get("code") or data.get("Code")
        message = data.get("message") or data.get("Message")
    except (ValueError, AttributeError):
        found = re.search(r"<Code>(.*?)</Code>", text, re.S)
        code = found.group(1) if found else None
        found = re.search(r"<Message>(.*?)</Message>", text, re.S)
        message = found.group(1) if found else None
    header = {k.lower(): v for k, v in dict(headers or {}).items()}.get("x-amzn-errortype")
    code = code or header
    if code and "#" in code:
        code = code.rsplit("#", 1)[-1]
    if code and ":" in code:
        code = code.split(":", 1)[0]
    return code, message


def user_identity(account_id: str, access_key: str, region: str) -> dict[str, Any]:
    """The ``userIdentity`` of a caller, as moto's STS would report it."""
    from moto.sts.models import sts_backends

    partition = get_partition(region)
    user_id, arn, identity_account = sts_backends[account_id][partition].get_caller_identity(
        access_key, region
    )
    identity: dict[str, Any] = {
        "principalId": user_id,
        "arn": arn,
        "accountId": identity_account,
        "accessKeyId": access_key,
    }
    if ":assumed-role/" in arn:
        role_name, session = arn.split(":assumed-role/", 1)[1].split("/", 1)
        identity["type"] = "AssumedRole"
        identity["sessionContext"] = {
            "sessionIssuer": {
                "type": "Role",
                "principalId": user_id.split(":", 1)[0],
                "arn": f"arn:{partition}:iam::{identity_account}:role/{role_name}",
                "accountId": identity_account,
                "userName": role_name,
            },
            "attributes": {"mfaAuthenticated": "false"},
        }
        identity["principalId"] = user_id if ":" in user_id else f"{user_id}:{session}"
    elif arn.endswith(":root"):
        identity["type"] = "Root"
    else:
        identity["type"] = "IAMUser"
        identity["userName"] = arn.rsplit("/", 1)[-1]
    return dict(sorted(identity.items(), key=lambda kv: kv[0] != "type"))


def _access_key_of(response: BaseResponse) -> str:
    """The access key id the request was signed with (moto's own guess needs 20 chars)."""
    found = re.search(r"Credential=([^/,\s]+)/", response.headers.get("Authorization", ""))
    return found.group(1) if found else response.access_key


def record_call(response: BaseResponse, result: Any) -> TrailEvent | None:
    """Add the management event of an API call moto has just answered, if it is one."""
    service = getattr(response, "service_name", None)
    if not service or not isinstance(result, tuple) or len(result) != 3:
        return None
    operation = response._get_action()
    if not operation or operation in DATA_EVENTS.get(service, ()):
        return None
    region = "us-east-1" if service in GLOBAL_SERVICES else response.region
    if is_read_only(operation) and not history_for(response.current_account, region).record_read_only:
        return None
    service_model = get_service_model(response.boto3_service_name)
    try:
        operation_model = service_model.operation_model(operation)
    except Exception:
        return None
    status, headers, body = result
    status = int(status)
    account_id = response.current_account
    access_key = _access_key_of(response)
    source = f"{service_model.endpoint_prefix}.amazonaws.com"
    now = clock.now()
    request_headers = response.headers
    record: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": user_identity(account_id, access_key, region),
        "eventTime": _iso(now),
        "eventSource": source,
        "eventName": operation_model.name,
        "awsRegion": region,
        "sourceIPAddress": source_address(request_headers, response.normalized_request),
        "userAgent": request_headers.get("User-Agent", ""),
    }
    if status >= 400:
        code, message = _error_of(body, headers)
        record["errorCode"] = code or str(status)
        if message:
            record["errorMessage"] = message
    record["requestParameters"] = _request_parameters(response, operation_model)
    record["responseElements"] = _response_elements(
        response, operation_model, service_model, status, headers, body
    )
    header_map = {k.lower(): v for k, v in dict(headers or {}).items()}
    record.update(
        {
            "requestID": header_map.get("x-amzn-requestid")
            or header_map.get("x-amz-request-id")
            or str(mock_random.uuid4()),
            "eventID": str(mock_random.uuid4()),
            "readOnly": is_read_only(operation),
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": account_id,
            "eventCategory": "Management",
        }
    )
    history = history_for(account_id, region)
    _keep_for_trails(history, record, data_event=False)
    event = history.add(record)
    for listener in RECORDED:
        listener(event)
    return event


# Called with each management event of an API call once recorded (handbook.simulation.sts: the
# copy of a cross-account AssumeRole in the role's account).
RECORDED: list = []


def source_address(headers: Any, request: Any = None) -> str:
    """The caller's address: X-Forwarded-For when the request carries it, else the socket's or 127.0.0.1."""
    forwarded = {k.lower(): v for k, v in dict(headers or {}).items()}.get("x-forwarded-for")
    if forwarded:
        return str(forwarded).split(",")[0].strip()
    return getattr(request, "remote_addr", None) or "127.0.0.1"


# S3 operations as moto's S3Response names them (its IAM action) where the API name differs.
S3_OPERATIONS = {
    "ListBucket": "ListObjects",
    "ListAllMyBuckets": "ListBuckets",
    "GetBucketPublicAccessBlock": "GetPublicAccessBlock",
    "PutBucketPublicAccessBlock": "PutPublicAccessBlock",
    "DeleteBucketPublicAccessBlock": "DeletePublicAccessBlock",
    "ListBucketVersions": "ListObjectVersions",
    "GetBucketObjectLockConfiguration": "GetObjectLockConfiguration",
}


def record_s3_call(
    account_id: str, region: str, action: str | None, headers: Any, bucket: str | None,
    key: str | None, status: int, body: Any, user_agent: str = "", caller: str | None = None,
) -> TrailEvent | None:
    """Record an S3 call moto has just answered: a management event, or a data event for the trails."""
    if not action:
        return None
    operation = S3_OPERATIONS.get(action, action)
    data_event = operation in DATA_EVENTS["s3"] or operation in ("GetObject", "HeadObject", "GetObjectAcl")
    if is_read_only(operation) and not data_event and not history_for(account_id, region).record_read_only:
        return None
    access_key = re.search(r"Credential=([^/,\s]+)/", {k.lower(): v for k, v in dict(headers or {}).items()}
                           .get("authorization", ""))
    parameters: dict[str, Any] = {}
    if bucket:
        parameters["bucketName"] = bucket
        parameters["Host"] = f"{bucket}.s3.amazonaws.com"
    if key:
        parameters["key"] = key
    identity = (user_identity(caller or account_id, access_key.group(1), region) if access_key
                else {"type": "AWSAccount", "principalId": "", "accountId": "anonymous"})  # an unsigned request
    if access_key and caller not in (None, account_id):  # another account's principal, as the owner sees it
        identity = {"type": "AWSAccount", "principalId": identity["principalId"], "accountId": caller}
    record: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": identity,
        "eventTime": _iso(clock.now()),
        "eventSource": "s3.amazonaws.com",
        "eventName": operation,
        "awsRegion": region,
        "sourceIPAddress": source_address(headers),
        "userAgent": user_agent,
    }
    if status >= 400:
        code, message = _error_of(body, {})
        record["errorCode"] = code or str(status)
        if message:
            record["errorMessage"] = message
    record.update({
        "requestParameters": parameters,
        "responseElements": None,
        "requestID": str(mock_random.uuid4()).replace("-", "")[:16].upper(),
        "eventID": str(mock_random.uuid4()),
        "readOnly": is_read_only(operation),
        "resources": ([{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"}] if key else [])
        + ([{"accountId": account_id, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}] if bucket else []),
        "eventType": "AwsApiCall",
        "managementEvent": not data_event,
        "recipientAccountId": account_id,
        "eventCategory": "Data" if data_event else "Management",
    })
    history = history_for(account_id, region)
    _keep_for_trails(history, record, data_event=data_event)
    return None if data_event else history.add(record)


def _logs_s3_data_events(trail: Any) -> bool:
    for selector in getattr(trail, "event_selectors", None) or []:
        for resource in selector.get("DataResources") or []:
            if resource.get("Type") == "AWS::S3::Object":
                return True
    for selector in getattr(trail, "advanced_event_selectors", None) or []:
        for field in selector.get("FieldSelectors") or []:
            if field.get("Field") == "eventCategory" and "Data" in (field.get("Equals") or []):
                return True
    return False


def _keep_for_trails(history: EventHistory, record: dict[str, Any], *, data_event: bool) -> None:
    """Keep the record for every trail logging now (a data event: only trails that select S3 data events)."""
    backend = cloudtrail_backends[history.account_id][history.region]
    stopped = (record.get("requestParameters") or {}).get("name") if record.get("eventName") == "StopLogging" else None
    for trail in list(backend.trails.values()):
        if not trail.status.is_logging and stopped not in (trail.trail_name, trail.arn):  # StopLogging is logged
            continue
        if data_event and not _logs_s3_data_events(trail):
            continue
        history.undelivered.append((trail, copy.deepcopy(record)))


def log_file_key(trail: Any, account_id: str, region: str, moment: datetime, unique: str) -> str:
    """Where CloudTrail puts a log file in the trail's bucket."""
    prefix = f"{trail.s3_key_prefix}/" if getattr(trail, "s3_key_prefix", None) else ""
    stamp = moment.strftime("%Y%m%dT%H%MZ")
    return (f"{prefix}AWSLogs/{account_id}/CloudTrail/{region}/{moment:%Y/%m/%d}/"
            f"{account_id}_CloudTrail_{region}_{stamp}_{unique}.json.gz")


def deliver(account_id: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1") -> list[str]:
    """Write the undelivered events of each trail to its bucket, one log file per trail; the keys written."""
    import gzip

    from moto.s3.models import s3_backends

    history = history_for(account_id, region)
    by_trail: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
    for trail, record in history.undelivered:
        by_trail.setdefault(trail.trail_name if hasattr(trail, "trail_name") else trail.name, (trail, []))[1].append(record)
    history.undelivered = []
    written = []
    s3 = s3_backends[account_id][get_partition(region)]
    for _, (trail, records) in sorted(by_trail.items()):
        last = max(to_utc(r["eventTime"]) for r in records)
        unique = mock_random.get_random_hex(16).upper()
        key = log_file_key(trail, account_id, region, last, unique)
        text = json.dumps({"Records": records}, separators=(",", ":"))
        s3.put_object(trail.bucket_name, key, gzip.compress(text.encode("utf-8"), mtime=0))
        written.append(f"s3://{trail.bucket_name}/{key}")
    return written


def _recording(call_action: Any) -> Any:
    def call_action_recorded(self: BaseResponse) -> Any:
        result = call_action(self)
        try:
            record_call(self, result)
        except Exception:  # never let the history break the call it observes
            log.warning("CloudTrail simulation could not record a call", exc_info=True)
        return result

    return call_action_recorded


# --------------------------------------------------------------------------- responses


def lookup_events(self: CloudTrailResponse) -> ActionResult:
    attributes = self._get_param("LookupAttributes") or []
    start_raw = self._get_param("StartTime")
    end_raw = self._get_param("EndTime")
    category = self._get_param("EventCategory")
    max_results = self._get_param("MaxResults")
    next_token = self._get_param("NextToken")

    if len(attributes) > 1:
        raise InvalidLookupAttributesException(
            "You cannot specify more than one lookup attribute."
        )
    attribute = None
    if attributes:
        key = attributes[0].get("AttributeKey")
        value = attributes[0].get("AttributeValue")
        if key not in LOOKUP_KEYS:
            raise InvalidLookupAttributesException(
                f"The attribute key '{key}' is not valid. Valid keys: {', '.join(LOOKUP_KEYS)}."
            )
        if value is None or not 1 <= len(str(value)) <= 2000:
            raise InvalidLookupAttributesException(
                "The attribute value must have a length between 1 and 2000."
            )
        if key == "ReadOnly" and str(value).lower() not in ("true", "false"):
            raise InvalidLookupAttributesException(
                f"The ReadOnly attribute value must be true or false, not '{value}'."
            )
        attribute = (key, str(value))
    if category is not None and category != "insight":
        raise InvalidEventCategoryException(f"The event category '{category}' is not valid.")
    try:
        start = to_utc(start_raw) if start_raw is not None else None
        end = to_utc(end_raw) if end_raw is not None else None
    except (ValueError, OverflowError, OSError):
        raise InvalidTimeRangeException("The time range is not valid.")
    if start is not None and end is not None and start > end:
        raise InvalidTimeRangeException("Start time must be before or equal to end time.")
    if max_results is not None:
        try:
            max_results = int(max_results)
        except (TypeError, ValueError):
            raise InvalidMaxResultsException("MaxResults must be an integer between 1 and 50.")
        if not 1 <= max_results <= MAX_RESULTS:
            raise InvalidMaxResultsException("MaxResults must be an integer between 1 and 50.")

    events = event_history(self.cloudtrail_backend).lookup(
        attribute, start, end, insight=category == "insight"
    )
    checked = (attribute, start, end, category)
    page, token = paginate(
        events,
        max_results=max_results,
        default=MAX_RESULTS,
        next_token=next_token,
        unique_attribute="event_id",
        params=checked,
        error=InvalidNextTokenException,
    )
    return ActionResult(with_token({"Events": [e.to_lookup_dict() for e in page]}, token))


def register() -> None:
    _install.add_operation("cloudtrail", CloudTrailResponse, "LookupEvents", lookup_events)
    _install.wrap_method("cloudtrail", BaseResponse, "call_action", _recording)
