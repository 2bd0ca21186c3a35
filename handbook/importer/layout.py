"""The import's layout file: which headings start pages, heading ids, labels, snippet names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.errors import HandbookError


@dataclass(frozen=True)
class PageRule:
    heading: str  # start of the heading's Markdown line, e.g. "## AWS CloudTrail"
    page: str  # docs path, e.g. "services/cloudtrail.md"
    at: int  # line in the layout file

    @property
    def level(self) -> int:
        return len(self.heading) - len(self.heading.lstrip("#"))

    @property
    def folder(self) -> str:
        """The page's snippet folder: snippets/<folder>/."""
        path = Path(self.page)
        if path.stem != "index":
            return path.stem
        return path.parent.name or "home"


@dataclass
class Layout:
    path: Path
    pages: list[PageRule]
    ids: list[tuple[re.Pattern, str]]
    labels: list[str]
    topics: list[str]
    admonition: dict = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def heading_id(self, text: str) -> str:
        for pattern, template in self.ids:
            if m := pattern.search(text):
                return m.expand(template)
        return slug(text)


STOPWORDS = set("a an and any are as at be by can for from how i in into is it its my of on or that the this to using via what when where which with you your".split())


def slug(text: str, *, words: int = 6) -> str:
    """A short id from text: lower case, no stop words, at most `words` words."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    kept = [t for t in tokens if t not in STOPWORDS] or tokens
    return "-".join(kept[:words])


def load(path: Path) -> Layout:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    node = yaml.compose(text)
    lines = {}
    for key, value in node.value:
        if key.value == "pages":
            lines = [item.start_mark.line + 1 for item in value.value]
    try:
        pages = [PageRule(p["heading"], p["page"], lines[i]) for i, p in enumerate(data["pages"])]
        ids = [(re.compile(r["pattern"]), r["id"]) for r in data.get("ids", [])]
    except (KeyError, TypeError, re.error) as err:
        raise HandbookError(path, None, f"the layout needs `pages` with heading and page, and `ids` with pattern and id ({err})") from err
    names = {int(k): str(v) for k, v in (data.get("names") or {}).items()}
    return Layout(path, pages, ids, list(data.get("labels", [])), list(data.get("topics", [])), data.get("admonition") or {}, names)
