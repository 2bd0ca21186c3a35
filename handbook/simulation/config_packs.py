"""AWS Config conformance packs: deploy a template of rules, see the pack's compliance.

moto 5.2.5 has organization conformance packs only. This module adds the account's own,
on moto's structure (state on the ``ConfigBackend``, rules through moto's own
``put_config_rule``, so the rules evaluate as any other, see ``config_compliance``):

- ``PutConformancePack``: ``ConformancePackName`` (letters, digits and hyphens, starting
  with a letter, up to 256), a template given as ``TemplateBody`` or ``TemplateS3Uri``
  (``s3://bucket/key``, read from the simulated S3), optional ``DeliveryS3Bucket`` and
  ``ConformancePackInputParameters`` (``{"Ref": name}`` in the template resolves to them, or
  to the parameter's ``Default``). The template is YAML or JSON with CloudFormation's shape;
  each resource of type ``AWS::Config::ConfigRule`` becomes a rule named
  ``<ConfigRuleName>-conformance-pack-<8 characters>``, as AWS names a pack's rules. A
  template with no rule, an unreadable one or a missing object is
  ``ConformancePackTemplateValidationException``; a rule Config refuses (moto's checks of
  a managed rule's parameters) fails the whole pack, leaving none of its rules. Putting a
  pack again replaces its rules.
  Deployment completes at once (``CREATE_COMPLETE``).
- ``DescribeConformancePacks``, ``DescribeConformancePackStatus``,
  ``DescribeConformancePackCompliance`` (each rule's compliance), and
  ``GetConformancePackComplianceSummary`` (NON_COMPLIANT when one rule is);
- ``DeleteConformancePack`` removes the pack and its rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from moto.config.exceptions import InvalidParameterValueException
from moto.config.models import ConfigBackend
from moto.config.responses import ConfigResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.moto_api._internal import mock_random

from . import _install, clock
from ._common import parsed_params
from .config_compliance import rule_compliance, evaluate

NAME = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]{0,255}$")
RULE_TYPE = "AWS::Config::ConfigRule"


class ConformancePackTemplateValidationException(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("ConformancePackTemplateValidationException", message)


class NoSuchConformancePackException(JsonRESTError):
    code = 400

    def __init__(self, name: str):
        super().__init__("NoSuchConformancePackException",
                         f"Cannot find conformance pack with name '{name}'.")


def packs(backend: ConfigBackend) -> dict[str, dict[str, Any]]:
    """Pack name -> its details, status and rule names."""
    return _install.backend_state(backend, "conformance_packs", dict)


class _TemplateLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (!Ref name -> {"Ref": name}, !Sub, ...)."""


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}


_TemplateLoader.add_multi_constructor("!", _short_form)


def _template_text(backend: ConfigBackend, params: dict[str, Any]) -> str:
    if params.get("TemplateBody"):
        return params["TemplateBody"]
    uri = params.get("TemplateS3Uri") or ""
    match = re.match(r"^s3://([^/]+)/(.+)$", uri)
    if not match:
        raise InvalidParameterValueException("Provide TemplateBody or a TemplateS3Uri of the form s3://bucket/key.")
    from moto.s3.models import s3_backends

    s3 = s3_backends[backend.account_id][backend.partition]
    bucket = s3.buckets.get(match[1])
    key = bucket.keys.get(match[2]) if bucket else None
    if key is None:
        raise ConformancePackTemplateValidationException(f"The template at {uri} could not be read: no such object.")
    return key.value.decode("utf-8")


