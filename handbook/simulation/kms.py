"""KMS keys without a key pair unless they are asymmetric, as in KMS.

moto 5.2.5 makes an RSA-2048 key pair for every KMS key it creates, symmetric ones included
(``moto.kms.models.generate_private_key``, called by ``Key.__init__``). A symmetric key has no
key pair in KMS, and making one needs the ``cryptography`` package, which the in-page account
cannot carry: there ``CreateKey`` failed, and with it any exercise that starts with a key (a
trail's encryption key). So the key pair is made only for the asymmetric key specs
(``RSA_*``, ``ECC_*``), as before; a symmetric key (``SYMMETRIC_DEFAULT``, ``HMAC_*``) has none.
Its data key and encryption calls (``GenerateDataKey``, ``Encrypt``, ``Decrypt``) never used one.
"""

from __future__ import annotations

from typing import Any, Callable

import moto.kms.models as kms_models

from . import _install


def has_key_pair(key_spec: str | None) -> bool:
    return str(key_spec or "").startswith(("RSA_", "ECC_"))


def _only_asymmetric(original: Callable[[str], Any]) -> Callable[[str], Any]:
    def generate_private_key(key_spec: str) -> Any:
        return original(key_spec) if has_key_pair(key_spec) else None

    return generate_private_key


def register() -> None:
    _install.replace_method("kms", kms_models, "generate_private_key",
                            _only_asymmetric(kms_models.generate_private_key))
