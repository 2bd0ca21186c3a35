"""AWS Config compliance: managed rules evaluated against the simulated account.

moto 5.2.5 stores Config rules but never evaluates one, and has none of the compliance
read operations. This module evaluates a set of AWS managed rules against what moto holds
(S3 buckets, CloudTrail trails, GuardDuty detectors, EC2 security groups) and answers:

- ``DescribeComplianceByConfigRule`` (``ConfigRuleNames``, ``ComplianceTypes``): each
  rule's compliance, ``INSUFFICIENT_DATA`` for a rule with no results, and the capped count
  of noncompliant resources;
- ``GetComplianceDetailsByConfigRule`` (``ComplianceTypes``, ``Limit`` 0-100, ``NextToken``)
  and ``GetComplianceDetailsByResource`` (``ResourceType``, ``ResourceId``): the
  evaluation results;
- ``DescribeComplianceByResource`` (``ResourceType``, ``ResourceId``, ``ComplianceTypes``)
  and ``GetComplianceSummaryByConfigRule``.

When Config evaluates: AWS evaluates a rule when it is created, on demand
(``StartConfigRulesEvaluation``, see ``config``) and whenever a resource in its scope
changes. The simulation evaluates at once each time: on ``PutConfigRule``, on a started
evaluation, and before each compliance read (a change-triggered evaluation that has
already run). A result keeps its ``ResultRecordedTime`` until the resource's compliance
changes, so the times read as AWS's would.

The rules simulated (``SourceIdentifier`` -> resource type and what is compliant) are in
:data:`EVALUATORS`; a managed rule outside it, or a custom rule, has no results
(``INSUFFICIENT_DATA``), as a rule whose evaluation has not run. A rule's ``Scope``
(``ComplianceResourceTypes``, ``ComplianceResourceId``, ``TagKey``/``TagValue``) limits
what it evaluates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from moto.config.exceptions import (
    InvalidNextTokenException,
    InvalidParameterValueException,
    NoSuchConfigRuleException,
)
from moto.config.models import ConfigBackend, ConfigRule
from moto.config.responses import ConfigResponse
from moto.core.responses import ActionResult

from . import _install, clock
from ._common import paginate, parsed_params, with_token

COMPLIANCE_TYPES = ("COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA")
MAX_LIMIT = 100
CAPPED_COUNT = 100
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

# One evaluation: (resource type, resource id, compliance type, annotation or None).
Result = tuple[str, str, str, str | None]


# --------------------------------------------------------------------------- the account


def _buckets(backend: ConfigBackend) -> list[Any]:
    from moto.s3.models import s3_backends

    s3 = s3_backends[backend.account_id][backend.partition]
    return [b for b in s3.buckets.values() if b.region_name == backend.region_name]


def _bucket_tags(bucket: Any) -> dict[str, str]:
    from moto.s3.models import s3_backends

    s3 = s3_backends[bucket.account_id][bucket.partition]
    return dict(s3.tagger.get_tag_dict_for_resource(bucket.arn))


def _trails(backend: ConfigBackend) -> list[Any]:
    from moto.cloudtrail.models import cloudtrail_backends

    trails = []
    for region, regional in cloudtrail_backends[backend.account_id].items():
        for trail in regional.trails.values():
            if region == backend.region_name or trail.is_multi_region:
                trails.append(trail)
    return trails


def _public_by_acl(bucket: Any) -> bool:
    block = bucket.public_access_block
    if block and (block.ignore_public_acls or block.block_public_acls):
        return False
    for grant in bucket.acl.grants if bucket.acl else []:
        if any(g.uri in (ALL_USERS, AUTHENTICATED_USERS) for g in grant.grantees) and \
                set(grant.permissions) & {"READ", "FULL_CONTROL"}:
            return True
    return False


def _statements(policy: Any) -> Iterator[dict[str, Any]]:
    try:
        document = json.loads(policy.decode() if isinstance(policy, bytes) else policy)
    except (TypeError, ValueError, AttributeError):
        return
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    yield from (s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict))


def _public_by_policy(bucket: Any, actions: tuple[str, ...]) -> bool:
    block = bucket.public_access_block
    if not bucket.policy or (block and (block.block_public_policy or block.restrict_public_buckets)):
        return False
    for statement in _statements(bucket.policy):
        principal = statement.get("Principal")
        anyone = principal == "*" or (isinstance(principal, dict) and "*" in _listed(principal.get("AWS")))
        allowed = {a.lower() for a in _listed(statement.get("Action"))}
        if statement.get("Effect") == "Allow" and anyone and not statement.get("Condition") and \
                allowed & {"*", "s3:*", *actions}:
            return True
    return False


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _open_ssh(group: Any) -> bool:
    for rule in group.ingress_rules:
        ports = rule.ip_protocol in ("-1", "all") or (
            rule.ip_protocol in ("tcp", "6") and (rule.from_port or 0) <= 22 <= (rule.to_port or 0)
        )
        everywhere = any(r.get("CidrIp") == "0.0.0.0/0" for r in rule.ip_ranges) or any(
            r.get("CidrIpv6") == "::/0" for r in getattr(rule, "ipv6_ranges", []) or []
        )
        if ports and everywhere:
            return True
    return False


# --------------------------------------------------------------------------- managed rules


def _per_bucket(test: Callable[[Any], str | None]) -> Callable[[ConfigBackend, ConfigRule], list[Result]]:
    """A bucket rule: `test` returns None (compliant) or why the bucket is not."""

    def evaluate(backend: ConfigBackend, rule: ConfigRule) -> list[Result]:
        out = []
        for bucket in _buckets(backend):
            why = test(bucket)
            out.append(("AWS::S3::Bucket", bucket.name, "NON_COMPLIANT" if why else "COMPLIANT", why))
        return out

    return evaluate


def _versioning(bucket: Any) -> str | None:
    return None if bucket.versioning_status == "Enabled" else "Versioning is not enabled for this bucket."


def _logging(bucket: Any) -> str | None:
    return None if (bucket.logging or {}).get("TargetBucket") else "Server access logging is not enabled."


def _encryption(bucket: Any) -> str | None:
    return None if bucket.encryption else "Default encryption is not enabled."


def _public_read(bucket: Any) -> str | None:
    if _public_by_acl(bucket):
        return "The bucket ACL allows public read access."
    if _public_by_policy(bucket, ("s3:getobject", "s3:listbucket", "s3:get*")):
        return "The bucket policy allows public read access."
    return None


def _public_write(bucket: Any) -> str | None:
    block = bucket.public_access_block
    for grant in bucket.acl.grants if bucket.acl and not (block and block.ignore_public_acls) else []:
        if any(g.uri == ALL_USERS for g in grant.grantees) and set(grant.permissions) & {"WRITE", "FULL_CONTROL"}:
            return "The bucket ACL allows public write access."
    if _public_by_policy(bucket, ("s3:putobject", "s3:deleteobject", "s3:put*")):
        return "The bucket policy allows public write access."
    return None


def _required_tags(backend: ConfigBackend, rule: ConfigRule) -> list[Result]:
    wanted = {}
    parameters = rule.input_parameters_dict or {}
    for n in range(1, 7):
        key = parameters.get(f"tag{n}Key")
        if key:
            wanted[key] = {v.strip() for v in str(parameters.get(f"tag{n}Value") or "").split(",") if v.strip()}
    out = []
    for bucket in _buckets(backend):
        tags = _bucket_tags(bucket)
        missing = [k for k, values in wanted.items() if k not in tags or (values and tags[k] not in values)]
        why = f"Missing or wrong tags: {', '.join(missing)}." if missing else None
        out.append(("AWS::S3::Bucket", bucket.name, "NON_COMPLIANT" if why else "COMPLIANT", why))
    return out


def _account(test: Callable[[ConfigBackend, ConfigRule], str | None]) -> Callable[[ConfigBackend, ConfigRule], list[Result]]:
    """A periodic rule over the account itself (resource AWS::::Account, id the account)."""

    def evaluate(backend: ConfigBackend, rule: ConfigRule) -> list[Result]:
        why = test(backend, rule)
        return [("AWS::::Account", backend.account_id, "NON_COMPLIANT" if why else "COMPLIANT", why)]

    return evaluate


def _cloudtrail_enabled(backend: ConfigBackend, rule: ConfigRule) -> str | None:
    logging = [t for t in _trails(backend) if t.status.is_logging]
    return None if logging else "No trail is logging in this Region."


def _multi_region_trail(backend: ConfigBackend, rule: ConfigRule) -> str | None:
    trails = [t for t in _trails(backend) if t.is_multi_region and t.status.is_logging]
    return None if trails else "No multi-Region trail is logging."


def _log_file_validation(backend: ConfigBackend, rule: ConfigRule) -> list[Result]:
    return [
        ("AWS::CloudTrail::Trail", t.trail_name, "COMPLIANT" if t.log_validation else "NON_COMPLIANT",
         None if t.log_validation else "Log file validation is not enabled.")
        for t in _trails(backend)
    ]


def _guardduty_enabled(backend: ConfigBackend, rule: ConfigRule) -> str | None:
    from moto.guardduty.models import guardduty_backends

    detectors = guardduty_backends[backend.account_id][backend.region_name].detectors.values()
    return None if any(d.enabled for d in detectors) else "GuardDuty is not enabled in this Region."


def _securityhub_enabled(backend: ConfigBackend, rule: ConfigRule) -> str | None:
    from moto.securityhub.models import securityhub_backends

    return None if securityhub_backends[backend.account_id][backend.region_name].enabled \
        else "Security Hub is not enabled in this Region."


def _ssh(backend: ConfigBackend, rule: ConfigRule) -> list[Result]:
    from moto.ec2.models import ec2_backends

    groups = ec2_backends[backend.account_id][backend.region_name].groups
    return [
        ("AWS::EC2::SecurityGroup", g.id, "NON_COMPLIANT" if _open_ssh(g) else "COMPLIANT",
         "SSH (port 22) is open to the internet." if _open_ssh(g) else None)
        for vpc in groups.values() for g in vpc.values()
    ]


EVALUATORS: dict[str, Callable[[ConfigBackend, ConfigRule], list[Result]]] = {
    "S3_BUCKET_VERSIONING_ENABLED": _per_bucket(_versioning),
    "S3_BUCKET_LOGGING_ENABLED": _per_bucket(_logging),
    "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED": _per_bucket(_encryption),
    "S3_BUCKET_PUBLIC_READ_PROHIBITED": _per_bucket(_public_read),
    "S3_BUCKET_PUBLIC_WRITE_PROHIBITED": _per_bucket(_public_write),
    "REQUIRED_TAGS": _required_tags,
    "CLOUD_TRAIL_ENABLED": _account(_cloudtrail_enabled),
    "MULTI_REGION_CLOUD_TRAIL_ENABLED": _account(_multi_region_trail),
    "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED": _log_file_validation,
    "GUARDDUTY_ENABLED_CENTRALIZED": _account(_guardduty_enabled),
    "SECURITYHUB_ENABLED": _account(_securityhub_enabled),
    "INCOMING_SSH_DISABLED": _ssh,
}


# --------------------------------------------------------------------------- results


def results(backend: ConfigBackend) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Rule name -> (resource type, id) -> the evaluation result as the API returns it."""
    return _install.backend_state(backend, "compliance", dict)


