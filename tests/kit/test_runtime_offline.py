"""Run in the page from the offline kit: file://, no name resolution, nothing but file:, data: and blob:."""

from __future__ import annotations

import pytest

from handbook import snippets
from handbook.kit.chromium import Browser
from handbook.runtime.check import compare, run_page

from .conftest import ROOT

PAGE = "services/s3.html"  # three examples, `aws s3 cp` (threadless in the browser) among them


@pytest.fixture(scope="module")
def offline(kit, browser):
    with Browser(browser, record_requests=True) as b:  # names resolve to nothing, the proxy is closed
        return run_page(b, (kit.site / PAGE).as_uri())


def test_every_example_of_a_kit_page_runs_from_file_with_its_recorded_output(offline):
    refs = [r.ref for r in offline.ran]
    assert refs == ["s3/list-buckets.sh", "s3/list-bucket-contents.sh", "s3/download-object.sh"]
    for r in offline.ran:
        recorded = snippets.Snippet(ROOT / "snippets", r.ref).output.read_bytes().decode()
        assert r.status == "ok" and compare(recorded, r.stdout), (r.ref, r.note, r.stderr)
    assert "download: s3://" in offline.ran[2].stdout


def test_the_kit_page_makes_no_request_but_file_data_and_blob(offline):
    assert any(u.endswith("assets/runtime/packages.js") for u in offline.requests)
    assert [u for u in offline.requests if not u.startswith(("file://", "data:", "blob:"))] == []
