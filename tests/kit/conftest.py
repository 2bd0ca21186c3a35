"""The kit, built once per session as `handbook kit` builds it, and what its tests need.

Without chromium or the cached iframe-worker tarball the tests that need them are skipped,
saying what to install; HANDBOOK_REQUIRE_BROWSER=1 (set by .ci/run) turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from handbook import kit as kit_module
from handbook.errors import HandbookError
from handbook.kit import chromium, shim, source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "kit"
NAME = f"td-ir-handbook-{source.read(ROOT).version}"


def unavailable(reason: str):
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; HANDBOOK_REQUIRE_BROWSER=1 does not allow skipping", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> str:
    """The chromium executable, or a skip that says what to install."""
    found = chromium.find()
    if found is None:
        unavailable("chromium is not installed (Debian: apt-get install chromium; `make test` installs it as root)")
    return found


@pytest.fixture(scope="session")
def cached_shim() -> None:
    try:
        shim.verified()
    except HandbookError as err:
        unavailable(str(err))


def handbook_kit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`handbook kit ARGS`, as its own process, never fetching."""
    return subprocess.run([sys.executable, "-m", "handbook.cli", "kit", "--no-fetch", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


@dataclass
class Built:
    folder: Path
    zip: Path
    manifest: dict
    seconds: float
    log: str

    @property
    def site(self) -> Path:
        return self.folder / "site"

    @property
    def pdf(self) -> Path:
        return self.folder / "handbook.pdf"


@pytest.fixture(scope="session")
def kit(tmp_path_factory, browser, cached_shim) -> Built:
    """The real handbook's kit, with the example-verification summary from the fixtures."""
    out = tmp_path_factory.mktemp("dist")
    start = time.perf_counter()
    done = handbook_kit("--out", str(out), "--examples", str(FIXTURES / "examples-summary.json"))
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    folder = out / NAME
    return Built(folder, out / f"{NAME}.zip", json.loads((folder / "manifest.json").read_text()), seconds,
                 done.stdout + done.stderr)


@pytest.fixture(scope="session")
def mini_kit(tmp_path_factory, browser, cached_shim) -> kit_module.Kit:
    """The mini-site's kit (collapsed blocks, tabs), built over a stale kit of the same version."""
    out = tmp_path_factory.mktemp("mini-dist")
    (out / NAME).mkdir()
    (out / NAME / "stale.txt").write_text("from an earlier build")
    (out / f"{NAME}.zip").write_text("an earlier zip")
    return kit_module.build(out=out, config=FIXTURES / "minisite" / "mkdocs.yml", fetch=False)
