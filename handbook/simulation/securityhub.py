"""Security Hub custom actions, and ``GetFindings`` that honours ``Filters``.

moto 5.2.5 stores findings (``BatchImportFindings``) but its ``GetFindings`` ignores
``Filters`` and ``SortCriteria``, and it has no custom actions. This module:

- reuses moto's ``get_findings`` (its MaxResults check and its finding list, through the
  undecorated ``__wrapped__``), applies the filters and sort on top, and then pages with
  moto's own ``Paginator`` (filtering a page moto already cut would break paging);
- filters as the API reference describes: every ``AwsSecurityFindingFilters`` field, mapped
  to its place in the finding (``SeverityLabel`` -> ``Severity.Label``, ``ResourceType`` ->
  ``Resources[].Type``, ``ResourceAwsEc2InstanceType`` -> ``Resources[].Details.
  AwsEc2Instance.Type`` ...) from the botocore model. String filters: EQUALS, PREFIX and
  CONTAINS on a field are ORed; NOT_EQUALS, PREFIX_NOT_EQUALS and NOT_CONTAINS are ANDed;
  the combinations the reference forbids (CONTAINS with another comparison, NOT_CONTAINS
  with another, EQUALS with a negative one) and CONTAINS_WORD (GetFindingsV2 only) are
  ``InvalidInputException``. Number filters (Gte, Lte, Eq, Gt, Lt: ANDed in a filter, ORed
  across filters), date filters (Start/End inclusive, DateRange WITHIN / OLDER_THAN days),
  boolean, keyword, IP (CIDR) and map filters. Different fields are ANDed. At most 10
  fields and 20 values a field;
- ``CreateActionTarget`` / ``DescribeActionTargets`` / ``UpdateActionTarget`` /
  ``DeleteActionTarget``: ids of up to 20 alphanumerics, names of up to 20 characters, 50
  custom actions per account and Region, Security Hub must be enabled.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.utils import get_service_model, utcnow
from moto.securityhub import urls as securityhub_urls
from moto.securityhub.models import SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse
from moto.utilities.utils import get_partition

from . import _install
from ._common import paginate, parsed_params, to_utc, values_at, with_token

MAX_FILTER_FIELDS = 10
MAX_FILTER_VALUES = 20
MAX_ACTION_TARGETS = 50
POSITIVE = {"EQUALS", "PREFIX", "CONTAINS"}
NEGATIVE = {"NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS"}

# Filter fields whose place in the finding is not spelled out by their name.
FIELD_OVERRIDES = {
    "RecommendationText": ("Remediation", "Recommendation", "Text"),
    "ComplianceAssociatedStandardsId": ("Compliance", "AssociatedStandards", "StandardsId"),
}


class InvalidInputException(ServiceException):
    code = "InvalidInputException"
    message = "The request was rejected because an invalid or out-of-range value was specified."


class InvalidAccessException(ServiceException):
    code = "InvalidAccessException"
    message = "Account is not subscribed to AWS Security Hub"


class ResourceConflictException(ServiceException):
    code = "ResourceConflictException"


class ResourceNotFoundException(ServiceException):
    code = "ResourceNotFoundException"


class LimitExceededException(ServiceException):
    code = "LimitExceededException"


# --------------------------------------------------------------------------- filters


def _model() -> Any:
    return get_service_model("securityhub")


def _step(shape: Any) -> Any:
    while shape.type_name == "list":
        shape = shape.member
    return shape


def _forms(member: str) -> list[str]:
    if member.endswith("ies"):
        return [member, member[:-3] + "y"]
    if member.endswith("s"):
        return [member, member[:-1]]
    return [member]


def _resolve(name: str, shape: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Spell a flattened filter name out as member names (``ResourceType`` -> Resources.Type)."""
    shape = _step(shape)
    if name == "":
        return path
    if shape.type_name != "structure":
        return None
    candidates = sorted(
        ((form, member, mshape) for member, mshape in shape.members.items() for form in _forms(member)),
        key=lambda c: -len(c[0]),
    )
    for form, member, _ in candidates:
        if name == form:
            return path + (member,)
    for form, member, mshape in candidates:
        if name.startswith(form):
            found = _resolve(name[len(form):], mshape, path + (member,))
            if found:
                return found
    if shape.name == "Resource":  # resource details are named without "Details"
        return _resolve(name, shape.members["Details"], path + ("Details",))
    return None


