"""What a kit is built from: the project version, the source commit and the build date."""

from __future__ import annotations

import os
import subprocess
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class Source:
    version: str        # [project] version in pyproject.toml
    commit: str | None  # HEAD, or None outside a git checkout
    changed: bool       # the work tree differs from HEAD, so the commit alone does not describe the kit
    epoch: int          # SOURCE_DATE_EPOCH if set, else the commit time: every date in the kit

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def day(self) -> str:
        return self.date[:10]


def git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def read(root: Path) -> Source:
    version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    commit = git(root, "rev-parse", "HEAD")
    changed = bool(git(root, "status", "--porcelain")) if commit else False
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    elif commit:
        epoch = int(git(root, "log", "-1", "--format=%ct"))
    else:
        epoch = int(time.time())
    return Source(version, commit, changed, epoch)
