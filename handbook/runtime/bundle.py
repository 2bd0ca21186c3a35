"""The Python the in-page runtime unpacks: two zips, built from what is installed, never committed.

- packages.zip: the distributions of runtime.yml, exactly as requirements.lock installed them in
  this environment, trimmed: compiled files and caches dropped (each package carried runs
  without them), botocore's models kept whole for the simulated services only (newest API
  version; every other service keeps a model with its metadata and no operations, which is what
  awscli needs to build its command table), moto's packages limited to runtime.yml's list,
  awscli's help examples dropped, runtime.yml's `replace:` applied. Its Python is carried as
  bytecode of the browser's Python (compile.mjs: the pinned Pyodide compiles it, under Node),
  which makes the first Run several seconds faster than compiling in the browser. It changes
  only with requirements.lock and runtime.yml, so it is cached in build/runtime/ under a key of
  those inputs. `build_packages(compiled=False)` keeps the sources, for the tests' CPython.
- handbook.zip: the project's own code (`handbook/`, less the build-only parts) and the snippets
  with their declarations (the exercises, snippets/<page>/exercises/, among them), the scenarios
  and ksa.yml, so a page's Run and Practise prepare their accounts as the suite does. Rebuilt
  each time: it is small.

Both are deterministic: entries sorted, every date the same, so the same inputs give the same
bytes. `manifest()` says what went in: each distribution's name, version, files and bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from handbook.errors import HandbookError
from handbook.kit import archive

HERE = Path(__file__).parent
CONFIG = HERE / "runtime.yml"
PROJECT = HERE.parents[1]
CACHE = PROJECT / "build" / "runtime"
DATE = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no build time in the bytes
COMPILED = (".so", ".pyd", ".dylib", ".pyc", ".pyi", ".c", ".h")
# what of the project the browser does not run: the import, the kit, the runtime's own build
HANDBOOK_DROP = ("handbook/importer/", "handbook/kit/", "handbook/runtime/assets/", "handbook/examples/data/")
# ... except the sample records the Athena page's queries run on in the page, as in the suite
HANDBOOK_KEEP = ("handbook/examples/data/cloudtrail-sample-records.json",)


@dataclass
class Bundle:
    data: bytes
    manifest: dict = field(default_factory=dict)


def config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def key() -> str:
    """What packages.zip depends on: the lock, runtime.yml and this builder."""
    digest = hashlib.sha256()
    for path in (PROJECT / "requirements.lock", CONFIG, Path(__file__), HERE / "compile.mjs"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def packages(cache: Path = CACHE) -> Bundle:
    """packages.zip and its manifest, from the cache when its inputs have not changed."""
    zipped, described = cache / f"packages-{key()}.zip", cache / f"packages-{key()}.json"
    if zipped.is_file() and described.is_file():
        return Bundle(zipped.read_bytes(), json.loads(described.read_text(encoding="utf-8")))
    bundle = build_packages(config())
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("packages-*"):
        old.unlink(missing_ok=True)
    write_whole(described, (json.dumps(bundle.manifest, indent=2) + "\n").encode())
    write_whole(zipped, bundle.data)
    return bundle


def write_whole(path: Path, content: bytes) -> None:
    """Written aside, then renamed: two builds at once never read half a cached file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(content)
    os.replace(partial, path)


def build_packages(settings: dict, *, compiled: bool = True) -> Bundle:
    services = set(settings["services"])
    replace = settings.get("replace") or {}
    moto = set(settings["moto"])
    drop = tuple(settings.get("drop") or ())
    per_region = tuple(settings.get("per-region") or ())
    region = settings.get("region")
    entries: dict[str, bytes] = {}
    described = []
    for name in settings["distributions"]:
        dist = _distribution(name)
        root = Path(dist.locate_file(""))
        count = size = 0
        for file in dist.files or ():
            path = file.as_posix()
            if not _carried(path, services, moto, drop):
                continue
            if path.startswith(per_region) and not path.rsplit("/", 1)[-1].startswith(f"{region}."):
                continue
            content = replace[path].encode() if path in replace else (root / path).read_bytes()
            if path.endswith("/service-2.json") and _service_of(path) not in services:
                content = _metadata_only(content)
            entries[path] = content
            count, size = count + 1, size + len(content)
        described.append({"name": dist.metadata["Name"], "version": dist.version, "files": count, "bytes": size})
    for name in settings.get("metadata-only") or ():
        dist = _distribution(name)
        info = f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}.dist-info/METADATA"
        entries[info] = dist.read_text("METADATA").encode()
        described.append({"name": dist.metadata["Name"], "version": dist.version, "files": 1,
                          "bytes": len(entries[info]), "metadata only": True})
    if compiled:
        entries = _compiled(entries)
    data = _zip(entries)
    return Bundle(data, {"compiled": compiled, "distributions": described, "services": sorted(services), "moto": sorted(moto),
                         "stand-ins": settings.get("stand-ins") or {}, "files": len(entries),
                         "bytes": sum(map(len, entries.values())), "zip bytes": len(data)})


