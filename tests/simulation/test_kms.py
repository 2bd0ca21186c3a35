"""A symmetric KMS key is made without a key pair, so that it can be made where cryptography is absent."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import inspect

import moto.kms.models as kms_models
import pytest

from handbook.simulation import _install, kms


def test_a_symmetric_key_has_no_key_pair_and_an_asymmetric_one_has(client):
    kms = client("kms")
    symmetric = kms.create_key(Description="trail logs")["KeyMetadata"]["KeyId"]
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    keys = kms_models.kms_backends["123456789012"]["us-east-1"].keys
    assert keys[symmetric].private_key is None
    assert keys[signing].private_key is not None
    assert kms.get_public_key(KeyId=signing)["PublicKey"]
    assert kms.decrypt(CiphertextBlob=kms.encrypt(KeyId=symmetric, Plaintext=b"x")["CiphertextBlob"])["Plaintext"] == b"x"


def test_a_symmetric_key_is_made_without_the_key_pair_maker(client, monkeypatch):
    (patch,) = [p for p in _install.patches() if p.service == "kms"]
    assert kms_models.generate_private_key is patch.installed

    def unavailable(key_spec):  # the in-page account's stand-in for cryptography
        raise NotImplementedError("cryptography is not carried")

    monkeypatch.setattr(kms_models, "generate_private_key", unavailable)  # moto as it is: every key fails
    with pytest.raises(Exception):
        client("kms").create_key(Description="in the page")
    monkeypatch.setattr(kms_models, "generate_private_key", kms._only_asymmetric(unavailable))
    assert client("kms").create_key(Description="in the page")["KeyMetadata"]["KeySpec"] == "SYMMETRIC_DEFAULT"


def test_moto_still_makes_a_key_pair_for_every_key():
    assert "generate_private_key(self.key_spec)" in inspect.getsource(kms_models.Key.__init__), \
        "moto changed how KMS keys get their key pair: review handbook/simulation/kms.py"
