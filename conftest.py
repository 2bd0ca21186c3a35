"""Every example is a test: pytest + sybil collect snippets/ and docs/ (handbook.examples.collect)."""

from __future__ import annotations

import handbook.aws  # noqa: F401  first: awscli must load its botocore before boto3 or moto do

import json
from pathlib import Path

import pytest

from handbook.examples import collect, verify

ROOT = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption("--update-examples", action="store_true", default=False,
                     help="re-record the expected output of the CLI examples (<name>.output) "
                          "instead of comparing it; `make test UPDATE=1`")


SUMMARY = ROOT / "build" / "examples-summary.json"  # read by `handbook kit` for its manifest
PROJECT = pytest.StashKey[verify.Project]()


@pytest.fixture(scope="session")
def examples_project(request) -> verify.Project:
    """The handbook's snippets and pages, as the example items verify them."""
    project = verify.Project(ROOT / "snippets", ROOT / "docs", update=request.config.getoption("update_examples"))
    request.config.stash[PROJECT] = project
    return project


def pytest_sessionfinish(session):
    """After a run that verified every snippet, say how in build/examples-summary.json."""
    project = session.config.stash.get(PROJECT, None)
    found = collect.summary(project) if project else None
    if found is not None:
        SUMMARY.parent.mkdir(exist_ok=True)
        SUMMARY.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


pytest_collect_file = collect.pytest_collect_file(ROOT)
