"""Fixtures for the moto extensions: offline boto3/awscli inside ``mock_aws()``."""

from __future__ import annotations

# awscli first: it redirects ``import botocore`` to its vendored copy.
import awscli  # noqa: F401  isort: skip

import contextlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.httpsession
import pytest
from awscli.clidriver import create_clidriver
from moto import mock_aws

import handbook.simulation as simulation

REGION = "us-east-1"
ACCOUNT = "123456789012"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "simulation"


def fixture(name: str) -> Any:
    """A JSON file of tests/fixtures/simulation."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session", autouse=True)
def _registered() -> None:
    simulation.register()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fake credentials and Region, no config files, and no HTTP request may leave."""
    nowhere = tmp_path_factory.getbasetemp() / "no-aws-config"
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTSIMULATION00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "simulation-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def refuse(self: Any, request: Any) -> Any:
        raise AssertionError(f"a request left the simulation: {request.method} {request.url}")

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse)


@pytest.fixture(scope="session")
def session() -> boto3.Session:
    """One long-lived session (mock_aws resets boto3's default one at each start)."""
    return boto3.Session(
        aws_access_key_id="AKIATESTSIMULATION00",
        aws_secret_access_key="simulation-secret",
        region_name=REGION,
    )


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def client(session: boto3.Session, aws: None) -> Callable[..., Any]:
    """``client("guardduty")``: a boto3 client inside this test's mock_aws."""

    def make(service: str, region: str = REGION, **kwargs: Any) -> Any:
        return session.client(service, region_name=region, **kwargs)

    return make


@dataclass
class Run:
    rc: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.rc == 0, self.err
        return json.loads(self.out)


@pytest.fixture(scope="session")
def _driver() -> Any:
    return create_clidriver()


@pytest.fixture
def cli(_driver: Any, aws: None) -> Callable[..., Run]:
    """``cli("cloudtrail", "lookup-events", ...)``: the real awscli, in process."""

    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = _driver.main(["--region", REGION, *argv])
        return Run(rc, out.getvalue(), err.getvalue())

    return run
