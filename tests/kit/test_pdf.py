"""The kit's PDF: cover, printed contents, a bookmark per page and section, links that land."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from handbook import fonts
from handbook.kit.pdf import embedded_fonts, ligatures, squash

from .conftest import ROOT


class Loader(yaml.SafeLoader):
    """mkdocs.yml as plain data: its !ENV tags read as null."""


Loader.add_constructor("!ENV", lambda loader, node: None)


def nav() -> list[tuple[str | None, str | None]]:
    """mkdocs.yml's nav, flattened: (title or None, page .md or None for a section), in order; without
    the pages print-site's `exclude` leaves out of the PDF (the browser's own qualification record)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader)
    printed = next(p["print-site"] for p in config["plugins"] if isinstance(p, dict) and "print-site" in p)
    excluded = set(printed.get("exclude") or [])
    found = []

    def walk(item, title=None):
        if isinstance(item, str):
            if item not in excluded:
                found.append((title, item))
        elif isinstance(item, list):
            for value in item:
                walk(value)
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, list):
                    found.append((key, None))
                walk(value, key)

    walk(config["nav"])
    return found


def nav_pages() -> list[str]:
    return [page for _, page in nav() if page]


def words(text: str) -> str:
    return " ".join(text.split())


class Headings(HTMLParser):
    """The text of each h1/h2 in a page's content, as its bookmark holds it: without permalink or buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self._open: str | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self._open, self._text = tag, ""
        elif self._open and (tag == "button" or "headerlink" in (dict(attrs).get("class") or "")):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("a", "button") and self._skip:
            self._skip -= 1
        elif tag == self._open:
            self.headings.append((tag, self._text.strip()))
            self._open = None

    def handle_data(self, data):
        if self._open and not self._skip:
            self._text += data


def headings(page: Path) -> list[tuple[str, str]]:
    html = page.read_text(encoding="utf-8")
    content = html[html.index('<article class="md-content__inner'):html.index("</article>")]
    parser = Headings()
    parser.feed(content)
    return parser.headings


class TextAt(HTMLParser):
    """For each id in a page, the start of the text its element shows first: letters and digits,
    up to the end of its first block (a heading, a paragraph, ...), at most 24."""

    BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "td", "th", "dt", "dd", "summary", "label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pending: list[str] = []
        self.text: dict[str, str] = {}
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.pending.append(attrs["id"])
            self.text.setdefault(attrs["id"], "")
        if tag == "button" or "headerlink" in (attrs.get("class") or ""):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("a", "button") and self._hidden:
            self._hidden -= 1
        elif tag in self.BLOCKS:
            self.pending = [anchor for anchor in self.pending if not self.text[anchor]]

    def handle_data(self, data):
        if self._hidden:
            return
        letters = re.sub(r"[^A-Za-z0-9]", "", data)
        for anchor in list(self.pending):
            self.text[anchor] = (self.text[anchor] + letters)[:24]
            if len(self.text[anchor]) == 24:
                self.pending.remove(anchor)


@pytest.fixture(scope="module")
def pdf(kit) -> PdfReader:
    return PdfReader(kit.pdf)


class Texts:
    """The text of a page of the PDF, read when first asked for: pypdf takes ~0.1 s a page."""

    def __init__(self, pdf: PdfReader):
        self.pdf = pdf
        self.read: dict[int, str] = {}

    def __getitem__(self, number: int) -> str:
        if number not in self.read:
            self.read[number] = self.pdf.pages[number].extract_text()
        return self.read[number]


@pytest.fixture(scope="module")
def pages_text(pdf) -> Texts:
    return Texts(pdf)


def outline_items(pdf) -> list:
    found = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else found.append(item)

    walk(pdf.outline)
    return found


def bookmarks(pdf) -> list[str]:
    return [item.title for item in outline_items(pdf)]


def test_the_page_count_is_sane(pdf):
    count = len(pdf.pages)
    assert len(nav_pages()) + 2 <= count <= 400  # cover, contents, each page on its own pages


def test_the_cover_names_the_version_and_the_date(kit, pages_text):
    cover = pages_text[0]
    assert "AWS TD/IR Handbook" in cover
    assert kit.manifest["version"] in cover and kit.manifest["build_date"][:10] in cover


def test_a_printed_table_of_contents_lists_every_page_and_section(kit, pages_text):
    """print-site's contents, after the cover: the nav's titles (the page's heading when the nav has none)."""
    contents = squash(pages_text[1] + pages_text[2])
    assert "Contents" in contents
    for title, page in nav():
        title = title or headings(kit.site / page.replace(".md", ".html"))[0][1]
        assert squash(title) in contents, title


def test_bookmarks_cover_every_page_and_its_sections_with_their_words(kit, pdf):
    """Word for word: chromium joins the lines of a wrapped heading without a space; handbook.kit.pdf mends that."""
    found = {words(title) for title in bookmarks(pdf)}
    expected = [(page, words(text)) for page in nav_pages() for _, text in headings(kit.site / page.replace(".md", ".html"))]
    assert len(expected) > 2 * len(nav_pages())
    assert [(page, text) for page, text in expected if text not in found] == []
    assert any(len(title) > 80 for title in found)  # some headings do wrap in print


def test_internal_links_land_on_the_page_of_their_target(kit, pdf, pages_text):
    text_at = TextAt()
    text_at.feed((kit.site / "print_page.html").read_text(encoding="utf-8"))
    destinations = pdf.named_destinations
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(pdf.pages)}
    links = [(number, annotation.get_object()["/Dest"]) for number, page in enumerate(pdf.pages)
             for annotation in page.get("/Annots") or [] if "/Dest" in annotation.get_object()]
    assert len(links) > 20
    wrong = []
    for number, name in links:
        assert name in destinations, f"page {number + 1}: link to {name}, which the PDF does not define"
        target = pages[destinations[name].page.idnum]
        start = text_at.text[name.lstrip("/")]
        assert start, f"{name} names an element with no text"
        if start not in re.sub(r"[^A-Za-z0-9]", "", pages_text[target]):
            wrong.append((number + 1, name, target + 1, start))
    assert wrong == []


