"""Pinned packages from the npm registry: fetched at build time, never committed.

`handbook/npm.yml` pins each package the site is built with (version and integrity). `npm pack`
fetches it into build/npm/ once; every use reads the cached tarball only after checking that it
is exactly the pinned one, so a kit built next year holds the same bytes.

    python -m handbook.npm       # fetch every pinned package (the make targets that build do)
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.errors import HandbookError

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "npm"
PINS = Path(__file__).with_name("npm.yml")
FETCH = "python -m handbook.npm"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def tarball(self, cache: Path = CACHE) -> Path:
        """Where `npm pack` puts it: "@scope/name" becomes "scope-name-<version>.tgz"."""
        return cache / f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"


def pinned(name: str) -> Package:
    pins = yaml.safe_load(PINS.read_text(encoding="utf-8"))
    if name not in pins:
        raise HandbookError(PINS, None, f"{name} is not pinned here")
    return Package(name, str(pins[name]["version"]), pins[name]["integrity"])


def every() -> list[Package]:
    return [pinned(name) for name in yaml.safe_load(PINS.read_text(encoding="utf-8"))]


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def verified(package: Package, cache: Path = CACHE) -> Path:
    """The cached tarball, after checking it is exactly the pinned one."""
    path = package.tarball(cache)
    if not path.is_file():
        raise HandbookError(path, None, f"{package.spec} is not in the cache; fetch it with `{FETCH}` "
                            "(every make target that builds does) — it needs npm (Debian: apt-get install npm) "
                            "and the npm registry")
    found = integrity(path)
    if found != package.integrity:
        raise HandbookError(path, None, f"integrity {found} is not the pinned {package.integrity}; "
                            "delete the file and fetch it again")
    return path


def fetch(package: Package, cache: Path = CACHE) -> Path:
    """The verified tarball, fetched with `npm pack` unless already cached."""
    path = package.tarball(cache)
    if path.is_file() and integrity(path) == package.integrity:
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise HandbookError(path, None, f"cannot fetch {package.spec}: npm is not installed (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    done = subprocess.run([npm, "pack", package.spec, "--pack-destination", str(cache), "--silent", "--ignore-scripts"],
                          capture_output=True, text=True)
    if done.returncode != 0 or not path.is_file():
        raise HandbookError(path, None, f"`npm pack {package.spec}` failed: {done.stderr.strip()}")
    try:
        return verified(package, cache)
    except HandbookError:
        path.unlink(missing_ok=True)
        raise


def members(package: Package, names: list[str], cache: Path = CACHE) -> dict[str, bytes]:
    """Files of the verified tarball ("package/..." paths): {path: content}; a missing one is an error."""
    found = {}
    with tarfile.open(verified(package, cache), "r:gz") as tar:
        for name in names:
            try:
                data = tar.extractfile(name)
            except KeyError:
                data = None
            if data is None:
                raise HandbookError(package.tarball(cache), None, f"{name} is missing from {package.spec}")
            found[name] = data.read()
    return found


def main() -> int:
    try:
        for package in every():
            print(f"{package.spec}: {fetch(package)}")
    except HandbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
