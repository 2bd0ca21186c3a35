"""AWS Config's configuration timeline of S3 buckets: ``GetResourceConfigHistory`` over time.

moto 5.2.5 answers ``GetResourceConfigHistory`` with one item, the resource as it is now,
whatever the time range, and records nothing as the resource changes. AWS Config records a
configuration item each time a recorded resource changes while the configuration recorder
is on. This module does that for S3 buckets, the resource type the handbook's incidents
change, on moto's structure:

- the items live on the ``ConfigBackend`` of the bucket's Region (wiped by moto's reset);
- while a configuration recorder of that Region is recording, each change made through
  moto's ``S3Backend`` (creation, deletion, bucket policy, ACL, Block Public Access,
  versioning, logging, default encryption, tags) adds an item, at the simulation's clock
  (``clock.now()``: a scenario's declared times), when the bucket's recorded configuration
  differs from its last item; starting the recorder discovers the existing buckets
  (``ResourceDiscovered``); a deleted bucket gets a ``ResourceDeleted`` item;
- each item is moto's own configuration item of the bucket (``s3_config_query``), plus the
  ``BucketVersioningConfiguration`` and ``PublicAccessBlockConfiguration`` that AWS also
  records in ``supplementaryConfiguration``;
- ``GetResourceConfigHistory`` returns the recorded items newest first (``chronologicalOrder
  Forward``: oldest first) between ``earlierTime`` and ``laterTime`` (both inclusive), with
  ``limit`` (0-100, default 10) and ``nextToken``. A resource with no recorded item is
  answered by moto as before (its current configuration), and an unknown one with moto's
  ``ResourceNotDiscoveredException``;
- moto's ``FakeAcl.to_config_dict`` fails on a grant to a global group (a public-read ACL:
  ``IndexError``); it is replaced by one naming the group as AWS Config does
  (``"grantee": "AllUsers"``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from moto.config.exceptions import InvalidNextTokenException, InvalidParameterValueException
from moto.config.models import ConfigBackend, config_backends
from moto.config.responses import ConfigResponse
from moto.core.responses import ActionResult
from moto.s3.models import OWNER, FakeAcl, S3Backend

from . import _install, clock
from ._common import paginate, parsed_params, to_utc, with_token

RESOURCE_TYPE = "AWS::S3::Bucket"
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
# S3Backend methods that change what Config records of a bucket, and the bucket argument's name.
CHANGES = (
    "put_bucket_policy", "delete_bucket_policy", "put_bucket_acl", "put_public_access_block",
    "delete_public_access_block", "put_bucket_versioning", "put_bucket_logging",
    "put_bucket_encryption", "delete_bucket_encryption", "put_bucket_tagging", "delete_bucket_tagging",
)


def history(backend: ConfigBackend) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(resource type, resource id) -> configuration items, oldest first."""
    return _install.backend_state(backend, "config_history", dict)


def recording(backend: ConfigBackend) -> bool:
    return any(r.status.recording for r in backend.recorders.values())


def _config_backend(bucket: Any) -> ConfigBackend:
    return config_backends[bucket.account_id][bucket.region_name]


def snapshot(bucket: Any, status: str) -> dict[str, Any]:
    """The bucket's configuration item now, as Config records it."""
    from moto.s3.config import s3_config_query

    item = s3_config_query.get_config_resource(bucket.account_id, bucket.partition, bucket.name)
    item = dict(item or {})
    supplementary = dict(item.get("supplementaryConfiguration") or {})
    supplementary["BucketVersioningConfiguration"] = json.dumps(
        {"status": bucket.versioning_status or "Off", "isMfaDeleteEnabled": None})
    block = bucket.public_access_block
    if block is not None:
        supplementary["PublicAccessBlockConfiguration"] = json.dumps(block.to_config_dict())
    else:
        supplementary.pop("PublicAccessBlockConfiguration", None)
    item["supplementaryConfiguration"] = supplementary
    item["configurationItemStatus"] = status
    item["resourceCreationTime"] = bucket.creation_date
    item.pop("configurationItemCaptureTime", None)
    return item


def _comparable(item: dict[str, Any]) -> str:
    keep = ("configuration", "supplementaryConfiguration", "tags", "configurationItemStatus")
    return json.dumps({k: item.get(k) for k in keep}, sort_keys=True, default=str)


def record(bucket: Any, status: str = "OK") -> None:
    """Add an item for `bucket` if a recorder is on and its configuration changed."""
    backend = _config_backend(bucket)
    if not recording(backend):
        return
    items = history(backend).setdefault((RESOURCE_TYPE, bucket.name), [])
    if status == "OK" and not items:
        status = "ResourceDiscovered"
    item = snapshot(bucket, status)
    if items and _comparable(items[-1]) == _comparable(item):
        return
    now = clock.now()
    item["configurationItemCaptureTime"] = now
    item["configurationStateId"] = str(int(now.timestamp() * 1000))
    item["configurationItemMD5Hash"] = hashlib.md5(_comparable(item).encode()).hexdigest()
    items.append(item)


