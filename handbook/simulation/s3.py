"""S3 as the other services see it: its calls in CloudTrail, its server access log lines.

moto answers S3 outside ``BaseResponse.call_action`` (``S3Response.bucket_response`` and
``key_response``), so the CloudTrail recorder never sees it; and moto's server access log
(``S3Backend.log_incoming_request``) writes a placeholder line (address 0.0.0.0, no
requester, no key, status always 200, the wall clock) before the call is even answered.
This module wraps the two dispatch methods so that, once S3 has answered:

- CloudTrail records the call (``cloudtrail.record_s3_call``): bucket calls as management
  events, object calls as data events for the trails that select them;
- a bucket with server access logging on gets one log line per request in its target
  bucket, in the documented format (bucket owner, bucket, [time], remote IP, requester,
  request id, operation such as ``REST.GET.OBJECT``, key, request-URI, status, error code,
  bytes sent, object size, times, referer, user agent, version id, host id, signature
  version, cipher suite, authentication type, host header, TLS version, access point ARN,
  ACL required), at the simulation's clock, from the caller's address;

and replaces moto's placeholder logger with nothing (its line would be wrong and doubled).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from moto.moto_api._internal import mock_random
from moto.s3.models import OWNER, S3Backend, s3_backends
from moto.s3.responses import S3Response
from moto.utilities.utils import get_partition

from . import _install, clock
from .cloudtrail import record_s3_call, source_address, user_identity

log = logging.getLogger(__name__)

# The bucket sub-resources of a request, as the access log names the operation (REST.PUT.<this>).
SUBRESOURCES = {
    "policy": "BUCKETPOLICY", "acl": "ACL", "publicAccessBlock": "PUBLIC_ACCESS_BLOCK",
    "versioning": "VERSIONING", "logging": "LOGGING_STATUS", "encryption": "ENCRYPTION",
    "tagging": "TAGGING", "versions": "BUCKETVERSIONS", "location": "LOCATION",
}


# S3's API operations by method and sub-resource (moto's own action names are IAM actions).
BUCKET_OPERATIONS = {
    ("PUT", ""): "CreateBucket", ("DELETE", ""): "DeleteBucket", ("HEAD", ""): "HeadBucket",
    ("GET", ""): "ListObjects", ("GET", "list-type"): "ListObjectsV2", ("GET", "versions"): "ListObjectVersions",
    ("PUT", "policy"): "PutBucketPolicy", ("GET", "policy"): "GetBucketPolicy", ("DELETE", "policy"): "DeleteBucketPolicy",
    ("GET", "policyStatus"): "GetBucketPolicyStatus",
    ("PUT", "acl"): "PutBucketAcl", ("GET", "acl"): "GetBucketAcl",
    ("PUT", "publicAccessBlock"): "PutPublicAccessBlock", ("GET", "publicAccessBlock"): "GetPublicAccessBlock",
    ("DELETE", "publicAccessBlock"): "DeletePublicAccessBlock",
    ("PUT", "versioning"): "PutBucketVersioning", ("GET", "versioning"): "GetBucketVersioning",
    ("PUT", "logging"): "PutBucketLogging", ("GET", "logging"): "GetBucketLogging",
    ("PUT", "encryption"): "PutBucketEncryption", ("GET", "encryption"): "GetBucketEncryption",
    ("PUT", "tagging"): "PutBucketTagging", ("GET", "tagging"): "GetBucketTagging",
    ("GET", "location"): "GetBucketLocation",
}
OBJECT_OPERATIONS = {
    ("GET", ""): "GetObject", ("PUT", ""): "PutObject", ("DELETE", ""): "DeleteObject", ("HEAD", ""): "HeadObject",
    ("GET", "acl"): "GetObjectAcl", ("PUT", "acl"): "PutObjectAcl",
    ("GET", "tagging"): "GetObjectTagging", ("PUT", "tagging"): "PutObjectTagging",
}


def operation_of(method: str, query: str, object_call: bool) -> str | None:
    """The API operation of an S3 request, from its method and first sub-resource (None: not known here)."""
    names = [part.split("=")[0] for part in query.split("&") if part] if query else []
    table = OBJECT_OPERATIONS if object_call else BUCKET_OPERATIONS
    for name in names:
        if (method, name) in table:
            return table[(method, name)]
    return table.get((method, ""))


def access_log_line(*, bucket: str, moment: datetime, address: str, requester: str, operation: str,
                    key: str | None, request_uri: str, status: int, error: str | None, sent: int,
                    size: int | None, user_agent: str, host: str) -> str:
    """One S3 server access log record, in the documented field order."""
    request_id = mock_random.get_random_hex(16).upper()
    host_id = mock_random.get_random_hex(56)
    return (f'{OWNER} {bucket} [{moment:%d/%b/%Y:%H:%M:%S} +0000] {address} {requester} {request_id} '
            f'{operation} {key or "-"} "{request_uri}" {status} {error or "-"} {sent or "-"} '
            f'{size if size is not None else "-"} 1 - "-" "{user_agent or "-"}" - {host_id} SigV4 '
            f'ECDHE-RSA-AES128-GCM-SHA256 {"AuthHeader" if requester != "-" else "-"} {host} TLSv1.2 - -')


def _after(response: S3Response, request: Any, full_url: str, result: Any, *, object_call: bool) -> None:
    status, headers, body = result
    bucket = response.parse_bucket_name_from_url(request, full_url) or None
    key = response.parse_key_name() if object_call and bucket else None
    action = operation_of(request.method, urlparse(request.url).query, object_call and bool(key))
    if bucket is None:
        action = "ListBuckets" if request.method == "GET" else None
    region = response.region or "us-east-1"
    caller = response.current_account  # the account of the signing key
    # A call on another account's bucket is recorded where the bucket is: its owner's trail and logs.
    account = s3_backends.bucket_accounts.get(bucket, (None, caller))[1] if bucket else caller
    request_headers = dict(request.headers or {})
    agent = request_headers.get("User-Agent", "")
    record_s3_call(account, region, action, request_headers, bucket, key, int(status), body, agent, caller=caller)
    if bucket:
        _log_access(account, region, bucket, key, request, request_headers, int(status), body, agent, caller)


def _log_access(account: str, region: str, bucket_name: str, key: str | None, request: Any,
                headers: dict, status: int, body: Any, agent: str, caller: str) -> None:
    backend: S3Backend = s3_backends[account][get_partition(region)]
    bucket = backend.buckets.get(bucket_name)
    target = (bucket.logging or {}).get("TargetBucket") if bucket is not None else None
    if not target or target not in backend.buckets:
        return
    url = urlparse(request.url)
    query = url.query.split("&")[0].split("=")[0] if url.query else ""
    what = "OBJECT" if key else SUBRESOURCES.get(query, "BUCKET")
    auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
    requester = "-"
    if "Credential=" in auth:
        access_key = auth.split("Credential=", 1)[1].split("/", 1)[0]
        requester = user_identity(caller, access_key, region)["arn"]
    size = None
    if key and status < 300:
        stored = bucket.keys.get(key)
        size = getattr(stored, "size", None)
    line = access_log_line(
        bucket=bucket_name, moment=clock.now(), address=source_address(headers), requester=requester,
        operation=f"REST.{request.method}.{what}", key=key,
        request_uri=f"{request.method} {url.path}{'?' + url.query if url.query else ''} HTTP/1.1",
        status=status, error=None if status < 400 else str(status), sent=len(body or b"") if status < 400 else 0,
        size=size, user_agent=agent, host=url.netloc)
    name = f"{bucket.logging.get('TargetPrefix', '')}{clock.now():%Y-%m-%d-%H-%M-%S}-{mock_random.get_random_hex(16).upper()}"
    backend.put_object(target, name, (line + "\n").encode("utf-8"))


def _observed(object_call: bool) -> Any:
    def make(dispatch: Any) -> Any:
        def observed(self: S3Response, request: Any, full_url: str, headers: Any) -> Any:
            result = dispatch(self, request, full_url, headers)
            try:
                _after(self, request, full_url, result, object_call=object_call)
            except Exception:  # never let a log break the call it observes
                log.warning("S3 simulation could not log a call", exc_info=True)
            return result
        return observed
    return make


def _no_placeholder_log(self: S3Backend, request: Any, bucket_name: str) -> None:
    """moto's placeholder access log line, replaced by the line written once S3 has answered."""


def register() -> None:
    _install.wrap_method("s3", S3Response, "bucket_response", _observed(object_call=False))
    _install.wrap_method("s3", S3Response, "key_response", _observed(object_call=True))
    _install.replace_method("s3", S3Backend, "log_incoming_request", _no_placeholder_log)
