"""Split the read source into pages: heading levels and ids, links, examples as snippets."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from handbook.errors import HandbookError
from handbook.importer.document import Document, Heading
from handbook.importer.layout import Layout, PageRule


@dataclass
class Placed:
    heading: Heading
    page: PageRule
    level: int
    id: str | None  # None for a topic: its KSA id is given by `handbook ksa number`


@dataclass
class Page:
    rule: PageRule
    start: int
    end: int
    headings: list[Placed] = field(default_factory=list)
    markdown: str = ""


@dataclass
class Result:
    pages: list[Page]
    snippets: dict[str, str]  # "cloudtrail/create-trail.sh" -> code
    notes: list[str]  # what the import decided that a reader of its output should know


def split(doc: Document, layout: Layout, source: str) -> Result:
    notes: list[str] = []
    pages = find_pages(doc, layout, source)
    placed = place_headings(doc, pages, layout, source)
    resolve_links(doc, placed, source, notes)
    resolve_plain_links(doc, placed, source, notes)
    snippets = place_examples(doc, pages, layout, source)
    for page in pages:
        page.markdown = render(doc, page, layout) + contents(page, pages)
    return Result(pages, snippets, notes)


def contents(index: Page, pages: list[Page]) -> str:
    """A section's index page lists the pages of its folder."""
    folder = posixpath.dirname(index.rule.page)
    if posixpath.basename(index.rule.page) != "index.md" or not folder:
        return ""
    inside = [p for p in pages if posixpath.dirname(p.rule.page) == folder and p is not index]
    titles = [(p.headings[0].heading.text, posixpath.basename(p.rule.page)) for p in inside]
    return "\n" + "\n".join(f"* [{title}]({href})" for title, href in titles) + "\n"


def find_pages(doc: Document, layout: Layout, source: str) -> list[Page]:
    starts: list[tuple[int, PageRule]] = []
    for rule in layout.pages:
        headings = [h for h in doc.headings if not h.label]
        found = [h for h in headings if doc.lines[h.index].text.strip() == rule.heading]
        found = found or [h for h in headings if doc.lines[h.index].text.startswith(rule.heading)]
        if len(found) != 1:
            raise HandbookError(layout.path, rule.at, f"heading {rule.heading!r} is found {len(found)} times in {source}; it must be found once")
        starts.append((found[0].index, rule))
    starts.sort(key=lambda s: s[0])
    first = starts[0][0]
    stray = [line for line in doc.lines[:first] if line.text.strip()]
    if stray:
        raise HandbookError(source, stray[0].number, "this text comes before the first page's heading and would be lost")
    ends = [s[0] for s in starts[1:]] + [len(doc.lines)]
    return [Page(rule, start, end) for (start, rule), end in zip(starts, ends)]


def place_headings(doc: Document, pages: list[Page], layout: Layout, source: str) -> list[Placed]:
    placed: list[Placed] = []
    for page in pages:
        top = next(h for h in doc.headings if h.index == page.start)
        seen: dict[str, int] = {}
        section_level = 1
        for h in [h for h in doc.headings if page.start <= h.index < page.end]:
            if h is top:
                level, hid = 1, page.rule.folder
            elif h.label == 2:
                level, hid = section_level + 2, None
            elif h.label:
                level, hid = section_level + 1, layout.heading_id(h.text)
            else:
                level = max(2, h.level - top.level + 1)
                section_level, hid = level, layout.heading_id(h.text)
            if hid is not None and hid in seen:
                raise HandbookError(source, h.number, f"heading id {hid!r} is used twice on {page.rule.page} (first at line {seen[hid]}); add an `ids` rule to the layout")
            seen[hid] = h.number
            p = Placed(h, page.rule, level, hid)
            page.headings.append(p)
            placed.append(p)
    return placed


def resolve_links(doc: Document, placed: list[Placed], source: str, notes: list[str]) -> None:
    """`[CloudTrail](## AWS CloudTrail)` becomes `[CloudTrail](services/cloudtrail.md)`."""
    for link in doc.links:
        same_level = [p for p in placed if p.heading.level == link.level and not p.heading.label]
        exact = [p for p in same_level if p.heading.text.casefold() == link.target.casefold()]
        prefix = [p for p in same_level if p.heading.text.casefold().startswith(link.target.casefold())]
        if len(exact) == 1:
            target = exact[0]
        elif not exact and len(prefix) == 1:
            target = prefix[0]
            notes.append(f"{source}:{link.number}: link {link.written} matched the heading {target.heading.text!r} by its start")
        else:
            found = "no heading" if not exact and not prefix else "more than one heading"
            raise HandbookError(source, link.number, f"link {link.written} points at {found} with that text")
        page = page_of(placed, link.index)
        href = posixpath.relpath(target.page.page, posixpath.dirname(page.page) or ".")
        if target.level > 1:
            href += f"#{target.id}"
        doc.replace(link.index, doc.text(link.index)[0].replace(link.written, f"[{link.label}]({href})"))


