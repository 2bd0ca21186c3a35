"""The one place that knows the snippet layout.

snippets/<page>/<name>.<ext>      one example, exactly what a reader copies
snippets/<page>/<name>.yml        optional declarations for that example (setup, placeholders, ...)
snippets/<page>/<name>.output     recorded output of a CLI example (never edited by hand)
snippets/placeholders.yml         project-wide test values for <placeholders>
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.errors import HandbookError

# extension -> (kind, fence language)
KINDS = {
    ".sh": ("cli", "bash"),
    ".json": ("json", "json"),
    ".sql": ("sql", "sql"),
    ".log": ("log", "text"),
    ".txt": ("text", "text"),
}
SIDECARS = (".yml", ".output")


@dataclass(frozen=True)
class Snippet:
    root: Path
    ref: str  # "cloudtrail/create-trail.sh", relative to root, always with "/"

    @property
    def file(self) -> Path:
        return self.root / self.ref

    @property
    def suffix(self) -> str:
        return Path(self.ref).suffix

    @property
    def kind(self) -> str:
        return KINDS[self.suffix][0]

    @property
    def language(self) -> str:
        return KINDS[self.suffix][1]

    @property
    def name(self) -> str:
        return Path(self.ref).name

    @property
    def page(self) -> str:
        return self.ref.split("/", 1)[0]

    @property
    def text(self) -> str:
        return self.file.read_text(encoding="utf-8")

    def sidecar(self, suffix: str) -> Path:
        return self.file.with_suffix(suffix)

    @property
    def declarations(self) -> dict:
        """The example's own declarations (<name>.yml), or {} when it has none."""
        path = self.sidecar(".yml")
        if not path.exists():
            return {}
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise HandbookError(path, 1, "declarations must be a mapping")
        return data


def load(root: Path, ref: str, *, where: tuple[Path | str, int | None] = ("?", None)) -> Snippet:
    """The snippet `ref`; a missing or unknown one is an error reported at `where`."""
    snippet = Snippet(Path(root), ref)
    if Path(ref).suffix not in KINDS:
        raise HandbookError(*where, f"snippet {ref!r} has an unknown kind; use one of {', '.join(KINDS)}")
    if not snippet.file.is_file():
        raise HandbookError(*where, f"snippet {ref!r} does not exist (looked for {snippet.file})")
    return snippet


def find(root: Path) -> list[Snippet]:
    """Every example under `root`, sorted; sidecar files are not examples."""
    root = Path(root)
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in KINDS and path.parent != root:
            found.append(Snippet(root, path.relative_to(root).as_posix()))
    return found
