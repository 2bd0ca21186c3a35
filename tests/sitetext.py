"""Reading a built page as a reader sees it: the article's text, its links, lists and code."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Article:
    text: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    code: list[str] = field(default_factory=list)  # text of each <pre>
    paragraphs: list[str] = field(default_factory=list)
    items: list[tuple[int, str]] = field(default_factory=list)  # (list depth, item text)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.article = Article()
        self.inside = 0
        self.depth = 0
        self.open: list[list[str]] = []  # buffers being filled: pre, p, li
        self.button = 0  # a control's label (copy link) is not the page's text
        self.exercise = 0  # open <div>s of a Practise box (data-exercise): the handbook's control, not the page's text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.inside += 1
        if not self.inside:
            return
        if "id" in attrs:
            self.article.ids.add(attrs["id"])
        if tag == "div" and (self.exercise or "data-exercise" in attrs):
            self.exercise += 1
        if self.exercise:
            return
        if tag == "button":
            self.button += 1
        if tag == "a" and attrs.get("href"):
            self.article.links.append(attrs["href"])
        if tag == "li":
            self.depth += 1
            self.article.items.append((self.depth, ""))
        if tag in ("pre", "p"):
            self.open.append([tag, ""])

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside -= 1
        if not self.inside:
            return
        if self.exercise:
            self.exercise -= tag == "div"
            return
        if tag == "li":
            self.depth -= 1
        if tag == "button":
            self.button -= 1
        if tag in ("pre", "p") and self.open and self.open[-1][0] == tag:
            kind, text = self.open.pop()
            (self.article.code if kind == "pre" else self.article.paragraphs).append(text)

    def handle_data(self, data):
        if not self.inside or self.button or self.exercise:
            return
        self.article.text.append(data)
        for buffer in self.open:
            buffer[1] += data
        if self.article.items and self.depth:
            depth, text = self.article.items[-1]
            if depth == self.depth:
                self.article.items[-1] = (depth, text + data)


def read(html: str) -> Article:
    reader = _Reader()
    reader.feed(html)
    return reader.article
