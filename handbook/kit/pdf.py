"""The kit's PDF: the print-site page printed by headless chromium, with bookmarks.

Chromium prints the one-page print version (print_page.html, from the print-site plugin) with
a document outline: one bookmark per visible heading, so per page of the site and per section.
Three things are then mended with pypdf: chromium joins the lines of a wrapped heading without
a space in its bookmark ("an AccountorOrganization"), so each bookmark gets its heading's text
back; a link to a file of the site that is not a page (ksa.csv) points at the folder the PDF was
printed in, so it becomes relative, "site/ksa.csv", which resolves beside handbook.pdf in the kit;
and the PDF's dates become the kit's date, so the same commit prints the same PDF.

The PDF may embed only the site's pinned fonts (handbook.fonts): a character they lack would be
drawn in whatever font the machine has, and the kit would differ from machine to machine, so
that stops the build, naming the fonts.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from handbook import fonts
from handbook.errors import HandbookError
from handbook.kit.chromium import Browser

PRINT_PAGE = "print_page.html"

# ready to print: loaded, and print-site has copied the table of contents
READY = ("document.readyState === 'complete' && document.fonts.status === 'loaded'"
         " && document.querySelector('#print-page-toc ul') !== null")
# after a layout, every face it asked for has loaded (or failed): the text is drawn in its font
FONTS_LOADED = "(document.body.offsetHeight, document.fonts.ready.then(() => document.fonts.status === 'loaded'))"
# a collapsed block would print as its summary only
OPEN_DETAILS = "document.querySelectorAll('details:not([open])').forEach(d => { d.open = true })"
# the handbook's name: the cover's heading (handbook/kit/assets/cover.tpl)
TITLE = "(document.querySelector('#print-site-cover-page h1')?.textContent ?? document.title).trim()"
# the text of every heading as its bookmark holds it: without its permalink or buttons
HEADINGS = """[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => {
  const copy = h.cloneNode(true); copy.querySelectorAll('.headerlink, button').forEach(e => e.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim() })"""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def print_site(site: Path, out: Path, *, version: str, epoch: int, binary: str | None = None) -> dict:
    """Print `site`/print_page.html to `out`; returns its pages, bookmarks and the chromium version."""
    raw = out.with_name(out.name + ".chromium")
    with Browser(binary) as browser:
        product = browser.call("Browser.getVersion")["product"]
        tab = browser.open((site / PRINT_PAGE).resolve().as_uri())
        browser.call("Emulation.setEmulatedMedia", tab, media="print")
        browser.wait_for(tab, READY)
        browser.evaluate(tab, OPEN_DETAILS)
        browser.wait_for(tab, FONTS_LOADED)
        headings = browser.evaluate(tab, HEADINGS)
        title = f"{browser.evaluate(tab, TITLE)} {version}"
        browser.pdf(tab, raw, generateDocumentOutline=True, printBackground=True, preferCSSPageSize=True)
    try:
        writer = mend(raw, headings=headings, title=title, epoch=epoch, site=site)
        embedded = embedded_fonts(writer)
        if found := ligatures(writer):
            raise HandbookError(site / PRINT_PAGE, None, f"the PDF's text would hold ligatures ({', '.join(found)}) "
                                "where a reader searches and copies letters: ligatures must be off in print")
        if foreign := sorted(embedded - fonts.postscript_names()):
            raise HandbookError(site / PRINT_PAGE, None, f"the PDF would embed {', '.join(foreign)}, not only the "
                                f"site's pinned fonts ({', '.join(f.name for f in fonts.FAMILIES)}): a character "
                                "they lack fell back to a font of this machine, or a style names a font of its own")
        with open(out, "wb") as f:
            writer.write(f)
    finally:
        raw.unlink(missing_ok=True)
    return {"pages": len(writer.pages), "bookmarks": len(list(outline(writer))), "fonts": sorted(embedded),
            "chromium": product}


def mend(raw: Path, *, headings: list[str], title: str, epoch: int, site: Path) -> PdfWriter:
    writer = PdfWriter(clone_from=raw)
    texts = {squash(h): h for h in reversed(headings)}  # the first heading wins on equal text
    for item in outline(writer):
        text = texts.get(squash(item["/Title"]))
        if text:
            item[NameObject("/Title")] = TextStringObject(text)
    printed_from = site.resolve().as_uri() + "/"
    for action in uri_actions(writer):
        if action["/URI"].startswith(printed_from):
            action[NameObject("/URI")] = TextStringObject(site.name + "/" + action["/URI"][len(printed_from):])
    date = datetime.fromtimestamp(epoch, timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.add_metadata({"/Title": title, "/CreationDate": date, "/ModDate": date})
    return writer


def outline(writer: PdfWriter):
    """Every bookmark dictionary, depth first."""
    root = writer.root_object.get("/Outlines")
    stack = [root.get_object()["/First"].get_object()] if root and "/First" in root.get_object() else []
    while stack:
        item = stack.pop()
        yield item
        if "/Next" in item:
            stack.append(item["/Next"].get_object())
        if "/First" in item:
            stack.append(item["/First"].get_object())


def uri_actions(writer: PdfWriter):
    """The action of every link to a URI."""
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                yield action.get_object()


def embedded_fonts(pdf) -> set[str]:
    """The name of every font a PDF's pages use, without its subset tag: {"Roboto-Regular", ...}."""
    found, seen = set(), set()
    stack = [page.get("/Resources") for page in pdf.pages]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            continue
        seen.add(id(resources))
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get_object().get("/BaseFont", ""))
            found.add(name.lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():  # forms carry resources of their own
            stack.append(xobject.get_object().get("/Resources"))
    return found


# A glyph mapped to U+FB00-FB06 ("ﬀ", "ﬁ", "ﬂ", ...) in a font's ToUnicode map, in a bfchar or bfrange.
LIGATURE = re.compile(rb"<((?:[0-9A-Fa-f]{4})*?)[Ff][Bb]0([0-6])((?:[0-9A-Fa-f]{4})*)>")


def ligatures(pdf) -> list[str]:
    """The ligature characters any font of the PDF's pages maps a glyph to: what its text layer can hold."""
    found = set()
    for page in pdf.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            cmap = font.get_object().get("/ToUnicode")
            if cmap is not None:
                found.update(chr(0xFB00 + int(m[2])) for m in LIGATURE.finditer(cmap.get_object().get_data())
                             if len(m[1]) % 4 == 0)
    return sorted(found)
