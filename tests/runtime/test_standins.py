"""The page's KMS keys without cryptography (handbook/runtime/boot.py): created, described, never signing."""

from __future__ import annotations

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.examples.verify import simulation_runner
from handbook.runtime import boot


def test_a_kms_key_is_made_without_key_material_and_signing_says_why_not():
    from moto.kms import models

    original = models.generate_private_key
    try:
        boot.kms_keys()
        runner = simulation_runner()
        with aws.mock():
            kms = runner.client("kms")
            key = kms.create_key(Description="GuardDuty findings export")["KeyMetadata"]["KeyId"]
            assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
        with pytest.raises(NotImplementedError, match="need the cryptography package"):
            models.generate_private_key("RSA_2048").sign(b"message", "RSASSA_PSS_SHA_256")
    finally:
        models.generate_private_key = original
