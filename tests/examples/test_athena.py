"""Athena SQL as Athena reads it (handbook.examples.athena): where SQL is, how queries are split,
and what Athena refuses that sqlglot accepts. The runbook fixtures show each at a runbook's line;
these pin the rules themselves."""

from pathlib import Path

import pytest

from handbook.examples import athena, sql

ROOT = Path(__file__).resolve().parents[2]


def test_the_cloudtrail_columns_cover_the_handbooks_own_table():
    [create] = sql.parse((ROOT / "snippets" / "athena" / "create-cloudtrail-table.sql").read_text(encoding="utf-8"))
    name, columns = athena.created_columns(create.expression)
    assert name == athena.CLOUDTRAIL_TABLE and columns <= athena.CLOUDTRAIL_COLUMNS


@pytest.mark.parametrize("text, sql_", [
    ("SELECT 1", True), ("-- who\nWITH x AS (SELECT 1) SELECT * FROM x", True), ("msck repair table t", True),
    ("/* note */ CREATE EXTERNAL TABLE t (a int)", True), ("aws s3 ls", False), ("NOT x=~\"y\"", False),
])
def test_a_block_holds_sql_when_its_first_word_opens_a_statement(text, sql_):
    assert athena.opens_a_statement(text) is sql_


def test_a_near_miss_of_a_statement_word_is_still_sql_to_judge():
    assert athena.another_language('protoPayload.methodName="x"') and not athena.another_language("SELCT 1")


def test_a_with_split_from_its_select_by_a_blank_line_is_one_query():
    found, pieces, prose = athena.statements("WITH x AS (SELECT 1 AS a)\n\nSELECT a FROM x\n\nSELECT 2")
    assert (len(found), pieces, prose) == (2, 2, [])


def test_a_real_syntax_error_is_still_reported_at_its_line():
    with pytest.raises(sql.SqlProblem) as bad:
        athena.statements("SELECT 1\n\n-- two\nSELECT eventname FROM t WHERE (x = 1")
    assert bad.value.line == 4


@pytest.mark.parametrize("ddl", ["CREATE EXTERNAL TABLE t (`timestamp` bigint, time string)",
                                 "CREATE EXTERNAL TABLE t (r struct<timestamp:bigint, date:string>)"])
def test_quoted_reserved_words_time_and_struct_fields_are_accepted(ddl):
    assert athena.problems(sql.parse(ddl)) == []


def test_names_a_query_defines_itself_are_not_its_tables_columns():
    query = ("SELECT count(*) AS calls, filter(resources, r -> r.type = 'x') AS picked "
             "FROM cloudtrail_logs WHERE eventname = 'x' ORDER BY calls")
    assert athena.problems(sql.parse(query)) == []


def test_a_column_of_an_unknown_table_or_a_join_is_not_judged():
    assert athena.problems(sql.parse("SELECT whatever FROM my_table")) == []
    assert athena.problems(sql.parse("SELECT evenname FROM cloudtrail_logs a JOIN other b ON a.x = b.x")) == []
