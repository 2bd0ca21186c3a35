"""A whole investigation from the offline kit: file://, no name resolution, nothing but file:, data: and blob:.

The SQL engine loads as the runtime does from file:// (base64 in classic scripts, a worker from a
blob), and the record is kept in the storage Chromium gives file: pages.
"""

from __future__ import annotations

import pytest

from handbook.kit.chromium import Browser
from handbook.runtime.check import investigate
from handbook.training import investigation

NAME = "credential-compromise"


@pytest.fixture(scope="module")
def offline(kit, browser):
    with Browser(browser, record_requests=True) as b:  # names resolve to nothing, the proxy is closed
        done = investigate(b, (kit.site / "playbooks" / f"{NAME}.html").as_uri(), NAME)
        done["requests"] = list(b.requests)
        return done


def test_a_whole_investigation_runs_from_the_kit(offline):
    found = investigation.load(NAME)
    assert offline["wrong"]["status"] == "wrong"
    assert offline["hint"] == found.questions[1].hints[0].replace("`", "")
    first, again = offline["sql"]
    assert first["status"] == again["status"] == "ok" and first["rows"] == again["rows"] != []
    assert all(r["status"] == "right" for r in offline["right"].values())
    assert offline["status"] == "contained" and "5 of 5 questions answered right, 1 hint taken, contained" in offline["score"]
    assert offline["record"]["investigations"][NAME]["status"] == "contained"


def test_the_kit_investigation_makes_no_request_but_file_data_and_blob(offline):
    assert any(u.endswith("assets/runtime/duckdb.js") for u in offline["requests"])
    assert [u for u in offline["requests"] if not u.startswith(("file://", "data:", "blob:"))] == []
