"""GuardDuty findings, IP sets and threat intel sets (moto 5.2.5 has detectors and filters only).

On moto's structure: state on each ``GuardDutyBackend`` (:class:`GuardDutyState`), handlers
as methods of ``GuardDutyResponse``, and the rest-json paths added to
``moto.guardduty.urls.url_paths``. Findings are kept in their wire shape (the JSON the API
returns), since ``FindingCriteria`` names fields by their JSON path.

- ``CreateSampleFindings``: one sample finding per requested type, or one of every type of
  ``data/guardduty_finding_types.yaml`` when ``FindingTypes`` is empty. Creating a type
  again updates its sample (``service.count`` + 1, ``updatedAt``, ``eventLastSeen``), as
  GuardDuty aggregates repeated findings. Unknown but well-formed types are accepted.
- ``ListFindings``: ``FindingCriteria`` (Eq, Neq, Gt, Gte, Lt, Lte and the legacy Equals,
  NotEquals, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual; several
  conditions and fields are ANDed; ``updatedAt``/``createdAt`` compare as epoch
  milliseconds) on any JSON path of the Finding shape; ``SortCriteria``;
  ``MaxResults`` (1-50, default 50) / ``NextToken``.
- ``GetFindings`` (up to 50 ids, unknown ids left out, optional ``SortCriteria``),
  ``ArchiveFindings`` / ``UnarchiveFindings`` (``service.archived``).
- ``CreateIPSet`` / ``GetIPSet`` / ``ListIPSets`` and the same for threat intel sets,
  with the quotas of 1 IP set and 6 threat intel sets per detector, ``ClientToken``
  idempotency and Activate -> ``ACTIVE``/``INACTIVE``.

Unknown detectors answer moto's own error (``BadRequestException``, "The request is
rejected because the input detectorId is not owned by the current account.").
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from moto.core.exceptions import ServiceException
from moto.core.utils import get_service_model, utcnow
from moto.guardduty import urls as guardduty_urls
from moto.core import DEFAULT_ACCOUNT_ID
from moto.guardduty.models import GuardDutyBackend, guardduty_backends
from moto.guardduty.responses import GuardDutyResponse
from moto.moto_api._internal import mock_random
from moto.utilities.utils import get_partition

from . import _install
from ._common import paginate, parsed_params, to_utc, values_at, with_token

CATALOGUE_FILE = Path(__file__).with_name("data") / "guardduty_finding_types.yaml"
SCHEMA_VERSION = "2.0"
MAX_RESULTS = 50
MAX_IP_SETS = 1
MAX_THREAT_INTEL_SETS = 6
TYPE_PATTERN = re.compile(
    r"^(?P<purpose>[A-Za-z]+):(?P<affected>[A-Za-z0-9]+)/(?P<family>[A-Za-z0-9&]+)"
    r"(?:\.[A-Za-z0-9]+)*(?:![A-Za-z0-9]+)?$"
)
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9 \t_-]{1,300}$")
INVALID_INPUT = (
    "The request is rejected because an invalid or out-of-range value is specified as an "
    "input parameter."
)
CONDITIONS = {
    "Eq": "eq",
    "Equals": "eq",
    "Neq": "neq",
    "NotEquals": "neq",
    "Gt": "gt",
    "GreaterThan": "gt",
    "Gte": "gte",
    "GreaterThanOrEqual": "gte",
    "Lt": "lt",
    "LessThan": "lt",
    "Lte": "lte",
    "LessThanOrEqual": "lte",
}

# Values used in generated sample findings (GuardDuty's samples use placeholders like these).
SAMPLE = {
    "instance": "i-99999999",
    "ip": "198.51.100.0",
    "access_key": "ASIASZ4SI7REEEXAMPLE",
    "user": "GeneratedFindingUserName",
    "bucket": "generated-finding-bucket",
    "cluster": "GeneratedFindingEKSClusterName",
}


class BadRequestException(ServiceException):
    code = "BadRequestException"
    message = INVALID_INPUT


# --------------------------------------------------------------------------- models


@lru_cache(maxsize=None)
def load_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _millis(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{value.microsecond // 1000:03d}Z"
    )


def _remote_ip(ip: str) -> dict[str, Any]:
    return {
        "ipAddressV4": ip,
        "organization": {
            "asn": "64496",
            "asnOrg": "GeneratedFindingASNOrg",
            "isp": "GeneratedFindingISP",
            "org": "GeneratedFindingORG",
        },
        "country": {"countryName": "GeneratedFindingCountryName"},
        "city": {"cityName": "GeneratedFindingCityName"},
        "geoLocation": {"lat": 0, "lon": 0},
    }


def _resource(resource_type: str, account_id: str, region: str, partition: str, spec: dict) -> dict:
    if resource_type == "Instance":
        return {
            "resourceType": "Instance",
            "instanceDetails": {
                "instanceId": SAMPLE["instance"],
                "instanceType": "m3.xlarge",
                "instanceState": "running",
                "availabilityZone": f"{region}a",
                "imageId": "ami-99999999",
                "imageDescription": "GeneratedFindingInstanceImageDescription",
                "launchTime": "2016-08-02T02:05:06.000Z",
                "iamInstanceProfile": {
                    "arn": f"arn:{partition}:iam::{account_id}:example/instance/profile",
                    "id": "GeneratedFindingInstanceProfileId",
                },
                "networkInterfaces": [
                    {
                        "networkInterfaceId": "eni-bfcffe88",
                        "privateDnsName": "GeneratedFindingPrivateDnsName",
                        "privateIpAddress": "10.0.0.1",
                        "privateIpAddresses": [
                            {
                                "privateDnsName": "GeneratedFindingPrivateName",
                                "privateIpAddress": "10.0.0.1",
                            }
                        ],
                        "publicDnsName": "GeneratedFindingPublicDNSName",
                        "publicIp": "198.51.100.10",
                        "securityGroups": [
                            {"groupId": "GeneratedFindingSecurityId", "groupName": "GeneratedFindingSecurityGroupName"}
                        ],
                        "subnetId": "GeneratedFindingSubnetId",
                        "vpcId": "GeneratedFindingVPCId",
                        "ipv6Addresses": [],
                    }
                ],
                "productCodes": [],
                "tags": [{"key": "GeneratedFindingInstaceTag1", "value": "GeneratedFindingInstaceValue1"}],
            },
        }
    if resource_type == "S3Bucket":
        return {
            "resourceType": "S3Bucket",
            "accessKeyDetails": _access_key(spec),
            "s3BucketDetails": [
                {
                    "arn": f"arn:{partition}:s3:::{SAMPLE['bucket']}",
                    "name": SAMPLE["bucket"],
                    "type": "Destination",
                    "createdAt": 1513612692,
                    "owner": {"id": "CanonicalId of Owner"},
                    "tags": [{"key": "foo", "value": "bar"}],
                    "defaultServerSideEncryption": {"encryptionType": "SSEAlgorithm"},
                    "publicAccess": {"effectivePermission": "NOT_PUBLIC"},
                }
            ],
        }
    if resource_type == "EKSCluster":
        return {
            "resourceType": "EKSCluster",
            "eksClusterDetails": {
                "name": SAMPLE["cluster"],
                "arn": f"arn:{partition}:eks:{region}:{account_id}:cluster/{SAMPLE['cluster']}",
                "vpcId": "GeneratedFindingVPCId",
                "status": "ACTIVE",
                "tags": [],
                "createdAt": 1613612692,
            },
            "kubernetesDetails": {
                "kubernetesUserDetails": {"username": "system:anonymous", "uid": "", "groups": []}
            },
        }
    if resource_type == "AccessKey":
        return {"resourceType": "AccessKey", "accessKeyDetails": _access_key(spec)}
    return {"resourceType": resource_type}


def _access_key(spec: dict) -> dict[str, str]:
    user_type = spec.get("user_type", "IAMUser")
    return {
        "accessKeyId": SAMPLE["access_key"],
        "principalId": "GeneratedFindingPrincipalId",
        "userName": "root" if user_type == "Root" else SAMPLE["user"],
        "userType": user_type,
    }


def _action(spec: dict) -> dict[str, Any]:
    kind = spec.get("action", "NETWORK_CONNECTION")
    action: dict[str, Any] = {"actionType": kind}
    if kind == "NETWORK_CONNECTION":
        inbound = spec.get("role") == "TARGET"
        action["networkConnectionAction"] = {
            "connectionDirection": "INBOUND" if inbound else "OUTBOUND",
            "remoteIpDetails": _remote_ip(SAMPLE["ip"]),
            "remotePortDetails": {"port": 32794 if inbound else 22, "portName": "Unknown"},
            "localPortDetails": {"port": 22 if inbound else 39677, "portName": "SSH"},
            "protocol": "TCP",
            "blocked": False,
        }
    elif kind == "PORT_PROBE":
        action["portProbeAction"] = {
            "blocked": False,
            "portProbeDetails": [
                {
                    "localPortDetails": {"port": 80, "portName": "HTTP"},
                    "remoteIpDetails": _remote_ip(SAMPLE["ip"]),
                }
            ],
        }
    elif kind == "DNS_REQUEST":
        action["dnsRequestAction"] = {
            "domain": "GeneratedFindingDomainName",
            "protocol": "UDP",
            "blocked": False,
        }
    elif kind == "AWS_API_CALL":
        action["awsApiCallAction"] = {
            "api": spec.get("api", "GeneratedFindingAPIName"),
            "serviceName": spec.get("service_name", "GeneratedFindingAPIServiceName"),
            "callerType": "Remote IP",
            "remoteIpDetails": _remote_ip(SAMPLE["ip"]),
            "affectedResources": {},
        }
    elif kind == "KUBERNETES_API_CALL":
        action["kubernetesApiCallAction"] = {
            "requestUri": "/api/v1/namespaces/default/pods",
            "verb": "list",
            "sourceIPs": [SAMPLE["ip"]],
            "userAgent": "kubectl/v1.21.0",
            "remoteIpDetails": _remote_ip(SAMPLE["ip"]),
            "statusCode": 200,
        }
    return action


def finding_spec(finding_type: str, catalogue: dict[str, Any]) -> dict[str, Any]:
    """What a sample finding of this type looks like; BadRequestException if malformed."""
    match = TYPE_PATTERN.match(finding_type or "")
    if not match:
        raise BadRequestException(
            f"The request is rejected because the finding type '{finding_type}' is not valid."
        )
    known = catalogue["types"].get(finding_type)
    if known:
        spec = dict(known)
    else:
        purpose = match.group("purpose")
        spec = {
            "severity": catalogue["default_severity"].get(purpose, 5.0),
            "action": "AWS_API_CALL" if match.group("affected") in ("IAMUser", "S3") else "NETWORK_CONNECTION",
            "role": "TARGET",
            "title": f"Sample finding of type {finding_type}.",
            "description": f"This is a sample finding of type {finding_type}.",
        }
    affected = match.group("affected")
    spec["resource_type"] = catalogue["resource_types"].get(affected, affected)
    return spec


def build_sample_finding(
    finding_type: str,
    spec: dict[str, Any],
    detector_id: str,
    account_id: str,
    region: str,
    now: datetime,
) -> dict[str, Any]:
    partition = get_partition(region)
    finding_id = mock_random.get_random_hex(length=32)
    stamp = _millis(now)
    fill = dict(SAMPLE)
    return {
        "accountId": account_id,
        "arn": f"arn:{partition}:guardduty:{region}:{account_id}:detector/{detector_id}/finding/{finding_id}",
        "createdAt": stamp,
        "description": spec["description"].format(**fill),
        "id": finding_id,
        "partition": partition,
        "region": region,
        "resource": _resource(spec["resource_type"], account_id, region, partition, spec),
        "schemaVersion": SCHEMA_VERSION,
        "service": {
            "action": _action(spec),
            "additionalInfo": {"value": json.dumps({"sample": True}), "type": "default"},
            "archived": False,
            "count": 1,
            "detectorId": detector_id,
            "eventFirstSeen": stamp,
            "eventLastSeen": stamp,
            "resourceRole": spec.get("role", "TARGET"),
            "serviceName": "guardduty",
        },
        "severity": float(spec["severity"]),
        "title": spec["title"].format(**fill),
        "type": finding_type,
        "updatedAt": stamp,
    }


class GuardDutyState:
    """What GuardDuty keeps per detector beyond moto's own Detector."""

    def __init__(self) -> None:
        self.findings: dict[str, dict[str, dict[str, Any]]] = {}
        self.sets: dict[str, dict[str, dict[str, dict[str, Any]]]] = {"ip": {}, "threat": {}}
        self.client_tokens: dict[tuple[str, str, str], str] = {}

    def detector_findings(self, detector_id: str) -> dict[str, dict[str, Any]]:
        return self.findings.setdefault(detector_id, {})