def _in_scope(rule: ConfigRule, resource_type: str, resource_id: str, tags: dict[str, str] | None) -> bool:
    scope = rule.scope
    if scope is None:
        return True
    types = getattr(scope, "compliance_resource_types", None) or []
    if types and resource_type not in types:
        return False
    wanted_id = getattr(scope, "compliance_resource_id", None)
    if wanted_id and resource_id != wanted_id:
        return False
    if scope.tags:
        (key, value), = scope.tags.items()
        if tags is None or key not in tags or (value and tags[key] != value):
            return False
    return True


def _tags_of(backend: ConfigBackend, resource_type: str, resource_id: str) -> dict[str, str] | None:
    if resource_type == "AWS::S3::Bucket":
        bucket = next((b for b in _buckets(backend) if b.name == resource_id), None)
        return _bucket_tags(bucket) if bucket else None
    return None


def evaluate(backend: ConfigBackend, names: list[str] | None = None) -> None:
    """Evaluate the named rules (all when None) now, keeping unchanged results as they were."""
    now = clock.now()
    stored = results(backend)
    for name in names if names is not None else list(backend.config_rules):
        rule = backend.config_rules.get(name)
        if rule is None:
            continue
        evaluator = EVALUATORS.get(rule.source.source_identifier) if rule.source.owner == "AWS" else None
        if evaluator is None:
            continue
        current = stored.setdefault(name, {})
        seen = set()
        for resource_type, resource_id, compliance, annotation in evaluator(backend, rule):
            if not _in_scope(rule, resource_type, resource_id, _tags_of(backend, resource_type, resource_id)):
                continue
            key = (resource_type, resource_id)
            seen.add(key)
            before = current.get(key)
            if before and before["ComplianceType"] == compliance:
                before["ConfigRuleInvokedTime"] = now
                continue
            item: dict[str, Any] = {
                "EvaluationResultIdentifier": {
                    "EvaluationResultQualifier": {
                        "ConfigRuleName": name,
                        "ResourceType": resource_type,
                        "ResourceId": resource_id,
                        "EvaluationMode": "DETECTIVE",
                    },
                    "OrderingTimestamp": now,
                },
                "ComplianceType": compliance,
                "ResultRecordedTime": now,
                "ConfigRuleInvokedTime": now,
            }
            if annotation:
                item["Annotation"] = annotation
            current[key] = item
        for key in set(current) - seen:  # a deleted resource has no result any more
            del current[key]


