"""The kit's site in headless chromium from file://, with no name resolution and a dead proxy."""

from __future__ import annotations

import pytest

from handbook.kit.chromium import Browser

from .conftest import FIXTURES

CROSS_PAGE = ".md-content a[href*='.html#']"
A4_PRINTABLE = 746  # CSS px across an A4 page inside print-site's margins (210 mm - 2 x 1.5 em)
# what a reader sees: every element of these kinds that print would show
SHOWN_IN_PRINT = ("[...document.querySelectorAll('{}')]"
                  ".filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length).length")


@pytest.fixture(scope="module")
def visit(kit, browser) -> dict:
    """Open the home page, search for GuardDuty, follow a cross-page anchor link; record every request."""
    seen = {}
    with Browser(browser, record_requests=True) as b:
        tab = b.open((kit.site / "index.html").as_uri())
        b.evaluate(tab, "document.querySelector('.md-search__input').focus()")
        b.call("Input.insertText", tab, text="GuardDuty")
        seen["results"] = b.wait_for(tab, "document.querySelectorAll('.md-search-result__item').length", timeout=30)
        seen["first result"] = b.evaluate(tab, "document.querySelector('.md-search-result__item a').href")

        b.navigate(tab, (kit.site / "analyst-questions.html").as_uri())
        seen["link"] = b.evaluate(tab, f"document.querySelector(\"{CROSS_PAGE}\").href")
        before = len(b.events)
        b.evaluate(tab, f"document.querySelector(\"{CROSS_PAGE}\").click()")
        b.wait_event("Page.loadEventFired", tab, 30, since=before)
        b.settle(0.3)
        seen["landed"] = b.evaluate(tab, "location.href")
        seen["heading"] = b.evaluate(tab, """(() => {
            const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
            return {tag: target.tagName, top: target.getBoundingClientRect().top, scrolled: scrollY,
                    header: document.querySelector('.md-header').getBoundingClientRect().height} })()""")
        seen["requests"] = list(b.requests)
    return seen


def test_nothing_but_files_is_requested(visit):
    assert len(visit["requests"]) > 10  # the pages, stylesheets, scripts and search index were seen
    # data: URLs (Material's inline SVG icons) are read from the page itself, not fetched
    assert [url for url in visit["requests"] if not url.startswith(("file://", "data:"))] == []


def test_a_search_for_guardduty_shows_results(visit):
    assert visit["results"] > 0
    assert "/site/services/guardduty.html" in visit["first result"]


def test_a_cross_page_anchor_link_lands_on_its_heading(visit):
    assert visit["landed"] == visit["link"] and "#" in visit["landed"]
    heading = visit["heading"]
    assert heading["tag"] in {"H1", "H2", "H3", "H4", "H5", "H6"}
    assert heading["scrolled"] > 0
    assert heading["header"] - 1 <= heading["top"] <= heading["header"] + 40  # just under the sticky header


def test_the_recorder_sees_a_page_that_fetches_from_the_network(browser):
    """The check above can fail: a page with external references is caught, and still loads."""
    with Browser(browser, record_requests=True) as b:
        b.open((FIXTURES / "external" / "page.html").as_uri())
        b.settle(0.5)
        external = {url for url in b.requests if not url.startswith("file://")}
    assert {"https://cdn.example.com/app.js", "https://fonts.googleapis.com/css?family=Roboto"} <= external


def test_the_print_page_hides_copy_buttons_and_permalinks_and_fits_the_paper(kit, browser):
    with Browser(browser, size=(A4_PRINTABLE, 1000)) as b:
        tab = b.open((kit.site / "print_page.html").as_uri())
        b.call("Emulation.setEmulatedMedia", tab, media="print")
        controls = ".md-code__button, .md-clipboard, .headerlink"
        assert b.evaluate(tab, f"document.querySelectorAll('{controls}').length") > 100
        assert b.evaluate(tab, SHOWN_IN_PRINT.format(controls)) == 0
        # wider content would make chromium shrink every page of the PDF to fit it
        assert b.evaluate(tab, "document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
