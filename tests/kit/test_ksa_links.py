"""KSA short links, copy-link and exports in headless chromium: from file:// (the kit) and
online (the same site served on 127.0.0.1)."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import threading

import time

import pytest

from handbook.errors import HandbookError
from handbook.kit.chromium import Browser

ITEM = "ct-s03"
PAGE = "services/cloudtrail.html"


@pytest.fixture(scope="module", params=["file", "http"])
def site_url(request, kit):
    """The kit's site as a base URL: opened from file://, or served on loopback."""
    if request.param == "file":
        yield kit.site.as_uri() + "/"
        return
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(kit.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def arrive(b: Browser, tab: str, expression: str, timeout: float = 30):
    """Wait through a redirect: the page may navigate while it is being asked."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if value := b.evaluate(tab, expression):
                return value
        except HandbookError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression} still false after {timeout} s")
        b.settle(0.1)


@pytest.fixture(scope="module")
def visit(site_url, browser) -> dict:
    """Follow the short link, then copy the item's link with the keyboard alone."""
    seen = {}
    with Browser(browser, loopback=site_url.startswith("http://127.0.0.1")) as b:
        b.call("Browser.grantPermissions", permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
        tab = b.open(f"{site_url}ksa/{ITEM}.html")
        arrive(b, tab, f"location.href.includes('{PAGE}') && document.readyState === 'complete' && !!document.getElementById('{ITEM}')")
        seen["landed"] = b.evaluate(tab, "location.href")
        seen["visible"] = b.evaluate(tab, f"""(() => {{ const r = document.getElementById('{ITEM}').getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight }})()""")
        seen["focused"] = b.evaluate(tab, f"""(() => {{ const button = document.querySelector('#{ITEM} .ksa-link');
            button.focus(); return document.activeElement === button }})()""")
        b.call("Input.dispatchKeyEvent", tab, type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r")
        b.call("Input.dispatchKeyEvent", tab, type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)
        seen["copied"] = b.wait_for(tab, "navigator.clipboard.readText()")
        # The exports as the KSA index links them (a browser downloads a .csv rather than show it).
        b.navigate(tab, f"{site_url}ksa/index.html")
        seen["exports"] = b.evaluate(tab, "[...document.querySelectorAll('a[href$=\".json\"], a[href$=\".csv\"]')].map(a => a.href)")
        if site_url.startswith("http"):
            seen["json"], seen["csv"] = (b.evaluate(tab, f"fetch('{url}').then(r => r.text())") for url in seen["exports"])
    return seen


def test_short_link_lands_on_the_item(site_url, visit):
    assert visit["landed"] == f"{site_url}{PAGE}#{ITEM}"
    assert visit["visible"]


def test_copy_link_works_from_the_keyboard(visit):
    assert visit["focused"]
    assert visit["copied"] == f"{PAGE}#{ITEM}"  # relative: mkdocs.yml sets no site_url


def test_exports_are_linked_and_served(site_url, visit, kit):
    assert visit["exports"] == [f"{site_url}ksa.json", f"{site_url}ksa.csv"]
    if not site_url.startswith("http"):
        assert all((kit.site / name).is_file() for name in ("ksa.json", "ksa.csv"))
        return
    rows = json.loads(visit["json"])
    assert {"id": ITEM, "service": "AWS CloudTrail", "kind": "Skill"}.items() <= next(r for r in rows if r["id"] == ITEM).items()
    table = list(csv.DictReader(visit["csv"].splitlines()))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
