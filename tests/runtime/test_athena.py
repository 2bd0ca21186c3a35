"""Athena in the page (handbook/runtime/athena.py) and the investigation panel's calls (panel.py), in the
suite's Python: what the page's DuckDB is given returns the suite's rows; failures speak Athena."""

from __future__ import annotations

import json

import duckdb
import pytest

from handbook import snippets
from handbook.account import Account
from handbook.examples import sql as checks
from handbook.examples.verify import simulation_runner
from handbook.runtime import athena, boot
from handbook.training import athena as suite_athena
from handbook.training import investigation

from .conftest import ROOT

SNIPPETS = ROOT / "snippets"
TABLE = (SNIPPETS / athena.TABLE).read_text(encoding="utf-8")


def rows_of(plan: athena.Plan) -> tuple[list[str], list[tuple]]:
    """What duckdb-wasm does with a plan, done by the suite's DuckDB."""
    assert plan.error is None, plan.error
    con = duckdb.connect()
    for statement in plan.setup:
        con.execute(statement)
    cursor = con.execute(plan.query)
    return [d[0] for d in cursor.description], cursor.fetchall()


def failure(text: str) -> str:
    """The Athena error the page shows for `text` over the sample records."""
    plan = athena.plan(text, [TABLE], None, source="")
    if plan.error:
        return plan.error
    with pytest.raises(duckdb.Error) as raised:
        rows_of(plan)
    return athena.athena_error(str(raised.value), text)


def test_every_athena_page_query_returns_its_declared_rows_over_the_suites_sample():
    queries = [s for s in snippets.find(SNIPPETS) if s.kind == "sql" and "expect_rows" in s.declarations]
    assert queries
    for query in queries:
        tables = [TABLE] + [checks._snippet_file(query.file.parent, r).read_text(encoding="utf-8")
                            for r in checks._requires(query.declarations)]
        plan = athena.plan(query.text, tables, None, source="")
        assert "the sample the handbook's checks use" in plan.note
        columns, rows = rows_of(plan)
        got = [dict(zip([c.lower() for c in columns], row)) for row in rows]
        for want, have in zip(query.declarations["expect_rows"], got, strict=True):
            assert {k.lower(): have[k.lower()] for k in want} == {k.lower(): v for k, v in want.items()}, query.ref


@pytest.fixture(scope="module")
def incident():
    """The credential-compromise incident replayed in the page's kind of account."""
    account = Account(SNIPPETS, runner=simulation_runner())
    account.incident("credential-compromise")
    yield account
    account.reset()


def test_each_investigations_sql_gives_in_the_page_the_rows_the_suite_gets(incident):
    records, files = athena.delivered()
    assert files and records  # the incident's delivered files, read as the suite reads them (one reader)
    found = investigation.load("credential-compromise")
    asked = [q for q in found.questions if q.sql]
    assert asked
    for question in asked:
        plan = athena.plan(question.sql, [TABLE], records, source="x", signature="\n".join(files))
        assert plan.note == "cloudtrail_logs holds 14 records from x."
        assert rows_of(plan) == suite_athena.query(question.sql, records)


def test_the_box_of_an_incident_reads_its_delivered_files_and_a_fresh_account_the_sample(incident):
    done = json.loads(boot.sql(incident, athena.TABLE, "SELECT count(*) AS n FROM cloudtrail_logs",
                               "drill:credential-compromise"))
    assert done["account"] == "same" and done["error"] is None
    assert done["note"] == "cloudtrail_logs holds 14 records from the 1 trail log file delivered in this account."
    other = json.loads(boot.sql(incident, "athena/security-group-changes-on-eni.sql", "SELECT 1", None))
    assert other["account"] == "fresh" and "9 records from the sample" in other["note"]


def test_the_same_data_gives_the_same_setup_key_and_other_data_another():
    one = athena.plan("SELECT 1", [TABLE], None, source="")
    assert one.key == athena.plan("SELECT 2", [TABLE], None, source="").key
    record = {"eventName": "ListUsers", "eventTime": "2026-11-20T09:14:41Z"}
    assert athena.plan("SELECT 1", [TABLE], [record], source="f", signature="f").key != one.key


def test_ddl_and_partitions_run_as_athena_says_and_their_mistakes_are_named():
    create = athena.plan(TABLE, [], None, source="")
    assert create.error is None and create.query is None and create.setup
    partition = (SNIPPETS / "athena" / "add-partition.sql").read_text(encoding="utf-8")
    assert athena.plan(partition, [TABLE], None, source="").error is None
    assert athena.plan(partition.replace("cloudtrail_logs", "cloudtrail_log"), [TABLE], None, source="").error \
        == "TABLE_NOT_FOUND: line 1:13: Table 'awsdatacatalog.default.cloudtrail_log' does not exist"
    bad = partition.replace("AWSLogs/<account-id>/", "AWSLogs/acme/")
    assert athena.plan(bad, [TABLE], None, source="").error.startswith("INVALID_INPUT: line 1:1: LOCATION")
    assert athena.plan("DROP TABLE cloudtrail_logs", [TABLE], None, source="").error.startswith("NOT_SUPPORTED")