def anchors(placed: list[Placed]) -> dict[str, Placed]:
    """Each heading by the anchor a Markdown viewer gives it in the one-file source (GitHub's way:
    lower case, punctuation dropped, a hyphen per space, -1, -2, ... for a repeat)."""
    found: dict[str, Placed] = {}
    for p in placed:
        if p.heading.label:
            continue
        anchor = re.sub(r"[^\w\- ]", "", p.heading.text.lower()).replace(" ", "-")
        n, unique = 0, anchor
        while unique in found:
            n += 1
            unique = f"{anchor}-{n}"
        found[unique] = p
    return found


def resolve_plain_links(doc: Document, placed: list[Placed], source: str, notes: list[str]) -> None:
    """`[Contain](#part-3--contain)` becomes a link to the page the heading landed on; a link to a file
    beside the source is reported: the import writes pages and snippets, and copies no other file."""
    by_anchor = anchors(placed)
    folder = Path(source).parent
    for link in doc.plain_links:
        if not link.href.startswith("#"):
            there = "it is there" if (folder / link.href.split("#")[0]).exists() else "it is not there either"
            notes.append(f"{source}:{link.number}: the link to {link.href} names a file beside the source ({there}); "
                         "the import copies no such file: put it under docs/ and link to it from the page")
            continue
        target = by_anchor.get(link.href[1:])
        if target is None:
            raise HandbookError(source, link.number, f"the link to {link.href} points at no heading of the source")
        page = page_of(placed, link.index)
        href = posixpath.relpath(target.page.page, posixpath.dirname(page.page) or ".")
        if target.level > 1 and target.id:
            href += f"#{target.id}"
        elif target.level > 1:  # a topic: its KSA id comes later, from `handbook ksa number`
            notes.append(f"{source}:{link.number}: the link to {link.href} leads to the page of its heading, "
                         "which has no id yet")
        doc.replace(link.index, doc.text(link.index)[0].replace(f"]({link.href})", f"]({href})"))


def page_of(placed: list[Placed], index: int) -> PageRule:
    before = [p for p in placed if p.heading.index <= index]
    return before[-1].page


def place_examples(doc: Document, pages: list[Page], layout: Layout, source: str) -> dict[str, str]:
    snippets: dict[str, str] = {}
    for first, last, example, list_depth in doc.examples:
        page = next(p for p in pages if p.start <= first < p.end)
        name = example.name(layout.names.get(example.number))
        ref = f"{page.rule.folder}/{name}"
        if ref in snippets:
            stem, ext = name.rsplit(".", 1)
            n = 2
            while f"{page.rule.folder}/{stem}-{n}.{ext}" in snippets:
                n += 1
            ref = f"{page.rule.folder}/{stem}-{n}.{ext}"
        snippets[ref] = example.code
        call = f'{{{{ snippet("{ref}") }}}}'
        if list_depth is None:
            doc.edits[first] = ["", call, ""]
            for n in range(first + 1, last + 1):
                doc.edits[n] = []
        else:  # inside a list step: indented as the step's own blocks, every line of it
            pad = 4 * list_depth
            call = f'{{{{ snippet("{ref}") | indent({pad}) }}}}'
            doc.edits[first] = doc.text(first) + ["", " " * pad + call, ""]
    return snippets


def render(doc: Document, page: Page, layout: Layout) -> str:
    headings = {p.heading.index: p for p in page.headings}
    boxed = layout.admonition.get("id")
    out: list[str] = []
    in_box = False
    for n in range(page.start, page.end):
        if n in headings:
            p = headings[n]
            in_box = p.id == boxed
            out.append(f"{'#' * p.level} {p.heading.text}" + (f" {{#{p.id}}}" if p.id else ""))
            if in_box:
                out += ["", f'!!! {layout.admonition["type"]} "{layout.admonition["title"]}"']
            if p.level == 1 and (url := link_url(doc.lines[n].text)):
                out += ["", f"Original: [{p.heading.text}]({url})"]
            continue
        for text in doc.text(n):
            out.append(("    " + text if in_box and text.strip() else text).rstrip())
    return tidy(out)


def link_url(markdown_heading: str) -> str | None:
    text = markdown_heading.lstrip("#").strip()
    if text.startswith("[") and text.endswith(")") and "](" in text:
        return text[text.index("](") + 2 : -1]
    return None


def tidy(lines: list[str]) -> str:
    """One blank line between blocks, none at the ends."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
