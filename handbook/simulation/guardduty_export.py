"""GuardDuty findings exported to S3 (publishing destinations), and one detector per Region.

moto 5.2.5 has neither publishing destinations nor GuardDuty's rule that an account has
one detector per Region (a second ``CreateDetector`` succeeds there). On moto's structure
(state on the ``GuardDutyBackend``, handlers on ``GuardDutyResponse``, rest-json paths in
``moto.guardduty.urls.url_paths``):

- ``CreatePublishingDestination``: ``DestinationType`` ``S3``, ``DestinationProperties``
  with ``DestinationArn`` (a bucket ARN, optionally with a prefix: ``arn:aws:s3:::bucket/
  prefix``) and ``KmsKeyArn`` (GuardDuty encrypts exported findings, so both are required).
  The bucket must exist in the simulated S3 and the key in the simulated KMS, in the
  detector's Region (``BadRequestException`` otherwise, as GuardDuty's check of the
  destination fails). ``ClientToken`` makes a retry return the same destination. The
  destination is ``PUBLISHING`` at once;
- ``DescribePublishingDestination``, ``ListPublishingDestinations`` (``MaxResults`` 1-50,
  ``NextToken``), ``UpdatePublishingDestination`` (new properties, checked the same way)
  and ``DeletePublishingDestination``;
- ``CreateDetector`` when the Region has a detector already: ``BadRequestException``,
  "The request is rejected because a detector already exists for the current account."
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.guardduty import urls as guardduty_urls
from moto.guardduty.models import GuardDutyBackend
from moto.guardduty.responses import GuardDutyResponse
from moto.moto_api._internal import mock_random

from . import _install
from ._common import paginate, parsed_params, with_token
from .guardduty import INVALID_INPUT, BadRequestException

BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<prefix>.*))?$")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):key/(?P<key>[A-Za-z0-9-]+)$")
MAX_RESULTS = 50


def destinations(backend: GuardDutyBackend, detector_id: str) -> dict[str, dict[str, Any]]:
    """Destination id -> destination, for one detector."""
    return _install.backend_state(backend, "publishing_destinations", dict).setdefault(detector_id, {})


def _tokens(backend: GuardDutyBackend) -> dict[tuple[str, str], str]:
    return _install.backend_state(backend, "publishing_tokens", dict)


def check_destination(backend: GuardDutyBackend, kind: str | None, properties: dict[str, Any] | None) -> dict[str, str]:
    """The destination's properties, or the BadRequestException GuardDuty answers."""
    if kind != "S3":
        raise BadRequestException(f"The request is rejected because the destination type '{kind}' is not valid.")
    properties = properties or {}
    arn, key_arn = properties.get("DestinationArn") or "", properties.get("KmsKeyArn") or ""
    bucket = BUCKET_ARN.match(arn)
    if not bucket:
        raise BadRequestException(f"The request is rejected because the destination ARN '{arn}' is not an S3 bucket ARN.")
    from moto.s3.models import s3_backends

    if bucket["bucket"] not in s3_backends[backend.account_id][backend.partition].buckets:
        raise BadRequestException(
            f"The request failed because the S3 bucket {bucket['bucket']} does not exist or GuardDuty cannot access it.")
    key = KEY_ARN.match(key_arn)
    if not key:
        raise BadRequestException(
            "The request is rejected because KmsKeyArn is missing or is not a KMS key ARN: GuardDuty encrypts "
            "exported findings with a KMS key.")
    from moto.kms.models import kms_backends

    if key["region"] != backend.region_name or key["account"] != backend.account_id or \
            key["key"] not in kms_backends[backend.account_id][backend.region_name].keys:
        raise BadRequestException(
            f"The request failed because the KMS key {key_arn} does not exist in {backend.region_name} "
            "or GuardDuty cannot use it.")
    return {"DestinationArn": arn, "KmsKeyArn": key_arn}