@pytest.mark.parametrize(("text", "said"), [
    ("SELECT nothing FROM cloudtrail_logs", "COLUMN_NOT_FOUND: line 1:8: Column 'nothing' cannot be resolved"),
    ("SELECT eventname\nFROM cloudtrail_log", "TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.default.cloudtrail_log' does not exist"),
    ("SELECT useridentity.nobody FROM cloudtrail_logs", "COLUMN_NOT_FOUND: line 1:21: Column 'nobody'"),
    ("SELECT frobnicate(eventname) FROM cloudtrail_logs", "FUNCTION_NOT_FOUND: line 1:8: Function 'frobnicate' not registered"),
    ("SELECT eventname FROM cloudtrail_logs WHERE", "SYNTAX_ERROR: line 1:"),
    ("SELEC 1", "SYNTAX_ERROR: line 1:"),
    ("SELECT 1; SELECT 2", "SYNTAX_ERROR: line 1:1: run one query at a time."),
])
def test_a_failing_query_says_why_in_athenas_words(text, said):
    assert failure(text).startswith(said)


def test_an_error_the_table_does_not_name_is_still_said_plainly():
    assert athena.athena_error("Out of Memory Error: nothing left\nmore", "SELECT 1") == \
        "GENERIC_INTERNAL_ERROR: Out of Memory Error: nothing left"


def test_values_become_duckdb_literals_that_keep_quotes_nesting_and_nulls():
    assert athena.literal("O'Brien") == "'O''Brien'"
    assert athena.literal({"type": "IAMUser", "arn": None, "list": [1, True]}) == "{'type': 'IAMUser', 'arn': NULL, 'list': [1, true]}"
    con = duckdb.connect()
    sneaky = "x' OR 1=1 --"
    assert con.execute(f"SELECT {athena.literal(sneaky)}").fetchone() == (sneaky,)


def test_the_sample_travels_in_the_runtime_and_the_engine_in_its_own_scripts():
    from handbook.runtime import bundle, payload

    assert "handbook/examples/data/cloudtrail-sample-records.json" in bundle.HANDBOOK_KEEP
    assert "sqlglot" in bundle.config()["distributions"]
    assert "duckdb" in bundle.config()["stand-ins"]
    engine = payload.engine()
    assert sorted(engine) == ["duckdb.js", "sql-engine.js"]
    assert engine["sql-engine.js"].startswith(b'__hbRuntimePayload("sql-worker.js", "text", ')
    assert engine["duckdb.js"].startswith(b'__hbRuntimePayload("duckdb-eh.wasm.gz", "base64", "H4sI')  # gzip's magic


# ------------------------------------------------------------------------------ the panel's calls


def call(account, name: str, **args) -> dict:
    return json.loads(boot.investigation(account, name, {"name": "credential-compromise", **args}))


def test_the_panel_starts_with_the_questions_and_never_an_answer(incident):
    assert call(incident, "start", prepared=False)["note"].startswith("A fresh simulated account with the incident")
    started = call(incident, "start", prepared=True)  # the account is the incident's already: not replayed
    assert "note" not in started and [q["id"] for q in started["questions"]][:2] == ["credentials", "origin"]
    shown = json.dumps(started)
    found = investigation.load("credential-compromise")
    for q in found.questions:
        for expect in q.expect if isinstance(q.expect, list) else [q.expect]:
            assert str(expect) not in shown, q.id
        assert not any(h in shown for h in q.hints)


def test_an_answer_is_right_or_wrong_as_a_person_compares_and_a_hint_comes_when_asked(incident):
    assert call(incident, "answer", question="credentials", given="AKIAZDRILLEXAMPLE002") == {"status": "wrong"}
    assert call(incident, "answer", question="credentials", given=" akiazdrillexample001 ") == \
        {"status": "right", "answer": "AKIAZDRILLEXAMPLE001"}
    assert call(incident, "answer", question="credentials", given="  ") == {"status": "empty"}
    assert call(incident, "hint", question="origin", number=1)["hint"].startswith("Every CloudTrail record")
    assert call(incident, "hint", question="origin", number=9) == {"hint": None}
    given_up = call(incident, "give-up", question="data")
    assert given_up["answer"].startswith("exports/payroll-2026-11.csv") and "GetObject" in given_up["sql"]
    assert "error" in call(incident, "answer", question="nope", given="x")


def test_containment_is_verified_on_the_account_and_scored(incident):
    before = call(incident, "contained")
    assert before == {"holds": False, "conditions": [], "message": "0 of 3 conditions hold. Each is named once "
                      "every question is answered or given up on."}
    found = investigation.load("credential-compromise")
    named = call(incident, "contained", reveal=True)
    assert [c["that"] for c in named["conditions"]] == [c.that for c in found.containment]
    assert not any(c.that in before["message"] for c in found.containment)
    found = investigation.load("credential-compromise")
    for command in found.contain:
        assert incident.run(None, command, key="drill:credential-compromise").status == "ok"
    assert call(incident, "contained")["message"].startswith("3 of 3 conditions hold.")
    verdict = call(incident, "contained", reveal=True)
    assert verdict["holds"] is True and all(c["holds"] for c in verdict["conditions"])
    assert call(incident, "score", right=5, hints=0, seconds=300) == {"score": 100}
    assert call(incident, "score", right=5, hints=1, seconds=None) == {"score": 75}
    assert call(incident, "score", right=5, hints=1, seconds=object()) == {"score": 75}  # the page's null


def test_a_command_of_ones_own_needs_the_drill_started():
    account = Account(SNIPPETS, runner=simulation_runner())
    done = account.run(None, "aws iam list-users", key="drill:credential-compromise")
    assert done.status == "error" and done.note.startswith("Not run: start the drill first")
    assert call(account, "contained")["message"].startswith("Start the investigation first")
