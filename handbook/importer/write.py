"""Write the import's output all at once: a failed run leaves the old folders as they were."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from handbook.errors import HandbookError


def replace_tree(out: Path, files: dict[str, str], *, folders: tuple[str, ...], force: bool) -> None:
    """Write `files` (paths under `folders`) into fresh folders, then swap them in."""
    out.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        existing = out / folder
        if existing.exists() and any(existing.iterdir()) and not force:
            raise HandbookError(existing, None, "already has content; the import replaces it only with --force")
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=out))
    try:
        for rel, text in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for folder in folders:
            (staging / folder).mkdir(exist_ok=True)
            old = out / folder
            if old.exists():
                old.rename(staging / f"{folder}.old")
            (staging / folder).rename(old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