def _resolve(value: Any, parameters: dict[str, str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return parameters[value["Ref"]]
        return {k: _resolve(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, parameters) for v in value]
    return value


def rules_of(text: str, inputs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ConfigRule inputs a template declares; the exception if it declares none."""
    try:
        template = yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as problem:
        raise ConformancePackTemplateValidationException(f"The template is not valid YAML or JSON: {problem}")
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise ConformancePackTemplateValidationException("The template has no Resources section.")
    parameters = {name: str(spec.get("Default")) for name, spec in (template.get("Parameters") or {}).items()
                  if isinstance(spec, dict) and spec.get("Default") is not None}
    parameters.update({p["ParameterName"]: p["ParameterValue"] for p in inputs})
    rules = []
    for logical_id, resource in template["Resources"].items():
        if not isinstance(resource, dict) or resource.get("Type") != RULE_TYPE:
            continue
        properties = _resolve(resource.get("Properties") or {}, parameters)
        if not isinstance(properties.get("Source"), dict):
            raise ConformancePackTemplateValidationException(f"The rule {logical_id} has no Source.")
        rule = {"ConfigRuleName": str(properties.get("ConfigRuleName") or logical_id), "Source": properties["Source"]}
        for optional in ("Description", "Scope", "MaximumExecutionFrequency"):
            if properties.get(optional):
                rule[optional] = properties[optional]
        if properties.get("InputParameters"):
            given = properties["InputParameters"]
            rule["InputParameters"] = given if isinstance(given, str) else json.dumps(given)
        rules.append(rule)
    if not rules:
        raise ConformancePackTemplateValidationException(
            f"The template declares no {RULE_TYPE} resource: a conformance pack needs at least one rule.")
    return rules


def _pack(backend: ConfigBackend, name: str) -> dict[str, Any]:
    pack = packs(backend).get(name)
    if pack is None:
        raise NoSuchConformancePackException(name)
    return pack


def _drop_rules(backend: ConfigBackend, pack: dict[str, Any]) -> None:
    for rule in pack["rules"]:
        if rule in backend.config_rules:
            backend.delete_config_rule(rule)


def put_conformance_pack(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "PutConformancePack")
    backend = self.config_backend
    name = params.get("ConformancePackName") or ""
    if not NAME.match(name):
        raise InvalidParameterValueException(
            f"The conformance pack name '{name}' is not valid: start with a letter, then letters, digits or hyphens.")
    inputs = params.get("ConformancePackInputParameters") or []
    rules = rules_of(_template_text(backend, params), inputs)
    existing = packs(backend).get(name)
    if existing:
        _drop_rules(backend, existing)
    pack_id = existing["ConformancePackId"] if existing else f"conformance-pack-{mock_random.get_random_string(12).lower()}"
    arn = f"arn:{backend.partition}:config:{backend.region_name}:{backend.account_id}:conformance-pack/{name}/{pack_id}"
    suffix = mock_random.get_random_string(8).lower()
    names: list[str] = []
    try:
        for rule in rules:
            rule = dict(rule, ConfigRuleName=f"{rule['ConfigRuleName']}-conformance-pack-{suffix}")
            backend.put_config_rule(rule)
            names.append(rule["ConfigRuleName"])
    except Exception:  # a rule moto refuses: the pack is not deployed, none of its rules stay
        _drop_rules(backend, {"rules": names})
        packs(backend).pop(name, None)
        raise
    now = clock.now()
    detail: dict[str, Any] = {"ConformancePackName": name, "ConformancePackArn": arn, "ConformancePackId": pack_id,
                              "ConformancePackInputParameters": inputs, "LastUpdateRequestedTime": now,
                              "CreatedBy": None}
    if params.get("DeliveryS3Bucket"):
        detail["DeliveryS3Bucket"] = params["DeliveryS3Bucket"]
    packs(backend)[name] = {**detail, "rules": names, "completed": now}
    return ActionResult({"ConformancePackArn": arn})


def _details(pack: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in pack.items() if k not in ("rules", "completed") and v is not None}


def _selected(backend: ConfigBackend, names: list[str] | None) -> list[dict[str, Any]]:
    return [_pack(backend, n) for n in names] if names else list(packs(backend).values())


def describe_conformance_packs(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeConformancePacks")
    found = _selected(self.config_backend, params.get("ConformancePackNames"))
    return ActionResult({"ConformancePackDetails": [_details(p) for p in found]})


def describe_conformance_pack_status(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeConformancePackStatus")
    found = _selected(self.config_backend, params.get("ConformancePackNames"))
    return ActionResult({"ConformancePackStatusDetails": [
        {"ConformancePackName": p["ConformancePackName"], "ConformancePackId": p["ConformancePackId"],
         "ConformancePackArn": p["ConformancePackArn"], "ConformancePackState": "CREATE_COMPLETE",
         "StackArn": f"arn:aws:cloudformation:{self.config_backend.region_name}:{self.config_backend.account_id}:"
                     f"stack/awsconfigconforms-{p['ConformancePackName']}/{p['ConformancePackId']}",
         "LastUpdateRequestedTime": p["LastUpdateRequestedTime"], "LastUpdateCompletedTime": p["completed"]}
        for p in found]})


def _pack_rules(backend: ConfigBackend, pack: dict[str, Any]) -> list[dict[str, Any]]:
    evaluate(backend, pack["rules"])
    return [{"ConfigRuleName": rule, "ComplianceType": rule_compliance(backend, rule)["ComplianceType"],
             "Controls": []} for rule in pack["rules"]]


def describe_conformance_pack_compliance(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeConformancePackCompliance")
    pack = _pack(self.config_backend, params["ConformancePackName"])
    filters = params.get("Filters") or {}
    rules = [r for r in _pack_rules(self.config_backend, pack)
             if (not filters.get("ConfigRuleNames") or r["ConfigRuleName"] in filters["ConfigRuleNames"])
             and (not filters.get("ComplianceType") or r["ComplianceType"] == filters["ComplianceType"])]
    return ActionResult({"ConformancePackName": pack["ConformancePackName"],
                         "ConformancePackRuleComplianceList": rules})


def get_conformance_pack_compliance_summary(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "GetConformancePackComplianceSummary")
    out = []
    for pack in _selected(self.config_backend, params.get("ConformancePackNames")):
        kinds = {r["ComplianceType"] for r in _pack_rules(self.config_backend, pack)}
        status = "NON_COMPLIANT" if "NON_COMPLIANT" in kinds else "COMPLIANT" if "COMPLIANT" in kinds \
            else "INSUFFICIENT_DATA"
        out.append({"ConformancePackName": pack["ConformancePackName"], "ConformancePackComplianceStatus": status})
    return ActionResult({"ConformancePackComplianceSummaryList": out})


def delete_conformance_pack(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DeleteConformancePack")
    backend = self.config_backend
    pack = _pack(backend, params["ConformancePackName"])
    _drop_rules(backend, pack)
    del packs(backend)[pack["ConformancePackName"]]
    return ActionResult({})


def register() -> None:
    _install.add_operations("config", ConfigResponse, {
        "PutConformancePack": put_conformance_pack,
        "DescribeConformancePacks": describe_conformance_packs,
        "DescribeConformancePackStatus": describe_conformance_pack_status,
        "DescribeConformancePackCompliance": describe_conformance_pack_compliance,
        "GetConformancePackComplianceSummary": get_conformance_pack_compliance_summary,
        "DeleteConformancePack": delete_conformance_pack,
    })