def discover(backend: ConfigBackend) -> None:
    """Starting a recorder: an item for each bucket of its Region not yet recorded."""
    from moto.s3.models import s3_backends

    buckets = s3_backends[backend.account_id][backend.partition].buckets.values()
    for bucket in buckets:
        if bucket.region_name == backend.region_name and (RESOURCE_TYPE, bucket.name) not in history(backend):
            record(bucket, "ResourceDiscovered")


def acl_config(self: FakeAcl) -> dict[str, Any]:
    """An ACL as AWS Config records it: a group grantee by its name, a user by id."""
    grants = []
    for grant in self.grants:
        permissions = grant.permissions if isinstance(grant.permissions, list) else [grant.permissions]
        for permission in permissions:
            camel = "".join(part.capitalize() for part in str(permission).split("_"))
            for grantee in grant.grantees:
                who: Any = (grantee.uri.rstrip("/").rsplit("/", 1)[-1] if grantee.uri
                            else {"id": grantee.id, "displayName": grantee.display_name or None})
                grants.append({"grantee": who, "permission": camel})
    data: dict[str, Any] = {"grantSet": None, "owner": {"displayName": None, "id": OWNER}}
    if grants:
        data["grantList"] = grants
    return data


# --------------------------------------------------------------------------- hooks


def _on_change(original: Any) -> Any:
    def changed(self: S3Backend, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        result = original(self, bucket_name, *args, **kwargs)
        bucket = self.buckets.get(bucket_name)
        if bucket is not None:
            record(bucket)
        return result

    return changed


def _on_create(original: Any) -> Any:
    def create_bucket(self: S3Backend, *args: Any, **kwargs: Any) -> Any:
        bucket = original(self, *args, **kwargs)
        record(bucket, "ResourceDiscovered")
        return bucket

    return create_bucket


def _on_delete(original: Any) -> Any:
    def delete_bucket(self: S3Backend, bucket_name: str) -> Any:
        bucket = self.buckets.get(bucket_name)
        result = original(self, bucket_name)
        if bucket is not None and bucket_name not in self.buckets:
            backend = _config_backend(bucket)
            items = history(backend).get((RESOURCE_TYPE, bucket_name))
            if recording(backend) and items:
                now = clock.now()
                items.append({**{k: items[-1][k] for k in ("version", "accountId", "arn", "resourceType",
                                                            "resourceId", "resourceName", "awsRegion")
                                 if k in items[-1]},
                              "configurationItemCaptureTime": now,
                              "configurationItemStatus": "ResourceDeleted",
                              "configurationStateId": str(int(now.timestamp() * 1000)),
                              "relatedEvents": [], "relationships": [], "tags": {},
                              "supplementaryConfiguration": {}})
        return result

    return delete_bucket


def _on_start_recorder(original: Any) -> Any:
    def start_configuration_recorder(self: ConfigBackend, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        discover(self)
        return result

    return start_configuration_recorder


# --------------------------------------------------------------------------- response


def _moto_history(self: ConfigResponse) -> Any:
    """moto's own answer (the resource as it is now), for a resource with no recorded item."""
    for patch in _install.patches():
        if patch.target is ConfigResponse and patch.name == "get_resource_config_history":
            return patch.original(self)
    raise RuntimeError("config_history is not registered")  # pragma: no cover


def get_resource_config_history(self: ConfigResponse) -> Any:
    params = parsed_params(self, "GetResourceConfigHistory")
    items = history(self.config_backend).get((params.get("resourceType"), params.get("resourceId")))
    if not items:
        return _moto_history(self)
    limit = params.get("limit")
    if limit is not None and not 0 <= int(limit) <= MAX_LIMIT:
        raise InvalidParameterValueException(f"limit must be between 0 and {MAX_LIMIT}.")
    earlier = to_utc(params["earlierTime"]) if params.get("earlierTime") is not None else None
    later = to_utc(params["laterTime"]) if params.get("laterTime") is not None else None
    if earlier and later and earlier > later:
        raise InvalidParameterValueException("earlierTime must be earlier than laterTime.")
    order = params.get("chronologicalOrder") or "Reverse"
    selected = [
        dict(i, _order=n) for n, i in enumerate(items)
        if (earlier is None or i["configurationItemCaptureTime"] >= earlier)
        and (later is None or i["configurationItemCaptureTime"] <= later)
    ]
    if order == "Reverse":
        selected.reverse()
    page, token = paginate(selected, max_results=int(limit) if limit else None, default=DEFAULT_LIMIT,
                           next_token=params.get("nextToken") or None, unique_attribute="_order",
                           params=(params.get("resourceType"), params.get("resourceId"), earlier, later, order),
                           error=InvalidNextTokenException)
    return ActionResult(with_token({"configurationItems": [{k: v for k, v in i.items() if k != "_order"} for i in page]}, token, "nextToken"))


def register() -> None:
    _install.override_operation("config", ConfigResponse, "GetResourceConfigHistory", get_resource_config_history)
    _install.replace_method("config", FakeAcl, "to_config_dict", acl_config)
    _install.wrap_method("config", ConfigBackend, "start_configuration_recorder", _on_start_recorder)
    _install.wrap_method("config", S3Backend, "create_bucket", _on_create)
    _install.wrap_method("config", S3Backend, "delete_bucket", _on_delete)
    for name in CHANGES:
        _install.wrap_method("config", S3Backend, name, _on_change)
