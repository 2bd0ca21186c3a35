"""The errata: every deliberate difference between the source handbook and the site.

source/errata.yml is a list of entries:
  line:   the source line the change is on
  source: the text as the source has it (must occur on that line)
  site:   what the site says instead ("" removes it); leave it out for a change the
          import makes by itself (a moved command, a repaired link) that is only recorded
  reason: why, in a sentence
The import applies the entries; the "nothing lost" test exempts their source text;
the site's Errata page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.errors import HandbookError

FIELDS = {"line", "source", "site", "reason"}


@dataclass(frozen=True)
class Erratum:
    line: int
    source: str
    site: str | None
    reason: str
    at: int  # the entry's own line in the errata file


def load(path: Path) -> list[Erratum]:
    """The entries of an errata file, each checked for its fields."""
    path = Path(path)
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    data = yaml.compose(text)
    if data is None:
        return []
    if not isinstance(data, yaml.SequenceNode):
        raise HandbookError(path, 1, "the errata must be a list of entries")
    entries = []
    for node, raw in zip(data.value, yaml.safe_load(text)):
        where = node.start_mark.line + 1
        if not isinstance(raw, dict):
            raise HandbookError(path, where, "an erratum must be a mapping with line, source and reason")
        unknown = set(raw) - FIELDS
        missing = {"line", "source", "reason"} - set(raw)
        if unknown or missing:
            raise HandbookError(path, where, f"an erratum needs line, source and reason (missing {sorted(missing)}, unknown {sorted(unknown)})")
        if not isinstance(raw["line"], int) or not str(raw["source"]).strip() or not str(raw["reason"]).strip():
            raise HandbookError(path, where, "an erratum's line must be a number and its source and reason must not be empty")
        site = raw.get("site")
        entries.append(Erratum(raw["line"], str(raw["source"]), None if site is None else str(site), str(raw["reason"]), where))
    return entries


def apply(lines: list[str], entries: list[Erratum], *, source: Path, errata: Path) -> list[str]:
    """The source lines with every erratum that has a `site` applied; a stale entry is an error."""
    out = list(lines)
    for e in entries:
        if not 1 <= e.line <= len(out) or e.source not in out[e.line - 1]:
            raise HandbookError(errata, e.at, f"this erratum for {source}:{e.line} does not match: {e.source!r} is not on that line")
        if e.site is not None:
            out[e.line - 1] = out[e.line - 1].replace(e.source, e.site, 1)
    return out
