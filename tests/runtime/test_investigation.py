"""Issue 20 in the served site: a whole investigation on a drill's panel, and Athena in the page.

The results come from the browser job of conftest.py (handbook.runtime.check.investigate and
athena_page); what the page showed is compared with what the suite's own Python gets.
"""

from __future__ import annotations

import pytest

from handbook import snippets
from handbook.account import Account
from handbook.examples.verify import simulation_runner
from handbook.runtime import athena
from handbook.training import athena as suite_athena
from handbook.training import investigation

from .conftest import ATHENA_QUERIES, ROOT
from .test_athena import TABLE, rows_of

SNIPPETS = ROOT / "snippets"


def shown(rows: list[tuple]) -> list[list[str]]:
    """Rows as the page's result table shows them."""
    return [["NULL" if v is None else str(v) for v in row] for row in rows]


@pytest.fixture(scope="module")
def suite_rows():
    """name -> the rows the suite's DuckDB gives for each SQL question, over the incident's delivered files."""
    found = {}
    account = Account(SNIPPETS, runner=simulation_runner())
    try:
        for name in ("credential-compromise", "console-login-without-mfa"):
            account.incident(name)
            records = suite_athena.records()
            found[name] = {q.id: suite_athena.query(q.sql, records) for q in investigation.load(name).questions if q.sql}
    finally:
        account.reset()
    return found


@pytest.mark.parametrize("name", ["credential-compromise", "console-login-without-mfa"])
def test_a_whole_investigation_in_the_page(in_page, suite_rows, name):
    done = in_page["investigations"][name]
    found = investigation.load(name)
    # Start: the briefing and the questions, each labelled, and no answer nor hint on the page
    assert done["briefing"].split()[:4] == found.briefing.replace("`", "").split()[:4]
    assert done["questions"] == [q.id for q in found.questions] and done["labelled"] is True
    for q in found.questions:
        for expect in q.expect if isinstance(q.expect, list) else [q.expect]:
            if len(str(expect)) > 3:  # a "no" or "yes" answer is a word any text may hold
                assert str(expect) not in done["panel text"], q.id
        assert not any(h in done["panel text"] for h in q.hints), q.id
    # a wrong answer refused, a hint when asked
    assert done["wrong"]["status"] == "wrong" and done["wrong"]["note"].startswith("Not right:")
    assert done["hint"] == found.questions[1].hints[0].replace("`", "")  # `names` shown as code
    # an Athena question answered with its SQL: the rows the suite's DuckDB gives
    asked = done["sql question"]["id"]
    first, again = done["sql"]
    for ran in (first, again):
        assert ran["status"] == "ok" and ran["note"].endswith("trail log file delivered in this account.")
        columns, rows = suite_rows[name][asked]
        assert ran["columns"] == columns and ran["rows"] == shown(rows)
    # every answer right, the containment typed as one's own commands, verified on the account
    assert {q: r["status"] for q, r in done["right"].items()} == {q.id: "right" for q in found.questions}
    assert [c["command"] for c in done["commands"]] == found.contain and all(c["status"] == "ok" for c in done["commands"])
    assert done["status"] == "contained" and done["containment"].startswith("Contained: every condition holds.")
    for condition in found.containment:
        assert f"Holds: {condition.that}." in done["containment"]
    # the score, and the record in the storage shape of DESIGN.md
    kept = done["record"]["investigations"][name]
    assert kept["status"] == "contained" and kept["hints"] == 1 and kept["commands"] == found.contain
    assert kept["score"] == investigation.score(found, len(found.questions), 1, kept["seconds"])
    assert all(a["status"] == "right" for a in kept["answers"].values())
    assert done["score"] == (f"Score: {kept['score']} of 100: {len(found.questions)} of {len(found.questions)} questions "
                             f"answered right, 1 hint taken, contained {kept['seconds'] // 60} min {kept['seconds'] % 60} s "
                             "after Start.")
    assert done["record"]["format"] == "handbook-record" and done["record"]["version"] == 1


@pytest.mark.parametrize("name", ["credential-compromise", "console-login-without-mfa"])
def test_the_panel_has_no_serious_accessibility_violation(in_page, name):
    serious = [v for v in in_page["investigations"][name]["axe"] if v["impact"] in ("critical", "serious")]
    assert serious == []


def test_the_athena_pages_queries_run_in_the_page_with_the_suites_answers(in_page):
    create, partition, query = in_page["athena"]["boxes"]
    assert create["status"] == "ok" and create["note"] == "Query successful." and create["rows"] == []
    assert "SQL engine: loading DuckDB…" in create["stages"]  # the engine loads on first use, with a progress bar
    assert partition["status"] == "ok" and partition["note"] == "Query successful."
    declared = snippets.load(SNIPPETS, query["ref"]).declarations["expect_rows"]
    assert query["status"] == "ok" and "9 records from the sample the handbook's checks use" in query["note"]
    got = [dict(zip(query["columns"], row)) for row in query["rows"]]
    assert [{k: row[k] for k in want} for want, row in zip(declared, got, strict=True)] == \
        [{k: "NULL" if v is None else v for k, v in want.items()} for want in declared]
    for ran in in_page["athena"]["boxes"]:
        assert ran["markup"] == 0  # a table of text, never markup from the data


def test_queries_typed_into_the_page_answer_as_the_suite_and_failures_speak_athena(in_page):
    typed = in_page["athena"]["typed"]
    for text, ran in zip(ATHENA_QUERIES[:2], typed[:2]):
        columns, rows = rows_of(athena.plan(text, [TABLE], None, source=""))
        assert ran["status"] == "ok" and ran["columns"] == columns and ran["rows"] == shown(rows), text
    unknown, cut = typed[2:]
    assert unknown["status"] == "error" and unknown["note"].startswith(
        "COLUMN_NOT_FOUND: line 1:8: Column 'nothing' cannot be resolved")
    assert cut["status"] == "error" and cut["note"].startswith("SYNTAX_ERROR: line 1:")
    assert unknown["rows"] == [] and cut["rows"] == []


def test_the_sql_engine_is_fetched_only_when_a_query_first_runs_and_nothing_leaves(in_page):
    page = in_page["athena"]
    assert [u for u in page["requests before run"] if "/assets/runtime/" in u] == []
    assert any(u.endswith("/assets/runtime/duckdb.js") for u in page["requests"])
    assert [u for u in page["requests"] if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))] == []
    assert [v for v in page["axe"] if v["impact"] in ("critical", "serious")] == []
