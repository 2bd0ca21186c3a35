"""The iframe-worker shim that lets Material's search run from file://, from the npm registry.

Material's search runs in a Web Worker, which a browser refuses to start from file://. The
npm package `iframe-worker` (MIT, by Material's author) runs the worker in an iframe instead.
The project carries no copy of it: it is pinned in handbook/npm.yml and fetched by
`python -m handbook.npm`; the kit build takes the shim and its licence from the tarball.
"""

from __future__ import annotations

from pathlib import Path

from handbook import npm

PACKAGE = npm.pinned("iframe-worker")
VERSION = PACKAGE.version
# members of the tarball the site needs: the shim, and the licence that must travel with it
MEMBERS = {"package/shim/index.js": "shim.js", "package/LICENSE": "LICENSE"}


def verified(cache: Path = npm.CACHE) -> Path:
    return npm.verified(PACKAGE, cache)


def files(cache: Path = npm.CACHE) -> dict[str, bytes]:
    """The shim and its licence, read from the verified tarball: {name: content}."""
    found = npm.members(PACKAGE, list(MEMBERS), cache)
    return {MEMBERS[member]: content for member, content in found.items()}
