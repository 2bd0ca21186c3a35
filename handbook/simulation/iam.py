"""IAM as a drill needs it: an Inactive access key refused, and authorization on for a block.

moto checks a request's signature and IAM policies only once authorization is on
(``moto.core.set_initial_no_auth_action_count``: a decorator that sets
``settings.INITIAL_NO_AUTH_ACTION_COUNT`` and ``ActionAuthenticatorMixin.request_count``,
process-wide). :func:`enforced` does the same as a block and always puts both back, so no
other test or example runs with authorization on.

When it is on, moto looks the signing key up among the IAM users' keys
(``moto.iam.access_control.IAMUserAccessKey``) but never looks at the key's status: an
access key set to ``Inactive`` by ``update-access-key`` still works. AWS refuses it with
``InvalidClientTokenId`` ("The security token included in the request is invalid."), as for
an unknown key; the replaced constructor does the same, so a drill can show that
containment holds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam.access_control import CreateAccessKeyFailure, IAMUserAccessKey

from . import _install


def _refusing_inactive(init: Any) -> Any:
    def init_refusing_inactive(self: IAMUserAccessKey, account_id: str, partition: str,
                               access_key_id: str, headers: dict[str, str]) -> None:
        init(self, account_id, partition, access_key_id, headers)
        for user in self.backend.list_users("/", None, None):
            for key in user.access_keys:
                if key.access_key_id == access_key_id and key.status != "Active":
                    raise CreateAccessKeyFailure(reason="InvalidId")
    return init_refusing_inactive


@contextlib.contextmanager
def enforced() -> Iterator[None]:
    """Authorization on (every request signed by a known, Active key and allowed by IAM) for the block."""
    before = settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0
    try:
        yield
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT, ActionAuthenticatorMixin.request_count = before


def is_enforced() -> bool:
    return settings.INITIAL_NO_AUTH_ACTION_COUNT != float("inf")


def register() -> None:
    _install.wrap_method("iam", IAMUserAccessKey, "__init__", _refusing_inactive)
