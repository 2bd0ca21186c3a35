"""Find what in a built site would make a browser fetch from the network.

An <a href="https://docs.aws.amazon.com/..."> is a link the reader may follow; everything else
that names an absolute or protocol-relative URL is a fetch the page makes by itself: any src,
srcset, poster or <object data>, the href of <link> (stylesheets, icons, preloads) and <base>,
and url() and @import in stylesheets, <style> elements and style attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ws://...
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
FETCHED = {"src", "srcset", "poster", "data"}


@dataclass(frozen=True)
class Reference:
    file: str
    what: str  # "<script src>", "css url()", ...
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} {self.url}"


def css_urls(text: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(text)]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in FETCHED or (name == "href" and tag in ("link", "base")):
                for url in (value.split(",") if name == "srcset" else [value]):
                    self.found.append((f"<{tag} {name}>", url.strip().split(" ")[0]))
            elif name == "style":
                self.found += [(f"<{tag} style> url()", url) for url in css_urls(value)]
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.found += [("<style> url()", url) for url in css_urls(data)]


def external_references(site: Path) -> list[Reference]:
    """Every reference under `site` that a browser would fetch from the network."""
    found = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            page = _Page()
            page.feed(path.read_text(encoding="utf-8"))
            candidates = page.found
        elif path.suffix == ".css":
            candidates = [("css url()/@import", url) for url in css_urls(path.read_text(encoding="utf-8"))]
        else:
            continue
        found += [Reference(name, what, url) for what, url in candidates if EXTERNAL.match(url)]
    return found