def state_of(backend: GuardDutyBackend) -> GuardDutyState:
    return _install.backend_state(backend, "guardduty", GuardDutyState)


def put_detector(
    detector_id: str,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = "us-east-1",
    enable: bool = True,
) -> str:
    """Setup helper: a detector with a chosen id (the handbook's ``12abc34d...example``).

    GuardDuty generates detector ids; this creates one through moto's own backend and
    files it under ``detector_id``, so examples quoting a fixed id can run as written.
    """
    backend: GuardDutyBackend = guardduty_backends[account_id][region]
    if detector_id in backend.detectors:
        return detector_id
    generated = backend.create_detector(enable, "SIX_HOURS", {}, {}, [])
    detector = backend.detectors.pop(generated)
    detector.id = detector_id
    backend.detectors[detector_id] = detector
    return detector_id


def create_sample_findings(
    backend: GuardDutyBackend, detector_id: str, finding_types: list[str] | None
) -> list[dict[str, Any]]:
    backend.get_detector(detector_id)
    catalogue = load_catalogue()
    types = list(dict.fromkeys(finding_types or catalogue["types"]))
    specs = [(t, finding_spec(t, catalogue)) for t in types]  # validate all first
    findings = state_of(backend).detector_findings(detector_id)
    now = utcnow().replace(tzinfo=timezone.utc)
    out = []
    for finding_type, spec in specs:
        existing = next(
            (
                f
                for f in findings.values()
                if f["type"] == finding_type and json.loads(f["service"]["additionalInfo"]["value"]).get("sample")
            ),
            None,
        )
        if existing:
            existing["service"]["count"] += 1
            existing["service"]["eventLastSeen"] = existing["updatedAt"] = _millis(now)
            out.append(existing)
            continue
        finding = build_sample_finding(
            finding_type, spec, detector_id, backend.account_id, backend.region_name, now
        )
        findings[finding["id"]] = finding
        out.append(finding)
    return out