def test_links_leave_the_pdf_only_for_the_web_or_the_kit(kit, pdf):
    uris = [a.get_object()["/A"]["/URI"] for page in pdf.pages for a in page.get("/Annots") or []
            if a.get_object().get("/A", {}).get("/S") == "/URI"]
    assert any(uri.startswith("https://docs.aws.amazon.com/") for uri in uris)
    local = [uri for uri in uris if not uri.startswith(("https://", "http://", "mailto:"))]
    assert [uri for uri in local if not (kit.folder / uri).is_file()] == []  # e.g. site/ksa.csv beside the PDF


def test_the_long_guardduty_json_starts_under_its_heading_and_is_printed_whole(pdf, pages_text):
    """Not pushed to the next page whole, not garbled: every line of the snippet is in the text."""
    [bookmark] = [b for b in outline_items(pdf) if b.title == "Sample GuardDuty Finding - JSON Format"]
    heading = pdf.get_destination_page_number(bookmark)
    assert '"schemaVersion"' in pages_text[heading]
    printed = squash("".join(re.sub(r"\d+ / \d+\s*$", "", pages_text[n]) for n in range(heading, heading + 6)))
    lines = (ROOT / "snippets" / "guardduty" / "example-finding.json").read_text().splitlines()
    assert [line for line in lines if squash(line) not in printed] == []


def test_the_pdf_embeds_exactly_the_pinned_fonts(kit, pdf):
    """Read from the PDF itself: a machine whose other fonts crept in fails here (and `handbook kit` stops)."""
    embedded = embedded_fonts(pdf)
    assert embedded <= fonts.postscript_names()
    assert {"Roboto-Regular", "Roboto-Bold", "Roboto-Light", "RobotoMono-Regular"} <= embedded
    assert kit.manifest["pdf"]["fonts"] == sorted(embedded)


def test_the_pdf_text_holds_plain_letters_not_ligatures(pdf, pages_text):
    """What a reader searches for or copies: "Config" and "Offline", never U+FB00-FB06 ("ﬁ", "ﬄ"):
    no font of the PDF maps a glyph to one, so no page's text can hold one."""
    assert ligatures(pdf) == []
    assert "Config" in pages_text[1] + pages_text[2] and "Offline IR kit" in pages_text[0]


def test_a_font_mapping_a_glyph_to_a_ligature_is_found():
    class Font(dict):
        def get_object(self):
            return self

    class Stream:
        def __init__(self, data):
            self.data = data

        def get_object(self):
            return self

        def get_data(self):
            return self.data

    def pdf(cmap: bytes):
        page = {"/Resources": {"/Font": {"/F1": Font({"/ToUnicode": Stream(cmap)})}}}
        return type("PDF", (), {"pages": [page]})()

    assert ligatures(pdf(b"beginbfchar\n<0003> <FB01>\n<0004> <00660069>\nendbfchar")) == ["\ufb01"]
    assert ligatures(pdf(b"beginbfrange\n<0010> <0012> <fb02>\nendbfrange")) == ["\ufb02"]
    assert ligatures(pdf(b"beginbfchar\n<0004> <00660069>\n<0005> <1FB01>\nendbfchar")) == []


def test_collapsed_blocks_and_every_tab_are_printed(mini_kit):
    text = "".join(page.extract_text() for page in PdfReader(mini_kit.folder / "handbook.pdf").pages)
    for body in ("COLLAPSED-BODY", "FIRST-TAB-BODY", "SECOND-TAB-BODY"):
        assert f"{body} must be printed." in text