def _destination(backend: GuardDutyBackend, detector_id: str, destination_id: str) -> dict[str, Any]:
    backend.get_detector(detector_id)
    found = destinations(backend, detector_id).get(destination_id)
    if found is None:
        raise BadRequestException(
            "The request is rejected because the input destinationId is not owned by the current account.")
    return found


def create_publishing_destination(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "CreatePublishingDestination")
    backend = self.guardduty_backend
    detector_id = params["DetectorId"]
    backend.get_detector(detector_id)
    token = params.get("ClientToken")
    if token and (detector_id, token) in _tokens(backend):
        return json.dumps({"destinationId": _tokens(backend)[(detector_id, token)]})
    properties = check_destination(backend, params.get("DestinationType"), params.get("DestinationProperties"))
    destination_id = mock_random.get_random_hex(length=32)
    destinations(backend, detector_id)[destination_id] = {
        "destinationId": destination_id, "destinationType": "S3", "status": "PUBLISHING",
        "publishingFailureStartTimestamp": 0, "destinationProperties": {
            "destinationArn": properties["DestinationArn"], "kmsKeyArn": properties["KmsKeyArn"]}}
    if token:
        _tokens(backend)[(detector_id, token)] = destination_id
    return json.dumps({"destinationId": destination_id})


def describe_publishing_destination(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "DescribePublishingDestination")
    return json.dumps(_destination(self.guardduty_backend, params["DetectorId"], params["DestinationId"]))


def list_publishing_destinations(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "ListPublishingDestinations")
    backend = self.guardduty_backend
    detector_id = params["DetectorId"]
    backend.get_detector(detector_id)
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= int(max_results) <= MAX_RESULTS:
        raise BadRequestException(INVALID_INPUT)
    items = [{k: d[k] for k in ("destinationId", "destinationType", "status")}
             for d in destinations(backend, detector_id).values()]
    page, token = paginate(items, max_results=max_results, default=MAX_RESULTS, next_token=params.get("NextToken"),
                           unique_attribute="destinationId", params=detector_id, error=BadRequestException)
    return json.dumps(with_token({"destinations": page}, token, "nextToken"))


def update_publishing_destination(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "UpdatePublishingDestination")
    backend = self.guardduty_backend
    found = _destination(backend, params["DetectorId"], params["DestinationId"])
    if params.get("DestinationProperties"):
        properties = check_destination(backend, "S3", params["DestinationProperties"])
        found["destinationProperties"] = {"destinationArn": properties["DestinationArn"],
                                          "kmsKeyArn": properties["KmsKeyArn"]}
    return "{}"


def delete_publishing_destination(self: GuardDutyResponse) -> str:
    params = parsed_params(self, "DeletePublishingDestination")
    backend = self.guardduty_backend
    _destination(backend, params["DetectorId"], params["DestinationId"])
    del destinations(backend, params["DetectorId"])[params["DestinationId"]]
    return "{}"


def _one_detector_per_region(original: Any) -> Any:
    def create_detector(self: GuardDutyResponse) -> Any:
        if self.guardduty_backend.detectors:
            raise BadRequestException(
                "The request is rejected because a detector already exists for the current account.")
        return original(self)

    return create_detector


ROUTES = {
    "{0}/detector/(?P<detector_id>[^/]+)/publishingDestination$":
        "CreatePublishingDestination ListPublishingDestinations",
    "{0}/detector/(?P<detector_id>[^/]+)/publishingDestination/(?P<destination_id>[^/]+)$":
        "DescribePublishingDestination UpdatePublishingDestination DeletePublishingDestination",
}


def register() -> None:
    _install.add_operations("guardduty", GuardDutyResponse, {
        "CreatePublishingDestination": create_publishing_destination,
        "DescribePublishingDestination": describe_publishing_destination,
        "ListPublishingDestinations": list_publishing_destinations,
        "UpdatePublishingDestination": update_publishing_destination,
        "DeletePublishingDestination": delete_publishing_destination})
    _install.wrap_method("guardduty", GuardDutyResponse, "create_detector", _one_detector_per_region)
    _install.add_routes("guardduty", guardduty_urls.url_paths, ROUTES, GuardDutyResponse.dispatch)
