"""Read the repaired source with markdown-it: headings, examples, lists, links, and the
line edits that make Python-Markdown (which MkDocs uses) render what CommonMark renders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from handbook.importer.examples import Example, code_of
from handbook.importer.repair import Line

LIST_MARKER = re.compile(r"^\s*(\d+[.)]|[-*+])[ \t]+")
HEADING_LINK = re.compile(r"\[(?P<label>[^\]]+)\]\((?P<hashes>#{1,6})\s+(?P<target>[^)]+?)\s*\)")
PSEUDO_TAG = re.compile(r"^<[a-z]+(?:-[a-z]+)+>$")  # <variable-name>: a placeholder, not HTML
INLINE_COMMAND = re.compile(r"^aws [a-z0-9-]+ [a-z0-9-]+ ")
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:, ...


@dataclass
class Heading:
    index: int  # index into the repaired lines
    number: int  # source line
    level: int  # source level
    text: str  # plain text
    label: int = 0  # 0 a heading; 1 a bold label one below its section; 2 a topic under a label


@dataclass
class HeadingLink:
    index: int
    number: int
    written: str  # "[CloudTrail](## AWS CloudTrail)"
    label: str
    level: int
    target: str


@dataclass
class PlainLink:
    """A link written as Markdown: to a heading of the same file (`#part-3--contain`) or to a file."""

    index: int
    number: int
    href: str


@dataclass
class Document:
    lines: list[Line]
    edits: dict[int, list[str]] = field(default_factory=dict)  # index -> replacement lines
    headings: list[Heading] = field(default_factory=list)
    examples: list[tuple[int, int, Example, int | None]] = field(default_factory=list)  # first, last, example, list indent
    links: list[HeadingLink] = field(default_factory=list)
    plain_links: list[PlainLink] = field(default_factory=list)  # in-page anchors and files beside the source

    def text(self, index: int) -> list[str]:
        return self.edits.get(index, [self.lines[index].text])

    def replace(self, index: int, text: str) -> None:
        self.edits[index] = [text]


def is_topic(text: str) -> bool:
    """A short paragraph that is not a sentence names a topic; a longer one ending in ':'
    introduces a list ("The most common event buses are:")."""
    words = len(text.split())
    if text.endswith(".") or "\n" in text or "](" in text or "http" in text:
        return False
    return words <= 4 if text.endswith(":") else words <= 8


def read(lines: list[Line], labels: list[str], topics: list[str] = ()) -> Document:
    doc = Document(lines)
    tokens = MarkdownIt("commonmark").parse("\n".join(line.text for line in lines))
    items: list[int] = []  # open list items: their first line
    depth: dict[int, tuple[int, bool]] = {}  # line -> (list depth, is the item's marker line)
    verbatim: set[int] = set()  # lines of code, never re-indented
    lead, section, level = "", "", 0
    in_topics = False  # inside a label whose short paragraphs are topics (Knowledge)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level, section, lead, in_topics = int(tok.tag[1]), tokens[i + 1].content.strip(), "", False
            doc.headings.append(Heading(tok.map[0], lines[tok.map[0]].number, level, plain(tokens[i + 1])))
        elif tok.type == "list_item_open":
            items.append(tok.map[0])
            for n in range(tok.map[0], tok.map[1]):
                depth[n] = (len(items), n == tok.map[0])
        elif tok.type == "list_item_close":
            items.pop()
        elif tok.type == "hr":
            doc.edits[tok.map[0]] = []
        elif tok.type == "fence":
            first, last = tok.map[0], tok.map[1] - 1
            verbatim.update(range(first, last + 1))
            language = tok.info.split()[0] if tok.info.strip() else ""
            example = Example(lines[first].number, code_of(tok.content), lead, section, language)
            doc.examples.append((first, last, example, None))
        elif tok.type == "code_block":
            # Indented prose the author meant as a list: the lines become bullets.
            bullets = [line.strip() for line in tok.content.splitlines() if line.strip()]
            doc.edits[tok.map[0]] = [b if LIST_MARKER.match(b) else f"* {b}" for b in bullets] + [""]
            for n in range(tok.map[0] + 1, tok.map[1]):
                doc.edits[n] = []
            verbatim.update(range(tok.map[0], tok.map[1]))
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            text = tok.content.strip()
            bold = re.fullmatch(r"\*\*(.+?)\*\*", text)
            top = not items and tokens[i - 1].level == 0
            if bold and bold[1].strip() in labels:
                doc.headings.append(Heading(tok.map[0], lines[tok.map[0]].number, level + 1, bold[1].strip(), label=1))
                in_topics = bold[1].strip() in topics
            elif in_topics and top and is_topic(text):
                doc.headings.append(Heading(tok.map[0], lines[tok.map[0]].number, level + 2, text, label=2))
            else:
                lead = text
            read_inline(doc, tok, items)
    reindent(doc, depth, verbatim)
    return doc


def plain(inline) -> str:
    """A heading's text without its Markdown (a linked heading gives its link text)."""
    return "".join(c.content for c in inline.children if c.type in ("text", "code_inline")).strip()


