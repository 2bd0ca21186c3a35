"""MkDocs hooks: checks on the rendered pages that Python-Markdown does not make itself."""

from __future__ import annotations

import re
from collections import Counter

from mkdocs.exceptions import PluginError

ID = re.compile(r'\sid="([^"]+)"')


def on_page_content(html: str, page, **_) -> str:
    """Two elements with one id: a ticket link would land on the first only."""
    twice = sorted(i for i, n in Counter(ID.findall(html)).items() if n > 1)
    if twice:
        source = page.file.content_string.splitlines()
        places = []
        for anchor in twice:
            lines = [n for n, line in enumerate(source, start=1) if f"#{anchor}" in line or f'id="{anchor}"' in line]
            places.append(f"docs/{page.file.src_uri}:{lines[-1] if lines else '?'}: id {anchor!r} is used twice on this page")
        raise PluginError("; ".join(places))
    return html
