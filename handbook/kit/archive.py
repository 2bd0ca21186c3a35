"""The kit as files: manifest, SHA256SUMS and a zip that the same input always gives byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path

SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest time a zip entry can hold


def files(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted "/" paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(kit: Path, facts: dict) -> Path:
    path = kit / MANIFEST
    path.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_sums(kit: Path) -> Path:
    """SHA256SUMS of every other file in the kit, in the format `sha256sum -c` reads."""
    lines = [f"{sha256(kit / name)}  {name}\n" for name in files(kit) if name != SUMS]
    path = kit / SUMS
    path.write_text("".join(lines), encoding="utf-8")
    return path


def check_sums(kit: Path) -> list[str]:
    """What does not match SHA256SUMS: changed, missing and unlisted files. Empty when all is well."""
    listed = {}
    for line in (kit / SUMS).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    problems = [f"{name}: missing" for name in listed if not (kit / name).is_file()]
    problems += [f"{name}: checksum differs" for name, digest in listed.items()
                 if (kit / name).is_file() and sha256(kit / name) != digest]
    problems += [f"{name}: not listed" for name in files(kit) if name != SUMS and name not in listed]
    return problems


def write_zip(kit: Path, path: Path, epoch: int) -> Path:
    """`kit` zipped under its own name (see `deterministic_zip`)."""
    stamp = datetime.fromtimestamp(max(epoch, ZIP_EPOCH_MIN), timezone.utc).timetuple()[:6]
    deterministic_zip(path, ((f"{kit.name}/{name}", (kit / name).read_bytes()) for name in files(kit)), stamp)
    return path


def deterministic_zip(target, entries, date_time: tuple, level: int | None = None) -> None:
    """A zip of `entries` ((name, bytes), in the order given) into `target` (a path or a file):
    one fixed time, fixed permissions, the same bytes on every machine."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in entries:
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            entry.create_system = 3  # unix, whatever the building system
            archive.writestr(entry, content, compresslevel=level)


def swap(new: Path, dest: Path, trash: Path) -> None:
    """Put the folder `new` at `dest`; an existing `dest` moves to `trash` (same file system)."""
    if dest.exists():
        os.rename(dest, trash)
    try:
        os.rename(new, dest)
    except OSError:
        if trash.exists() and not dest.exists():
            os.rename(trash, dest)
        raise