@lru_cache(maxsize=None)
def field_path(name: str) -> tuple[str, ...] | None:
    """Where a filter (or sort) field lives in an AwsSecurityFinding."""
    if name in FIELD_OVERRIDES:
        return FIELD_OVERRIDES[name]
    return _resolve(name, _model().shape_for("AwsSecurityFinding"))


def _strings(finding: Any) -> list[str]:
    if isinstance(finding, dict):
        return [s for v in finding.values() for s in _strings(v)]
    if isinstance(finding, list):
        return [s for v in finding for s in _strings(v)]
    return [finding] if isinstance(finding, str) else []


def _string_matches(value: Any, comparison: str, wanted: str) -> bool:
    text = str(value)
    if comparison in ("EQUALS", "NOT_EQUALS"):
        return text == wanted
    if comparison in ("PREFIX", "PREFIX_NOT_EQUALS"):
        return text.startswith(wanted)
    return wanted in text  # CONTAINS, NOT_CONTAINS


def _check_combination(field: str, comparisons: set[str], kind: str) -> None:
    if "CONTAINS_WORD" in comparisons:
        raise InvalidInputException(
            f"Invalid filter for {field}: CONTAINS_WORD is only supported by GetFindingsV2."
        )
    unknown = comparisons - POSITIVE - NEGATIVE
    if unknown or (kind == "map" and comparisons & {"PREFIX", "PREFIX_NOT_EQUALS"}):
        raise InvalidInputException(f"Invalid comparison for {field}: {sorted(unknown or comparisons)}.")
    if "CONTAINS" in comparisons and len(comparisons) > 1:
        raise InvalidInputException(
            f"Invalid filter for {field}: CONTAINS can only be combined with other CONTAINS filters."
        )
    if "NOT_CONTAINS" in comparisons and len(comparisons) > 1:
        raise InvalidInputException(
            f"Invalid filter for {field}: NOT_CONTAINS can only be combined with other NOT_CONTAINS filters."
        )
    if "EQUALS" in comparisons and comparisons & {"NOT_EQUALS", "PREFIX_NOT_EQUALS"}:
        raise InvalidInputException(
            f"Invalid filter for {field}: EQUALS cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS."
        )


def _string_filter(values: list[Any], filters: list[dict[str, Any]]) -> bool:
    positive = [f for f in filters if f["Comparison"] in POSITIVE]
    negative = [f for f in filters if f["Comparison"] in NEGATIVE]
    if positive and not any(
        _string_matches(v, f["Comparison"], f["Value"]) for v in values for f in positive
    ):
        return False
    return all(
        not _string_matches(v, f["Comparison"], f["Value"]) for v in values for f in negative
    )


def _map_filter(maps: list[Any], filters: list[dict[str, Any]]) -> bool:
    def entries(key: str) -> list[Any]:
        return [m[key] for m in maps if isinstance(m, dict) and key in m]

    positive = [f for f in filters if f["Comparison"] in POSITIVE]
    negative = [f for f in filters if f["Comparison"] in NEGATIVE]
    if positive and not any(
        _string_matches(v, f["Comparison"], f["Value"]) for f in positive for v in entries(f["Key"])
    ):
        return False
    return all(
        not _string_matches(v, f["Comparison"], f["Value"]) for f in negative for v in entries(f["Key"])
    )


def _number_filter(values: list[Any], filters: list[dict[str, Any]]) -> bool:
    numbers = []
    for value in values:
        try:
            numbers.append(float(value))
        except (TypeError, ValueError):
            continue
    checks = {
        "Gte": lambda n, x: n >= x,
        "Lte": lambda n, x: n <= x,
        "Eq": lambda n, x: n == x,
        "Gt": lambda n, x: n > x,
        "Lt": lambda n, x: n < x,
    }
    return any(
        all(checks[k](n, float(x)) for k, x in f.items() if k in checks and x is not None)
        for f in filters
        for n in numbers
    )


def _date_filter(values: list[Any], filters: list[dict[str, Any]], now: datetime) -> bool:
    times = []
    for value in values:
        try:
            times.append(to_utc(value))
        except (TypeError, ValueError):
            continue

    def within(t: datetime, f: dict[str, Any]) -> bool:
        if f.get("Start") and t < to_utc(f["Start"]):
            return False
        if f.get("End") and t > to_utc(f["End"]):
            return False
        date_range = f.get("DateRange")
        if date_range:
            edge = now - timedelta(days=int(date_range["Value"]))
            if date_range.get("Comparison", "WITHIN") == "OLDER_THAN":
                return t < edge
            return edge <= t <= now
        return True

    return any(within(t, f) for f in filters for t in times)


