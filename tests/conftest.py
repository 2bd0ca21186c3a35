"""Shared fixtures: building a site the way `make build` does, as a whole process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import handbook.aws  # noqa: F401  awscli must load its botocore before any test imports boto3 or moto

ROOT = Path(__file__).resolve().parent.parent
MINISITE = Path(__file__).parent / "integration" / "minisite"


@dataclass
class Build:
    code: int
    log: str
    site: Path


def build(config: Path, site: Path) -> Build:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, env=env, cwd=config.parent,
    )
    return Build(done.returncode, done.stdout + done.stderr, site)


@pytest.fixture(scope="session")
def handbook_site(tmp_path_factory) -> Build:
    """The real handbook, built strictly once per test session."""
    return build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))


@pytest.fixture
def minisite(tmp_path) -> Path:
    """A fresh copy of the mini-site to break; its hooks path is made absolute."""
    copy = tmp_path / "minisite"
    shutil.copytree(MINISITE, copy)
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../handbook/hooks.py", str(ROOT / "handbook" / "hooks.py")))
    return copy