def handbook_zip(snippets_root: Path) -> Bundle:
    """The project's code the browser runs and the snippets it prepares accounts from."""
    entries = {}
    for path in sorted((PROJECT / "handbook").rglob("*")):
        relative = path.relative_to(PROJECT).as_posix()
        if path.is_file() and "__pycache__" not in relative and not relative.endswith(COMPILED) \
                and (relative in HANDBOOK_KEEP or not relative.startswith(HANDBOOK_DROP)):
            entries[relative] = path.read_bytes()
    for path in sorted(Path(snippets_root).rglob("*")):
        if path.is_file():
            entries["snippets/" + path.relative_to(snippets_root).as_posix()] = path.read_bytes()
    for path in sorted((PROJECT / "scenarios").glob("*.yml")):  # the incidents a drill's setup replays
        entries["scenarios/" + path.name] = path.read_bytes()
    entries["ksa.yml"] = (PROJECT / "ksa.yml").read_bytes()  # the Skill ids exercises are named for (training)
    data = _zip(entries)
    return Bundle(data, {"files": len(entries), "bytes": sum(map(len, entries.values())), "zip bytes": len(data)})


def _compiled(entries: dict[str, bytes]) -> dict[str, bytes]:
    """The entries with each .py replaced by the browser's Python's bytecode of it (x.py -> x.pyc)."""
    from handbook.runtime import pyodide

    node = shutil.which("node")
    if node is None:
        raise HandbookError(CONFIG, None, "the in-page runtime's packages are compiled with Node, which is not "
                                          "installed (Debian: apt-get install nodejs; it comes with npm)")
    with tempfile.TemporaryDirectory(prefix="handbook-runtime-") as work:
        runtime, sources = Path(work) / "pyodide", Path(work) / "sources"
        runtime.mkdir()
        for name, content in pyodide.files().items():
            (runtime / name).write_bytes(content)
        for name, content in entries.items():
            if name.endswith(".py"):
                (sources / name).parent.mkdir(parents=True, exist_ok=True)
                (sources / name).write_bytes(content)
        done = subprocess.run([node, str(HERE / "compile.mjs"), str(runtime), str(sources)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise HandbookError(HERE / "compile.mjs", None, f"compiling the runtime's packages failed: "
                                f"{(done.stderr or done.stdout).strip()[-2000:]}")
        out = {}
        for name, content in entries.items():
            out[name + "c" if name.endswith(".py") else name] = \
                (sources / (name + "c")).read_bytes() if name.endswith(".py") else content
        return out


def compiled_zip(data: bytes) -> bytes:
    """A zip of Python sources (Pyodide's standard library) with each .py as the browser's bytecode."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    return _zip(_compiled(entries))


def _distribution(name: str) -> metadata.Distribution:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise HandbookError(CONFIG, None, f"{name} is not installed; runtime.yml names only what "
                                          "requirements.lock installs") from None


def _carried(path: str, services: set[str], moto: set[str], drop: tuple[str, ...]) -> bool:
    if "__pycache__/" in path or path.endswith(COMPILED) or path.startswith(drop) or path.startswith("../"):
        return False
    if ".dist-info/" in path:
        return path.endswith("/METADATA")  # importlib.metadata.version() reads it; nothing else is needed
    if path.startswith("moto/") and path.count("/") > 1 and path.split("/")[1] not in moto:
        return False
    if path.startswith("awscli/botocore/data/") and path.count("/") >= 5:  # a service's model files
        service, version, file = path.split("/")[3:6]
        if service not in services:
            return file == "service-2.json" and version == _newest(path)
        return version == _newest(path) and not file.startswith("examples-")
    return True


_versions: dict[str, str] = {}


def _newest(path: str) -> str:
    """The newest API version of the service a model file belongs to, as botocore loads it."""
    folder = path.rsplit("/", 2)[0]
    if folder not in _versions:
        dist = _distribution("awscli")
        _versions[folder] = max(p.name for p in Path(dist.locate_file(folder)).iterdir() if p.is_dir())
    return _versions[folder]


def _service_of(path: str) -> str:
    return path.split("/")[3]


def _metadata_only(model: bytes) -> bytes:
    """A service model with its metadata and no operations: awscli lists the command, nothing runs."""
    full = json.loads(model)
    return json.dumps({"version": full.get("version", "2.0"), "metadata": full["metadata"],
                       "operations": {}, "shapes": {}}, sort_keys=True).encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    archive.deterministic_zip(out, ((name, entries[name]) for name in sorted(entries)), DATE, level=9)
    return out.getvalue()


if __name__ == "__main__":
    import sys

    from handbook.runtime import payload

    try:
        made = packages().manifest
        payload.fixed()  # the runtime's scripts too, so that builds during the suite only read them
        payload.engine()  # and the SQL engine's
    except HandbookError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
    print(f"in-page runtime packages: {made['files']} files, {made['zip bytes'] / 1e6:.1f} MB zipped "
          f"({', '.join(d['name'] + ' ' + d['version'] for d in made['distributions'][:3])}, ...)")
