"""Security Hub security standards and product integrations (absent from moto 5.2.5).

On moto's structure (state on the ``SecurityHubBackend``, handlers on
``SecurityHubResponse``, rest-json paths in ``moto.securityhub.urls.url_paths``):

- ``DescribeStandards``: the standards of ``data/securityhub_catalogue.yaml`` (ARNs as AWS
  publishes them; the CIS v1.2.0 ruleset ARN has no Region);
- ``BatchEnableStandards`` (1-25 requests, each a known ``StandardsArn``, optional
  ``StandardsInput``) -> subscriptions ``READY`` at once (AWS passes through ``PENDING``);
  ``GetEnabledStandards`` (``StandardsSubscriptionArns``, ``MaxResults``/``NextToken``);
  ``BatchDisableStandards`` -> ``DELETING`` in the answer, then gone;
- ``EnableSecurityHub`` subscribes the default standards (AWS Foundational Security Best
  Practices v1.0.0 and CIS AWS Foundations Benchmark v1.2.0) unless
  ``--no-enable-default-standards``, as AWS does, by wrapping moto's own handler;
- ``DescribeProducts`` (the catalogue's products, or one ``ProductArn``),
  ``EnableImportFindingsForProduct`` (a known product, once: ``ResourceConflictException``
  after), ``ListEnabledProductsForImport`` and ``DisableImportFindingsForProduct``. Security
  Hub enables the AWS services' own integrations by itself: they are listed from the start.

Every operation needs Security Hub enabled (``InvalidAccessException`` otherwise), as the
custom actions of ``securityhub`` do.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from moto.securityhub import urls as securityhub_urls
from moto.securityhub.models import SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse
from moto.utilities.utils import get_partition

from . import _install
from ._common import paginate, parsed_params, with_token
from .securityhub import (
    InvalidAccessException,
    InvalidInputException,
    ResourceConflictException,
    ResourceNotFoundException,
    _require_enabled,
)

CATALOGUE_FILE = Path(__file__).with_name("data") / "securityhub_catalogue.yaml"
MAX_REQUESTS = 25


@lru_cache(maxsize=None)
def catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _region_arn(template: str, backend: SecurityHubBackend) -> str:
    return template.format(partition=get_partition(backend.region_name), region=backend.region_name,
                           account=backend.account_id)


class SecurityHubState:
    def __init__(self) -> None:
        self.subscriptions: dict[str, dict[str, Any]] = {}  # subscription ARN -> subscription
        self.products: dict[str, str] = {}  # product subscription ARN -> product ARN
        self.defaults_seeded = False


def state_of(backend: SecurityHubBackend) -> SecurityHubState:
    state = _install.backend_state(backend, "securityhub_standards", SecurityHubState)
    if not state.defaults_seeded:
        state.defaults_seeded = True
        for product in catalogue()["products"]:
            if product.get("enabled-by-default"):
                arn = _region_arn(product["arn"], backend)
                state.products[_product_subscription(backend, arn)] = arn
    return state


def standards(backend: SecurityHubBackend) -> dict[str, dict[str, Any]]:
    """Standards ARN -> the standard (its subscription path and whether it is a default)."""
    return {_region_arn(s["arn"], backend): s for s in catalogue()["standards"]}


def _subscription_arn(backend: SecurityHubBackend, standard: dict[str, Any]) -> str:
    return (f"arn:{get_partition(backend.region_name)}:securityhub:{backend.region_name}:{backend.account_id}:"
            f"subscription/{standard['path']}")


def subscribe(backend: SecurityHubBackend, standards_arn: str, standards_input: dict[str, str] | None) -> dict[str, Any]:
    known = standards(backend)
    if standards_arn not in known:
        raise InvalidInputException(f"StandardsArn {standards_arn} is not a valid standard.")
    arn = _subscription_arn(backend, known[standards_arn])
    subscription = {"StandardsSubscriptionArn": arn, "StandardsArn": standards_arn,
                    "StandardsInput": dict(standards_input or {}), "StandardsStatus": "READY"}
    state_of(backend).subscriptions[arn] = subscription
    return subscription


def _product_subscription(backend: SecurityHubBackend, product_arn: str) -> str:
    company_product = product_arn.split(":product/", 1)[1]
    return (f"arn:{get_partition(backend.region_name)}:securityhub:{backend.region_name}:{backend.account_id}:"
            f"product-subscription/{company_product}")


# --------------------------------------------------------------------------- standards


def describe_standards(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "DescribeStandards")
    backend = self.securityhub_backend
    _require_enabled(backend)
    items = [{"StandardsArn": arn, "Name": s["name"], "Description": s["description"],
              "EnabledByDefault": bool(s.get("default")),
              "StandardsManagedBy": {"Company": "AWS", "Product": "Security Hub"}}
             for arn, s in standards(backend).items()]
    return _paged(items, params, "Standards", "StandardsArn", ())


def _paged(items: list[dict[str, Any]], params: dict[str, Any], key: str, unique: str, checked: Any) -> str:
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= int(max_results) <= 100:
        raise InvalidInputException("MaxResults must be a number between 1 and 100")
    page, token = paginate(items, max_results=max_results, default=100, next_token=params.get("NextToken") or None,
                           unique_attribute=unique, params=checked, error=InvalidInputException)
    return json.dumps(with_token({key: page}, token))


def batch_enable_standards(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "BatchEnableStandards")
    backend = self.securityhub_backend
    _require_enabled(backend)
    requests = params.get("StandardsSubscriptionRequests") or []
    if not 1 <= len(requests) <= MAX_REQUESTS:
        raise InvalidInputException(f"Give between 1 and {MAX_REQUESTS} StandardsSubscriptionRequests.")
    known = standards(backend)
    for request in requests:  # all or nothing
        if request.get("StandardsArn") not in known:
            raise InvalidInputException(f"StandardsArn {request.get('StandardsArn')} is not a valid standard.")
    done = [subscribe(backend, r["StandardsArn"], r.get("StandardsInput")) for r in requests]
    return json.dumps({"StandardsSubscriptions": done})


def get_enabled_standards(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "GetEnabledStandards")
    backend = self.securityhub_backend
    _require_enabled(backend)
    subscriptions = state_of(backend).subscriptions
    wanted = params.get("StandardsSubscriptionArns") or []
    items = [subscriptions[a] for a in wanted if a in subscriptions] if wanted else list(subscriptions.values())
    return _paged(items, params, "StandardsSubscriptions", "StandardsSubscriptionArn", tuple(wanted))


def batch_disable_standards(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "BatchDisableStandards")
    backend = self.securityhub_backend
    _require_enabled(backend)
    arns = params.get("StandardsSubscriptionArns") or []
    subscriptions = state_of(backend).subscriptions
    if not 1 <= len(arns) <= MAX_REQUESTS:
        raise InvalidInputException(f"Give between 1 and {MAX_REQUESTS} StandardsSubscriptionArns.")
    for arn in arns:
        if arn not in subscriptions:
            raise ResourceNotFoundException(f"StandardsSubscription {arn} not found.")
    gone = [dict(subscriptions.pop(arn), StandardsStatus="DELETING") for arn in arns]
    return json.dumps({"StandardsSubscriptions": gone})


def _on_enable_security_hub(original: Any) -> Any:
    def enable_security_hub(self: SecurityHubBackend, enable_default_standards: bool = True,
                            tags: dict[str, str] | None = None) -> Any:
        was = self.enabled
        result = original(self, enable_default_standards=enable_default_standards, tags=tags)
        if not was and enable_default_standards is not False:
            for arn, standard in standards(self).items():
                if standard.get("default"):
                    subscribe(self, arn, {})
        return result

    return enable_security_hub


def _on_disable_security_hub(original: Any) -> Any:
    def disable_security_hub(self: SecurityHubBackend, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        state_of(self).subscriptions.clear()
        return result

    return disable_security_hub


# --------------------------------------------------------------------------- products


def describe_products(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "DescribeProducts")
    backend = self.securityhub_backend
    _require_enabled(backend)
    items = [{"ProductArn": _region_arn(p["arn"], backend), "ProductName": p["name"], "CompanyName": p["company"],
              "Description": p["description"], "Categories": list(p.get("categories") or []),
              "IntegrationTypes": list(p.get("integration-types") or ["SEND_FINDINGS_TO_SECURITY_HUB"])}
             for p in catalogue()["products"]]
    if params.get("ProductArn"):
        items = [i for i in items if i["ProductArn"] == params["ProductArn"]]
    return _paged(items, params, "Products", "ProductArn", params.get("ProductArn"))


def enable_import_findings_for_product(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "EnableImportFindingsForProduct")
    backend = self.securityhub_backend
    _require_enabled(backend)
    product_arn = params.get("ProductArn") or ""
    known = {_region_arn(p["arn"], backend) for p in catalogue()["products"]}
    if product_arn not in known:
        raise InvalidInputException(f"ProductArn {product_arn} is not a product that Security Hub integrates with.")
    state = state_of(backend)
    arn = _product_subscription(backend, product_arn)
    if arn in state.products:
        raise ResourceConflictException(f"The product {product_arn} is already enabled.")
    state.products[arn] = product_arn
    return json.dumps({"ProductSubscriptionArn": arn})


def list_enabled_products_for_import(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "ListEnabledProductsForImport")
    backend = self.securityhub_backend
    _require_enabled(backend)
    items = [{"arn": a} for a in state_of(backend).products]
    max_results = params.get("MaxResults")
    page, token = paginate(items, max_results=max_results, default=100, next_token=params.get("NextToken") or None,
                           unique_attribute="arn", params=(), error=InvalidInputException)
    return json.dumps(with_token({"ProductSubscriptions": [i["arn"] for i in page]}, token))


def disable_import_findings_for_product(self: SecurityHubResponse) -> str:
    params = parsed_params(self, "DisableImportFindingsForProduct")
    backend = self.securityhub_backend
    _require_enabled(backend)
    arn = params.get("ProductSubscriptionArn")
    if state_of(backend).products.pop(arn, None) is None:
        raise ResourceNotFoundException(f"ProductSubscription {arn} not found.")
    return "{}"


ROUTES = {
    "{0}/standards$": "DescribeStandards",
    "{0}/standards/register$": "BatchEnableStandards",
    "{0}/standards/deregister$": "BatchDisableStandards",
    "{0}/standards/get$": "GetEnabledStandards",
    "{0}/products$": "DescribeProducts",
    "{0}/productSubscriptions$": "EnableImportFindingsForProduct ListEnabledProductsForImport",
    "{0}/productSubscriptions/(?P<product_subscription_arn>.+)$": "DisableImportFindingsForProduct",
}


def register() -> None:
    _install.add_operations("securityhub", SecurityHubResponse, {
        "DescribeStandards": describe_standards,
        "BatchEnableStandards": batch_enable_standards,
        "BatchDisableStandards": batch_disable_standards,
        "GetEnabledStandards": get_enabled_standards,
        "DescribeProducts": describe_products,
        "EnableImportFindingsForProduct": enable_import_findings_for_product,
        "ListEnabledProductsForImport": list_enabled_products_for_import,
        "DisableImportFindingsForProduct": disable_import_findings_for_product,
    })
    _install.wrap_method("securityhub", SecurityHubBackend, "enable_security_hub", _on_enable_security_hub)
    _install.wrap_method("securityhub", SecurityHubBackend, "disable_security_hub", _on_disable_security_hub)
    _install.add_routes("securityhub", securityhub_urls.url_paths, ROUTES, SecurityHubResponse.dispatch)


__all__ = ["InvalidAccessException", "register", "state_of", "catalogue"]
