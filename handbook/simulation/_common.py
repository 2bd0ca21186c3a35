"""Helpers over moto internals shared by the extensions (each one checked by test_drift)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import InvalidToken
from moto.core.parse import PROTOCOL_PARSERS
from moto.core.request import determine_request_protocol
from moto.core.responses import BaseResponse
from moto.core.utils import get_service_model
from moto.utilities.paginator import Paginator


def plain(value: Any) -> Any:
    """moto's parsed parameters (XFormedDict, OrderedDict ...) as plain dicts and lists."""
    if hasattr(value, "original_dict"):
        value = value.original_dict()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def parsed_params(response: BaseResponse, operation: str | None = None) -> dict[str, Any]:
    """The request's parameters by member name, parsed from the botocore model.

    The same parser moto uses for services with ``automated_parameter_parsing``: typed
    values (timestamps, integers, booleans) and path/querystring members included.
    """
    if getattr(response, "automated_parameter_parsing", False) and hasattr(response, "params"):
        return plain(response.params)
    service_model = get_service_model(response.boto3_service_name)
    operation_model = service_model.operation_model(operation or response._get_action())
    request = response.normalized_request
    protocol = determine_request_protocol(service_model, request.content_type)
    parser = PROTOCOL_PARSERS[protocol](operation_model, map_type=dict)
    parsed = parser.parse(
        {
            "method": request.method,
            "values": request.values,
            "headers": request.headers,
            "body": request.data,
            "url_path": request.path,
            "url_params": response.uri_match,
        }
    )
    return plain(parsed)


def paginate(
    items: Sequence[Any],
    *,
    max_results: int | None,
    default: int,
    next_token: str | None,
    unique_attribute: str,
    params: Any,
    error: type[Exception],
) -> tuple[list[Any], str | None]:
    """moto's Paginator: a token only valid with the parameters it was issued for."""
    try:
        paginator = Paginator(
            max_results=max_results,
            max_results_default=default,
            starting_token=next_token,
            unique_attribute=unique_attribute,
            param_values_to_check={"params": repr(params)},
            fail_on_invalid_token=error,
        )
        return paginator.paginate(list(items))
    except InvalidToken:
        raise error()


def with_token(body: dict[str, Any], token: str | None, key: str = "NextToken") -> dict[str, Any]:
    """A page's response body, with the token of the next page when there is one."""
    if token:
        body[key] = token
    return body


def to_utc(value: Any) -> datetime:
    """A timestamp as parsed by moto/botocore (datetime, epoch seconds) or ISO 8601 text."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    text = str(value).strip()
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc)
    except ValueError:
        pass
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def values_at(document: dict[str, Any], path: Sequence[str]) -> list[Any]:
    """Every value at a path of keys in a finding (lists along the way are flattened)."""
    nodes: list[Any] = [document]
    for key in path:
        following: list[Any] = []
        for node in nodes:
            for item in node if isinstance(node, list) else [node]:
                if isinstance(item, dict) and item.get(key) is not None:
                    following.append(item[key])
        nodes = following
    values: list[Any] = []
    for node in nodes:
        values.extend(node if isinstance(node, list) else [node])
    return values