def forget(backend: ConfigBackend) -> None:
    """Drop the results of rules that no longer exist."""
    stored = results(backend)
    for name in set(stored) - set(backend.config_rules):
        del stored[name]


def _types(params: dict[str, Any]) -> set[str]:
    wanted = params.get("ComplianceTypes") or []
    for value in wanted:
        if value not in COMPLIANCE_TYPES:
            raise InvalidParameterValueException(f"{value} is not a valid compliance type.")
    return set(wanted)


def rule_compliance(backend: ConfigBackend, name: str) -> dict[str, Any]:
    items = list(results(backend).get(name, {}).values())
    noncompliant = sum(1 for i in items if i["ComplianceType"] == "NON_COMPLIANT")
    if noncompliant:
        return {"ComplianceType": "NON_COMPLIANT",
                "ComplianceContributorCount": {"CappedCount": min(noncompliant, CAPPED_COUNT),
                                               "CapExceeded": noncompliant > CAPPED_COUNT}}
    if any(i["ComplianceType"] == "COMPLIANT" for i in items):
        return {"ComplianceType": "COMPLIANT"}
    if items:
        return {"ComplianceType": "NOT_APPLICABLE"}
    return {"ComplianceType": "INSUFFICIENT_DATA"}


def _named_rules(backend: ConfigBackend, names: list[str] | None) -> list[str]:
    for name in names or []:
        if name not in backend.config_rules:
            raise NoSuchConfigRuleException(name)
    return list(dict.fromkeys(names)) if names else list(backend.config_rules)