def _ip_filter(values: list[Any], filters: list[dict[str, Any]]) -> bool:
    for value in values:
        try:
            address = ipaddress.ip_address(str(value).split("/")[0])
        except ValueError:
            continue
        for f in filters:
            try:
                if address in ipaddress.ip_network(f["Cidr"], strict=False):
                    return True
            except (KeyError, ValueError):
                raise InvalidInputException(f"Invalid CIDR in IP filter: {f.get('Cidr')}.")
    return False


def compile_filters(filters: dict[str, Any] | None) -> list[tuple[str, str, tuple[str, ...], list[dict[str, Any]]]]:
    """Validated filters as (field, kind, finding path, filter values)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    if len(filters) > MAX_FILTER_FIELDS:
        raise InvalidInputException(
            f"Filters can contain up to {MAX_FILTER_FIELDS} finding attributes, not {len(filters)}."
        )
    shape = _model().shape_for("AwsSecurityFindingFilters")
    compiled = []
    for field, items in filters.items():
        if len(items) > MAX_FILTER_VALUES:
            raise InvalidInputException(
                f"Filter {field} can contain up to {MAX_FILTER_VALUES} values, not {len(items)}."
            )
        kind = {
            "StringFilter": "string",
            "NumberFilter": "number",
            "DateFilter": "date",
            "BooleanFilter": "boolean",
            "KeywordFilter": "keyword",
            "IpFilter": "ip",
            "MapFilter": "map",
        }[shape.members[field].member.name]
        if kind in ("string", "map"):
            if any(not i.get("Comparison") or i.get("Value") is None for i in items):
                raise InvalidInputException(f"Filter {field} needs a Value and a Comparison.")
            _check_combination(field, {i["Comparison"] for i in items}, kind)
        path = () if kind == "keyword" else field_path(field)
        if path is None:  # pragma: no cover - every filter field resolves (tested)
            raise InvalidInputException(f"Unsupported filter field {field}.")
        compiled.append((field, kind, path, items))
    return compiled


def finding_matches(finding: dict[str, Any], compiled: list[Any], now: datetime) -> bool:
    for _, kind, path, items in compiled:
        if kind == "keyword":
            texts = _strings(finding)
            if not any(i.get("Value") and i["Value"] in t for i in items for t in texts):
                return False
            continue
        values = values_at(finding, path)
        if kind == "string" and not _string_filter(values, items):
            return False
        if kind == "map" and not _map_filter(values, items):
            return False
        if kind == "number" and not _number_filter(values, items):
            return False
        if kind == "date" and not _date_filter(values, items, now):
            return False
        if kind == "boolean" and not any(v is i.get("Value") for v in values for i in items):
            return False
        if kind == "ip" and not _ip_filter(values, items):
            return False
    return True


def sort_findings(findings: list[dict[str, Any]], criteria: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    ordered = list(findings)
    for criterion in reversed(criteria or []):
        field = criterion.get("Field")
        path = field_path(field) if field else None
        if path is None:
            raise InvalidInputException(f"Invalid sort field: {field}.")
        descending = criterion.get("SortOrder", "asc") == "desc"

        def key(finding: dict[str, Any], path: tuple[str, ...] = path) -> Any:
            values = values_at(finding, path)
            value = values[0] if values else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return (0, value, "")
            return (0, 0, str(value)) if value is not None else (1, 0, "")

        present = [f for f in ordered if values_at(f, path)]
        missing = [f for f in ordered if not values_at(f, path)]
        ordered = sorted(present, key=key, reverse=descending) + missing
    return ordered


def get_findings(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "GetFindings")
    filters, sort = params.get("Filters"), params.get("SortCriteria")
    compiled = compile_filters(filters)
    # moto's own get_findings, undecorated: its MaxResults validation and all findings.
    everything = SecurityHubBackend.get_findings.__wrapped__(
        self.securityhub_backend, filters=filters, sort_criteria=sort, max_results=params.get("MaxResults")
    )
    now = utcnow().replace(tzinfo=timezone.utc)
    selected = sort_findings([f for f in everything if finding_matches(f, compiled, now)], sort)
    config = SecurityHubBackend.PAGINATION_MODEL["get_findings"]
    page, token = paginate(
        selected,
        max_results=params.get("MaxResults"),
        default=config["limit_default"],
        next_token=params.get("NextToken") or None,
        unique_attribute=config["unique_attribute"],
        params=(filters, sort),
        error=InvalidInputException,
    )
    return json.dumps(with_token({"Findings": page}, token))


# --------------------------------------------------------------------------- action targets


def action_targets(backend: SecurityHubBackend) -> dict[str, dict[str, str]]:
    return _install.backend_state(backend, "action_targets", dict)


def _require_enabled(backend: SecurityHubBackend) -> None:
    if not backend.enabled:
        raise InvalidAccessException(
            f"Account {backend.account_id} is not subscribed to AWS Security Hub"
        )


def create_action_target(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "CreateActionTarget")
    backend = self.securityhub_backend
    _require_enabled(backend)
    name, description, target_id = params.get("Name"), params.get("Description"), params.get("Id")
    if not target_id or not target_id.isalnum() or not target_id.isascii() or len(target_id) > 20:
        raise InvalidInputException(
            f"Invalid Id '{target_id}': the Id can contain up to 20 alphanumeric characters."
        )
    if not name or not name.strip() or len(name) > 20:
        raise InvalidInputException(f"Invalid Name '{name}': the Name can contain up to 20 characters.")
    if not description or not description.strip():
        raise InvalidInputException("Description must not be empty.")
    targets = action_targets(backend)
    arn = f"arn:{get_partition(backend.region_name)}:securityhub:{backend.region_name}:{backend.account_id}:action/custom/{target_id}"
    if arn in targets:
        raise ResourceConflictException(f"ActionTarget {arn} already exists.")
    if len(targets) >= MAX_ACTION_TARGETS:
        raise LimitExceededException(
            f"The account cannot have more than {MAX_ACTION_TARGETS} custom actions in {backend.region_name}."
        )
    targets[arn] = {"ActionTargetArn": arn, "Name": name, "Description": description}
    return json.dumps({"ActionTargetArn": arn})


def describe_action_targets(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "DescribeActionTargets")
    backend = self.securityhub_backend
    _require_enabled(backend)
    targets = action_targets(backend)
    arns = params.get("ActionTargetArns") or []
    for arn in arns:
        if arn not in targets:
            raise ResourceNotFoundException(f"ActionTarget {arn} not found.")
    selected = [targets[a] for a in dict.fromkeys(arns)] if arns else list(targets.values())
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= int(max_results) <= 100:
        raise InvalidInputException("MaxResults must be a number between 1 and 100")
    page, token = paginate(
        selected,
        max_results=max_results,
        default=100,
        next_token=params.get("NextToken") or None,
        unique_attribute="ActionTargetArn",
        params=tuple(arns),
        error=InvalidInputException,
    )
    return json.dumps(with_token({"ActionTargets": page}, token))


def _existing_target(self: SecurityHubResponse, operation: str) -> tuple[dict[str, Any], dict[str, Any]]:
    params = parsed_params(self, operation)
    backend = self.securityhub_backend
    _require_enabled(backend)
    targets = action_targets(backend)
    arn = params.get("ActionTargetArn")
    if arn not in targets:
        raise ResourceNotFoundException(f"ActionTarget {arn} not found.")
    return params, targets


def update_action_target(self: SecurityHubResponse) -> str:
    params, targets = _existing_target(self, "UpdateActionTarget")
    target = targets[params["ActionTargetArn"]]
    if params.get("Name") is not None:
        if not params["Name"].strip() or len(params["Name"]) > 20:
            raise InvalidInputException("The Name can contain up to 20 characters.")
        target["Name"] = params["Name"]
    if params.get("Description") is not None:
        target["Description"] = params["Description"]
    return "{}"


def delete_action_target(self: SecurityHubResponse) -> str:
    params, targets = _existing_target(self, "DeleteActionTarget")
    targets.pop(params["ActionTargetArn"])
    return json.dumps({"ActionTargetArn": params["ActionTargetArn"]})


ROUTES = {
    "{0}/actionTargets$": "CreateActionTarget",
    "{0}/actionTargets/get$": "DescribeActionTargets",
    "{0}/actionTargets/(?P<action_target_arn>.+)$": "UpdateActionTarget DeleteActionTarget",
}


def register() -> None:
    cls = SecurityHubResponse
    _install.override_operation("securityhub", cls, "GetFindings", get_findings)
    _install.add_operations("securityhub", cls, {
        "CreateActionTarget": create_action_target, "DescribeActionTargets": describe_action_targets,
        "UpdateActionTarget": update_action_target, "DeleteActionTarget": delete_action_target})
    _install.add_routes("securityhub", securityhub_urls.url_paths, ROUTES, SecurityHubResponse.dispatch)
