"""The one place that knows the snippet layout.

snippets/<page>/<name>.<ext>      one example, exactly what a reader copies
snippets/<page>/<name>.yml        declarations for that example (setup, placeholders, schema, ...)
snippets/<page>/<name>.output     recorded output of a CLI example (`make test UPDATE=1`, never by hand)
snippets/placeholders.yml         project-wide test values for <placeholders>
snippets/model-only.yml           CLI examples that simulated AWS cannot run, each with the reason:
                                  checked against the API model only (absent: every one runs)

A page shows a snippet with the macro call `{{ snippet("<page>/<name>.<ext>") }}` (`calls()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import re

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
# Declarations are read several times for each example in a run: libyaml's safe loader when
# PyYAML has it (the same safe subset of YAML, about ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACEHOLDERS = "placeholders.yml"
MODEL_ONLY = "model-only.yml"
# `{{ snippet("cloudtrail/create-trail.sh") }}`, with or without a filter such as `| indent(8)`
CALL = re.compile(r"""\{\{-?\s*snippet\(\s*(?P<quote>["'])(?P<ref>[^"']+)(?P=quote)\s*\)[^}]*\}\}""")


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
    def output(self) -> Path:
        """Where the recorded output of a CLI example lives."""
        return self.sidecar(".output")

    @property
    def declarations(self) -> dict:
        """The example's own declarations (<name>.yml), or {} when it has none."""
        path = self.sidecar(".yml")
        if not path.exists():
            return {}
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
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


@dataclass(frozen=True)
class Call:
    """A page's `{{ snippet("...") }}` call."""

    line: int  # 1-based line of the page
    start: int  # character offsets of the call in the page
    end: int
    ref: str


def calls(markdown: str) -> list[Call]:
    """Every snippet call of a page, in order."""
    return [Call(markdown.count("\n", 0, m.start()) + 1, m.start(), m.end(), m.group("ref"))
            for m in CALL.finditer(markdown)]


def included(docs: Path) -> dict[str, list[tuple[Path, int]]]:
    """ref -> the pages (and lines) that include it, over every Markdown page under `docs`."""
    found: dict[str, list[tuple[Path, int]]] = {}
    for page in sorted(Path(docs).rglob("*.md")):
        for call in calls(page.read_text(encoding="utf-8")):
            found.setdefault(call.ref, []).append((page, call.line))
    return found


def model_only(root: Path) -> dict[str, str]:
    """ref -> why simulated AWS cannot run it, from snippets/model-only.yml ({} when absent).

    The file maps each example to its reason:

        cloudtrail/lookup-events.sh: moto does not implement cloudtrail LookupEvents
    """
    path = Path(root) / MODEL_ONLY
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise HandbookError(path, 1, "model-only.yml must map each CLI example (page/name.sh) to the reason "
                                     "simulated AWS cannot run it")
    lines = path.read_text(encoding="utf-8").splitlines()
    for ref, reason in data.items():
        line = next((n for n, text in enumerate(lines, 1) if text.startswith(f"{ref}:")), None)
        if not isinstance(reason, str) or not reason.strip():
            raise HandbookError(path, line, f"{ref} needs the reason simulated AWS cannot run it")
        if not (Path(root) / str(ref)).is_file():
            raise HandbookError(path, line, f"{ref} names no snippet (looked for {Path(root) / str(ref)})")
    return {str(k): v.strip() for k, v in data.items()}