def _page(items: list[Any], params: dict[str, Any], checked: Any, key: str) -> tuple[list[Any], str | None]:
    limit = params.get("Limit")
    if limit is not None and not 0 <= int(limit) <= MAX_LIMIT:
        raise InvalidParameterValueException(f"Limit must be between 0 and {MAX_LIMIT}.")
    for number, item in enumerate(items):
        item.setdefault("_order", number)
    page, token = paginate(items, max_results=int(limit) if limit else None, default=MAX_LIMIT,
                           next_token=params.get("NextToken") or None, unique_attribute="_order",
                           params=checked, error=InvalidNextTokenException)
    return [{k: v for k, v in i.items() if k != "_order"} for i in page], token


def _fresh(self: ConfigResponse) -> ConfigBackend:
    backend = self.config_backend
    forget(backend)
    evaluate(backend)
    return backend


def describe_compliance_by_config_rule(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeComplianceByConfigRule")
    backend = _fresh(self)
    wanted = _types(params)
    out = []
    for name in _named_rules(backend, params.get("ConfigRuleNames")):
        compliance = rule_compliance(backend, name)
        if not wanted or compliance["ComplianceType"] in wanted:
            out.append({"ConfigRuleName": name, "Compliance": compliance})
    return ActionResult({"ComplianceByConfigRules": out})


def get_compliance_details_by_config_rule(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "GetComplianceDetailsByConfigRule")
    backend = _fresh(self)
    name = params["ConfigRuleName"]
    _named_rules(backend, [name])
    wanted = _types(params)
    items = [dict(i) for i in results(backend).get(name, {}).values()
             if not wanted or i["ComplianceType"] in wanted]
    page, token = _page(items, params, (name, tuple(sorted(wanted))), "EvaluationResults")
    return ActionResult(with_token({"EvaluationResults": page}, token))


def _by_resource(backend: ConfigBackend, resource_type: str | None, resource_id: str | None) -> list[dict[str, Any]]:
    return [
        dict(item)
        for rule in results(backend).values()
        for (rtype, rid), item in rule.items()
        if (not resource_type or rtype == resource_type) and (not resource_id or rid == resource_id)
    ]


def get_compliance_details_by_resource(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "GetComplianceDetailsByResource")
    backend = _fresh(self)
    if not params.get("ResourceType") or not params.get("ResourceId"):
        raise InvalidParameterValueException("ResourceType and ResourceId are required.")
    wanted = _types(params)
    items = [i for i in _by_resource(backend, params["ResourceType"], params["ResourceId"])
             if not wanted or i["ComplianceType"] in wanted]
    return ActionResult({"EvaluationResults": items})


def describe_compliance_by_resource(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeComplianceByResource")
    backend = _fresh(self)
    wanted = _types(params)
    grouped: dict[tuple[str, str], list[str]] = {}
    for item in _by_resource(backend, params.get("ResourceType"), params.get("ResourceId")):
        q = item["EvaluationResultIdentifier"]["EvaluationResultQualifier"]
        grouped.setdefault((q["ResourceType"], q["ResourceId"]), []).append(item["ComplianceType"])
    out = []
    for (rtype, rid), kinds in grouped.items():
        noncompliant = kinds.count("NON_COMPLIANT")
        compliance: dict[str, Any] = {"ComplianceType": "NON_COMPLIANT" if noncompliant else
                                      "COMPLIANT" if "COMPLIANT" in kinds else "NOT_APPLICABLE"}
        if noncompliant:
            compliance["ComplianceContributorCount"] = {"CappedCount": noncompliant, "CapExceeded": False}
        if not wanted or compliance["ComplianceType"] in wanted:
            out.append({"ResourceType": rtype, "ResourceId": rid, "Compliance": compliance})
    page, token = _page(out, params, (params.get("ResourceType"), params.get("ResourceId"),
                                      tuple(sorted(wanted))), "ComplianceByResources")
    return ActionResult(with_token({"ComplianceByResources": page}, token))


def get_compliance_summary_by_config_rule(self: ConfigResponse) -> ActionResult:
    backend = _fresh(self)
    kinds = [rule_compliance(backend, name)["ComplianceType"] for name in backend.config_rules]
    summary = {
        "CompliantResourceCount": {"CappedCount": kinds.count("COMPLIANT"), "CapExceeded": False},
        "NonCompliantResourceCount": {"CappedCount": kinds.count("NON_COMPLIANT"), "CapExceeded": False},
        "ComplianceSummaryTimestamp": clock.now(),
    }
    return ActionResult({"ComplianceSummary": summary})


def _on_put_config_rule(original: Any) -> Any:
    def put_config_rule(self: ConfigBackend, config_rule: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        result = original(self, config_rule, *args, **kwargs)
        name = config_rule.get("ConfigRuleName")
        if name in self.config_rules:
            results(self).pop(name, None)  # a changed rule is evaluated afresh
            evaluate(self, [name])
        return result

    return put_config_rule


def _on_delete_config_rule(original: Any) -> Any:
    def delete_config_rule(self: ConfigBackend, rule_name: str) -> None:
        original(self, rule_name)
        results(self).pop(rule_name, None)

    return delete_config_rule


def register() -> None:
    _install.add_operations("config", ConfigResponse, {
        "DescribeComplianceByConfigRule": describe_compliance_by_config_rule,
        "GetComplianceDetailsByConfigRule": get_compliance_details_by_config_rule,
        "GetComplianceDetailsByResource": get_compliance_details_by_resource,
        "DescribeComplianceByResource": describe_compliance_by_resource,
        "GetComplianceSummaryByConfigRule": get_compliance_summary_by_config_rule,
    })
    _install.wrap_method("config", ConfigBackend, "put_config_rule", _on_put_config_rule)
    _install.wrap_method("config", ConfigBackend, "delete_config_rule", _on_delete_config_rule)
