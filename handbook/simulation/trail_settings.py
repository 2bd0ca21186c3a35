"""CloudTrail's checks on a trail's encryption key and on organization trails.

moto 5.2.5 stores whatever a trail is given: ``--kms-key-id alias/typo`` is kept as written,
and any account may mark its trail an organization trail. CloudTrail does neither, and an
exercise that asks for them must be able to tell a right attempt from a wrong one. So, around
moto's ``CloudTrailBackend.create_trail`` and ``update_trail`` (wrapped, moto's own code runs):

- a KMS key given as a key id, key ARN, alias name or alias ARN is resolved to the key's ARN,
  which is what ``GetTrail`` then reports (as CloudTrail does); a key that does not exist in
  the trail's Region is refused with ``KmsKeyNotFoundException``;
- ``IsOrganizationTrail`` is refused unless the caller's account manages an organization
  (``OrganizationsNotInUseException``, ``NotOrganizationMasterAccountException``), with all
  features (``OrganizationNotInAllFeaturesModeException``) and CloudTrail's trusted access
  enabled (``CloudTrailAccessNotEnabledException``), in the order CloudTrail checks them.

Messages follow the API reference's description of each error.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from moto.cloudtrail.models import CloudTrailBackend
from moto.core.exceptions import JsonRESTError

from . import _install

SERVICE_PRINCIPAL = "cloudtrail.amazonaws.com"


class TrailSettingError(JsonRESTError):
    code = 400

    def __init__(self, error: str, message: str):
        super().__init__(error, message)


def key_arn(account_id: str, region: str, given: str) -> str:
    """The ARN of the KMS key `given` names (id, ARN, alias, alias ARN), or KmsKeyNotFoundException."""
    from moto.kms.models import kms_backends

    kms = kms_backends[account_id][region]
    try:
        key_id = kms.any_id_to_key_id(given)
    except Exception:
        key_id = None
    if not key_id or key_id not in kms.keys:
        raise TrailSettingError("KmsKeyNotFoundException",
                                f"KMS key {given} does not exist in {region}, or is not in the same Region as the trail.")
    return kms.keys[key_id].arn


def check_organization_trail(account_id: str) -> None:
    """Refuse an organization trail outside an organization's management account."""
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[account_id]["aws"]
    org = backend.org
    if org is None:
        member_of = [b.org for per in list(organizations_backends.values()) for b in [per.get("aws")]
                     if b is not None and b.org is not None and account_id in {a.id for a in b.accounts}]
        if member_of:
            raise TrailSettingError("NotOrganizationMasterAccountException",
                                    "This operation can be performed only by the organization's management account.")
        raise TrailSettingError("OrganizationsNotInUseException",
                                "This account is not a member of an organization.")
    if org.master_account_id != account_id:  # pragma: no cover - moto keeps org on the manager's backend
        raise TrailSettingError("NotOrganizationMasterAccountException",
                                "This operation can be performed only by the organization's management account.")
    if org.feature_set != "ALL":
        raise TrailSettingError("OrganizationNotInAllFeaturesModeException",
                                "The organization must have all features enabled for an organization trail.")
    if not any(s.get("ServicePrincipal") == SERVICE_PRINCIPAL for s in backend.services):
        raise TrailSettingError("CloudTrailAccessNotEnabledException",
                                "Trusted access between CloudTrail and Organizations is not enabled: enable it "
                                "for cloudtrail.amazonaws.com in Organizations first.")


def _checked(original: Callable[..., Any], key_name: str, org_name: str) -> Callable[..., Any]:
    signature = inspect.signature(original)

    def checked(self: CloudTrailBackend, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get(org_name):
            check_organization_trail(self.account_id)
        if bound.arguments.get(key_name):
            bound.arguments[key_name] = key_arn(self.account_id, self.region_name, bound.arguments[key_name])
        return original(*bound.args, **bound.kwargs)

    return checked


def register() -> None:
    _install.wrap_method("cloudtrail", CloudTrailBackend, "create_trail",
                         lambda original: _checked(original, "kms_key_id", "is_org_trail"))
    _install.wrap_method("cloudtrail", CloudTrailBackend, "update_trail",
                         lambda original: _checked(original, "kms_key_id", "is_organization_trail"))