# --------------------------------------------------------------------------- criteria


def _finding_shape() -> Any:
    return get_service_model("guardduty").shape_for("Finding")


def valid_field(path: str) -> bool:
    """Whether a FindingCriteria/SortCriteria field is a JSON path of the Finding shape."""
    shape = _finding_shape()
    for segment in path.split("."):
        while shape.type_name == "list":
            shape = shape.member
        if shape.type_name == "map":
            return True
        if shape.type_name != "structure":
            return False
        member = next(
            (m for n, m in shape.members.items() if m.serialization.get("name", n) == segment),
            None,
        )
        if member is None:
            return False
        shape = member
    return True


def field_values(finding: dict[str, Any], path: str) -> list[Any]:
    """Every value at a dotted JSON path ("resource.instanceDetails.instanceId")."""
    return values_at(finding, path.split("."))


def _as_number(value: Any) -> float | None:
    """A finding value compared with numbers: numbers, or timestamps as epoch milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return to_utc(value).timestamp() * 1000
        except ValueError:
            return None
    return None


def _equal(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool):
        return str(wanted).lower() == str(value).lower()
    if isinstance(value, (int, float)):
        number = _as_number(wanted)
        return number is not None and float(value) == number
    if value == wanted:
        return True
    if isinstance(value, str) and ISO_TIME.match(value):  # a timestamp against epoch millis
        left, right = _as_number(value), _as_number(wanted)
        return left is not None and left == right
    return False


def matches_condition(values: list[Any], op: str, operand: Any) -> bool:
    if op == "eq":
        return any(_equal(v, w) for v in values for w in operand)
    if op == "neq":
        return not any(_equal(v, w) for v in values for w in operand)
    numbers = [n for n in (_as_number(v) for v in values) if n is not None]
    limit = float(operand)
    compare = {
        "gt": lambda n: n > limit,
        "gte": lambda n: n >= limit,
        "lt": lambda n: n < limit,
        "lte": lambda n: n <= limit,
    }[op]
    return any(compare(n) for n in numbers)


def compile_criteria(criteria: dict[str, Any] | None) -> list[tuple[str, str, Any]]:
    """FindingCriteria as (field, operator, operand) checks; BadRequestException if invalid."""
    checks: list[tuple[str, str, Any]] = []
    for field, condition in ((criteria or {}).get("Criterion") or {}).items():
        if not valid_field(field):
            raise BadRequestException(
                f"The request is rejected because the criterion field '{field}' is not valid."
            )
        for name, operand in (condition or {}).items():
            if operand is None:
                continue
            if name not in CONDITIONS:
                raise BadRequestException(
                    f"The request is rejected because the condition '{name}' is only "
                    "available for create-filter and update-filter."
                )
            op = CONDITIONS[name]
            if op in ("eq", "neq") and len(operand) > 50:
                raise BadRequestException(INVALID_INPUT)
            checks.append((field, op, operand))
    return checks


def select(findings: list[dict[str, Any]], checks: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    return [
        f
        for f in findings
        if all(matches_condition(field_values(f, field), op, operand) for field, op, operand in checks)
    ]


def sort_findings(findings: list[dict[str, Any]], sort: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not sort or not sort.get("AttributeName"):
        return findings
    attribute = sort["AttributeName"]
    if not valid_field(attribute):
        raise BadRequestException(
            f"The request is rejected because the sort attribute '{attribute}' is not valid."
        )
    descending = sort.get("OrderBy", "ASC") == "DESC"

    def key(finding: dict[str, Any]) -> tuple[int, Any]:
        values = field_values(finding, attribute)
        if not values:
            return (1, 0)
        value = values[0]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (0, float(value))
        return (0, str(value))

    present = [f for f in findings if field_values(f, attribute)]
    missing = [f for f in findings if not field_values(f, attribute)]
    return sorted(present, key=key, reverse=descending) + missing


# --------------------------------------------------------------------------- sets


def _validate_set(params: dict[str, Any], kind: str) -> None:
    name, fmt, location = params.get("Name"), params.get("Format"), params.get("Location")
    if not name or not NAME_PATTERN.match(name):
        raise BadRequestException(
            f"The request is rejected because the {kind} name '{name}' is not valid. Allowed "
            "characters are alphanumeric, whitespace, dash (-), and underscores (_)."
        )
    operation = "CreateIPSet" if kind == "IPSet" else "CreateThreatIntelSet"
    formats = get_service_model("guardduty").operation_model(operation).input_shape.members["Format"].enum
    if fmt not in formats:
        raise BadRequestException(
            f"The request is rejected because the format '{fmt}' is not one of {', '.join(formats)}."
        )
    if not location or not re.match(r"^(s3://[^/]+/.+|https://\S+)$", location):
        raise BadRequestException(
            f"The request is rejected because the location '{location}' is not a valid S3 URI."
        )


def create_set(backend: GuardDutyBackend, kind: str, detector_id: str, params: dict[str, Any]) -> str:
    backend.get_detector(detector_id)
    label, limit = ("IPSet", MAX_IP_SETS) if kind == "ip" else ("ThreatIntelSet", MAX_THREAT_INTEL_SETS)
    state = state_of(backend)
    token = params.get("ClientToken")
    if token and (kind, detector_id, token) in state.client_tokens:
        return state.client_tokens[(kind, detector_id, token)]
    _validate_set(params, label)
    sets = state.sets[kind].setdefault(detector_id, {})
    if any(s["name"] == params["Name"] for s in sets.values()):
        raise BadRequestException(
            f"The request is rejected because a {label} with the name '{params['Name']}' already exists."
        )
    if len(sets) >= limit:
        raise BadRequestException(
            f"The request is rejected because the current account cannot create more than "
            f"{limit} {label}s for this detector."
        )
    set_id = mock_random.get_random_hex(length=32)
    item: dict[str, Any] = {
        "name": params["Name"],
        "format": params["Format"],
        "location": params["Location"],
        "status": "ACTIVE" if params.get("Activate") else "INACTIVE",
        "tags": dict(params.get("Tags") or {}),
    }
    if params.get("ExpectedBucketOwner"):
        item["expectedBucketOwner"] = params["ExpectedBucketOwner"]
    sets[set_id] = item
    if token:
        state.client_tokens[(kind, detector_id, token)] = set_id
    return set_id


def get_set(backend: GuardDutyBackend, kind: str, detector_id: str, set_id: str) -> dict[str, Any]:
    backend.get_detector(detector_id)
    sets = state_of(backend).sets[kind].get(detector_id, {})
    if set_id not in sets:
        label = "ipSetId" if kind == "ip" else "threatIntelSetId"
        raise BadRequestException(
            f"The request is rejected because the input {label} is not owned by the current account."
        )
    return sets[set_id]


# --------------------------------------------------------------------------- responses


def _max_results(params: dict[str, Any]) -> int | None:
    value = params.get("MaxResults")
    if value is not None and not 1 <= int(value) <= MAX_RESULTS:
        raise BadRequestException(INVALID_INPUT)
    return value


def _page(items: list[Any], params: dict[str, Any], checked: Any) -> tuple[list[Any], str | None]:
    return paginate(
        items,
        max_results=_max_results(params),
        default=MAX_RESULTS,
        next_token=params.get("NextToken") or None,
        unique_attribute="id",
        params=checked,
        error=BadRequestException,
    )


def create_sample_findings_response(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "CreateSampleFindings")
    create_sample_findings(self.guardduty_backend, params["DetectorId"], params.get("FindingTypes"))
    return "{}"


def list_findings(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "ListFindings")
    detector_id = params["DetectorId"]
    self.guardduty_backend.get_detector(detector_id)
    checks = compile_criteria(params.get("FindingCriteria"))
    findings = list(state_of(self.guardduty_backend).detector_findings(detector_id).values())
    found = sort_findings(select(findings, checks), params.get("SortCriteria"))
    page, token = _page(found, params, (detector_id, params.get("FindingCriteria"), params.get("SortCriteria")))
    return json.dumps(with_token({"findingIds": [f["id"] for f in page]}, token, "nextToken"))


def get_findings(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "GetFindings")
    detector_id = params["DetectorId"]
    self.guardduty_backend.get_detector(detector_id)
    ids = params.get("FindingIds") or []
    if len(ids) > 50:
        raise BadRequestException(INVALID_INPUT)
    findings = state_of(self.guardduty_backend).detector_findings(detector_id)
    found = [copy.deepcopy(findings[i]) for i in dict.fromkeys(ids) if i in findings]
    return json.dumps({"findings": sort_findings(found, params.get("SortCriteria"))})


def _set_archived(self: GuardDutyResponse, operation: str, archived: bool) -> str:
    params = parsed_params(self, operation)
    detector_id = params["DetectorId"]
    self.guardduty_backend.get_detector(detector_id)
    ids = params.get("FindingIds") or []
    if len(ids) > 50:
        raise BadRequestException(INVALID_INPUT)
    findings = state_of(self.guardduty_backend).detector_findings(detector_id)
    now = _millis(utcnow().replace(tzinfo=timezone.utc))
    for finding_id in ids:
        if finding_id in findings and findings[finding_id]["service"]["archived"] != archived:
            findings[finding_id]["service"]["archived"] = archived
            findings[finding_id]["updatedAt"] = now
    return "{}"


def archive_findings(self: GuardDutyResponse) -> str:
    return _set_archived(self, "ArchiveFindings", True)


def unarchive_findings(self: GuardDutyResponse) -> str:
    return _set_archived(self, "UnarchiveFindings", False)


def _set_handlers(kind: str, operation_suffix: str, id_member: str, id_key: str, list_key: str):
    def create(self: GuardDutyResponse) -> str:
        params = parsed_params(self, f"Create{operation_suffix}")
        set_id = create_set(self.guardduty_backend, kind, params["DetectorId"], params)
        return json.dumps({id_key: set_id})

    def get(self: GuardDutyResponse) -> str:
        params = parsed_params(self, f"Get{operation_suffix}")
        item = get_set(self.guardduty_backend, kind, params["DetectorId"], params[id_member])
        body = {k: v for k, v in item.items() if not (k == "tags" and not v)}
        return json.dumps(body)

    def list_(self: GuardDutyResponse) -> str:
        params = parsed_params(self, f"List{operation_suffix}s")
        detector_id = params["DetectorId"]
        self.guardduty_backend.get_detector(detector_id)
        ids = list(state_of(self.guardduty_backend).sets[kind].get(detector_id, {}))
        page, token = _page(ids, params, (detector_id, kind))
        return json.dumps(with_token({list_key: page}, token, "nextToken"))

    return create, get, list_


ROUTES = {
    "{0}/detector/(?P<detector_id>[^/]+)/findings$": "ListFindings",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/create$": "CreateSampleFindings",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/get$": "GetFindings",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/archive$": "ArchiveFindings",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/unarchive$": "UnarchiveFindings",
    "{0}/detector/(?P<detector_id>[^/]+)/ipset$": "CreateIPSet ListIPSets",
    "{0}/detector/(?P<detector_id>[^/]+)/ipset/(?P<ip_set_id>[^/]+)$": "GetIPSet",
    "{0}/detector/(?P<detector_id>[^/]+)/threatintelset$": "CreateThreatIntelSet ListThreatIntelSets",
    "{0}/detector/(?P<detector_id>[^/]+)/threatintelset/(?P<threat_intel_set_id>[^/]+)$": "GetThreatIntelSet",
}


def register() -> None:
    _install.add_operations("guardduty", GuardDutyResponse, {
        "CreateSampleFindings": create_sample_findings_response, "ListFindings": list_findings,
        "GetFindings": get_findings, "ArchiveFindings": archive_findings, "UnarchiveFindings": unarchive_findings})
    for kind, suffix, id_member, id_key, list_key in (
        ("ip", "IPSet", "IpSetId", "ipSetId", "ipSetIds"),
        ("threat", "ThreatIntelSet", "ThreatIntelSetId", "threatIntelSetId", "threatIntelSetIds"),
    ):
        create, get, list_ = _set_handlers(kind, suffix, id_member, id_key, list_key)
        _install.add_operations("guardduty", GuardDutyResponse,
                                {f"Create{suffix}": create, f"Get{suffix}": get, f"List{suffix}s": list_})
    _install.add_routes("guardduty", guardduty_urls.url_paths, ROUTES, GuardDutyResponse.dispatch)
