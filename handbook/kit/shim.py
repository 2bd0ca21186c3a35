"""The iframe-worker shim that lets Material's search run from file://, from the npm registry.

Material's search runs in a Web Worker, which a browser refuses to start from file://. The
npm package `iframe-worker` (MIT, by Material's author) runs the worker in an iframe instead.
The project carries no copy of it: `npm pack` fetches the pinned version into build/npm/, the
tarball must match the integrity pinned here, and the kit build extracts the shim from it.

    python -m handbook.kit.shim      # fetch into the cache (make test does this before pytest)
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from handbook.errors import HandbookError

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "npm"

PACKAGE = "iframe-worker"
VERSION = "1.0.4"
# `npm view iframe-worker@1.0.4 dist.integrity`
INTEGRITY = "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
# members of the tarball the site needs: the shim, and the licence that must travel with it
MEMBERS = {"package/shim/index.js": "shim.js", "package/LICENSE": "LICENSE"}


def tarball(cache: Path = CACHE) -> Path:
    return cache / f"{PACKAGE}-{VERSION}.tgz"


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def verified(cache: Path = CACHE) -> Path:
    """The cached tarball, after checking it is exactly the pinned one."""
    path = tarball(cache)
    if not path.is_file():
        raise HandbookError(path, None, f"{PACKAGE}@{VERSION} is not in the cache; fetch it with "
                            "`python -m handbook.kit.shim` (make kit and make test do) — it needs npm "
                            "(Debian: apt-get install npm) and the npm registry")
    found = integrity(path)
    if found != INTEGRITY:
        raise HandbookError(path, None, f"integrity {found} is not the pinned {INTEGRITY}; "
                            "delete the file and fetch it again")
    return path


def fetch(cache: Path = CACHE) -> Path:
    """The verified tarball, fetched with `npm pack` unless already cached."""
    path = tarball(cache)
    if path.is_file() and integrity(path) == INTEGRITY:
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise HandbookError(path, None, f"cannot fetch {PACKAGE}@{VERSION}: npm is not installed "
                            "(Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    done = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(cache),
                           "--silent", "--ignore-scripts"], capture_output=True, text=True)
    if done.returncode != 0 or not path.is_file():
        raise HandbookError(path, None, f"`npm pack {PACKAGE}@{VERSION}` failed: {done.stderr.strip()}")
    try:
        return verified(cache)
    except HandbookError:
        path.unlink(missing_ok=True)
        raise


def files(cache: Path = CACHE) -> dict[str, bytes]:
    """The shim and its licence, read from the verified tarball: {name: content}."""
    found = {}
    with tarfile.open(verified(cache), "r:gz") as tar:
        for member, name in MEMBERS.items():
            data = tar.extractfile(member)
            if data is None:
                raise HandbookError(tarball(cache), None, f"{member} is missing from the tarball")
            found[name] = data.read()
    return found


if __name__ == "__main__":
    try:
        print(f"{PACKAGE}@{VERSION}: {fetch()}")
    except HandbookError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