def line_of(doc: Document, tok, needle: str) -> int:
    for n in range(tok.map[0], tok.map[1]):
        if needle in doc.lines[n].text:
            return n
    return tok.map[0]


def read_inline(doc: Document, tok, items: list[int]) -> None:
    """Heading-text links, pseudo tags and commands written inline, in one paragraph."""
    codes = [c.content for c in tok.children if c.type == "code_inline"]
    for m in HEADING_LINK.finditer(tok.content):
        if not any(m[0] in code for code in codes):
            n = line_of(doc, tok, m[0])
            doc.links.append(HeadingLink(n, doc.lines[n].number, m[0], m["label"], len(m["hashes"]), m["target"].strip()))
    for child in tok.children:
        href = child.attrGet("href") if child.type == "link_open" else None
        if href and not URL_SCHEME.match(href) and not href.startswith("/"):
            n = line_of(doc, tok, f"]({href}")
            doc.plain_links.append(PlainLink(n, doc.lines[n].number, href))
        if child.type == "html_inline" and PSEUDO_TAG.match(child.content):
            n = line_of(doc, tok, child.content)
            doc.replace(n, doc.text(n)[0].replace(child.content, f"`{child.content}`"))
        if child.type == "code_inline" and INLINE_COMMAND.match(child.content) and items:
            # A command inside a list step: shown as a block under the step's sentence.
            n = line_of(doc, tok, child.content)
            before = doc.lines[n].text.split(f"`{child.content}`")[0]
            sentence = LIST_MARKER.sub("", before).strip()
            doc.replace(n, doc.text(n)[0].replace(f"`{child.content}` ", "").replace(f"`{child.content}`", ""))
            doc.examples.append((n, n, Example(doc.lines[n].number, child.content + "\n", sentence, ""), len(items)))


def reindent(doc: Document, depth: dict[int, tuple[int, bool]], verbatim: set[int]) -> None:
    """Indent every list line by four spaces a level, the only nesting Python-Markdown reads."""
    for n, (level, marker) in depth.items():
        if n in verbatim:
            continue
        texts = doc.text(n)
        if len(texts) != 1 or not texts[0].strip():
            continue
        stripped = texts[0].strip()
        if marker:
            stripped = LIST_MARKER.sub(lambda m: m[1] + " ", stripped, count=1)
            line = " " * 4 * (level - 1) + stripped
            after_prose = n - 1 in depth and not depth[n - 1][1] and doc.text(n - 1) and doc.text(n - 1)[-1].strip()
            # Python-Markdown reads a step right after a paragraph as more of that paragraph.
            doc.edits[n] = ["", line] if after_prose else [line]
        else:
            doc.replace(n, " " * 4 * level + stripped)
