"""The Athena SQL checker (handbook.examples.sql).

Fixtures: tests/fixtures/sql/<case>.sql with declarations in <case>.yml. The SELECT
fixtures require create-cloudtrail-table.sql: the source's table with a valid location
and partition projection.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.examples import sql
from handbook.examples.sql import bucket_name_problem, check_sql, location_problems

from .fixture_files import FixtureFiles

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SQL = FixtureFiles("sql", check_sql, full_path=True)  # requires: names sibling snippets
fixture, check, line_of = SQL.fixture, SQL.check, SQL.line_of


def statuses(findings):
    return [f.status for f in findings]


# ------------------------------------------------------------------ the source's statements


def test_source_table_reports_bucket_account_and_partitions():
    findings = check("source-create-table.sql", line=512)  # where it starts in the source handbook
    assert statuses(findings) == ["error"] * 3
    bucket, account, partitions = findings
    assert bucket.line == account.line == 561  # the LOCATION line of the source
    assert "'CloudTrail_bucket_name', which is not a valid S3 bucket name" in bucket.message
    assert "lowercase letters, digits, dots and hyphens" in bucket.message
    assert "'Account_ID' after AWSLogs/" in account.message
    assert partitions.line == 512
    assert "PARTITIONED BY (region, year, month, day) but no partition is ever added" in partitions.message
    assert "zero rows" in partitions.message


def test_source_select_selects_the_right_records():
    findings = check("select-sg-changes.sql", line=565)
    assert statuses(findings) == ["ok"], findings
    assert findings[0].line == 565
    assert "returns the 4 expected rows in order" in findings[0].message
    assert "9 records from cloudtrail-sample-records.json" in findings[0].message


# ------------------------------------------------------------------ tables

GOOD = ["create-cloudtrail-table.sql", "partitions-added.sql", "partitions-added-elsewhere.sql", "json-serde-table.sql"]


@pytest.mark.parametrize("name", GOOD)
def test_good_tables(name):
    findings = check(name)
    assert statuses(findings) == ["ok"], findings
    assert "creates in DuckDB" in findings[0].message


BAD = [
    # fixture, needle on the reported line, words in the message
    ("invalid-bucket-location.sql", "LOCATION", ["'CloudTrail_bucket_name'", "'C', 'T', '_'"]),
    ("location-account-placeholder.sql", "LOCATION", ["'Account_ID' after AWSLogs/", "12-digit account id"]),
    ("location-not-folder.sql", "LOCATION", ["must name a folder"]),
    ("external-without-location.sql", "CREATE", ["needs a LOCATION"]),
    ("partitions-never-added.sql", "CREATE", ["no partition is ever added", "partition projection"]),
    ("msck-repair.sql", "CREATE", ["no partition is ever added", "MSCK REPAIR TABLE cannot find"]),
    ("duplicate-column.sql", "CREATE", ["DuckDB rejects the table", "eventName"]),
    ("add-partition-bad-location.sql", "LOCATION", ["'Amzn_Bucket'"]),
    ("syntax-error.sql", "where", ["does not parse as Athena SQL", "column 17"]),
    ("not-a-statement.sql", "selec", ["does not parse as Athena SQL"]),
]


@pytest.mark.parametrize("name,needle,words", BAD, ids=[case[0] for case in BAD])
def test_bad_statement_is_reported_at_its_line(name, needle, words):
    findings = check(name)
    assert statuses(findings) == ["error"], findings
    assert findings[0].kind == "sql"
    assert findings[0].line == line_of(name, needle)
    for word in words:
        assert word in findings[0].message, findings[0].message


def test_partitions_added_by_must_add_partitions_of_that_table():
    findings = check("partitions-never-added.sql", {"partitions_added_by": "invalid-bucket-location.sql"})
    assert statuses(findings) == ["error"] and "has no ALTER TABLE cloudtrail_logs ADD PARTITION" in findings[0].message
    findings = check("partitions-never-added.sql", {"partitions_added_by": "nowhere.sql"})
    assert statuses(findings) == ["error"] and "does not exist" in findings[0].message


def test_an_expression_is_not_a_statement():
    findings = check_sql("selec * frm x;", path="x.sql", line=1, declarations={})
    assert statuses(findings) == ["error"] and "not an Athena statement" in findings[0].message


def test_unexecuted_statements_are_skipped():
    findings = check_sql("MSCK REPAIR TABLE cloudtrail_logs;", path="x.sql", line=3, declarations={})
    assert statuses(findings) == ["skipped"] and findings[0].line == 3


# ------------------------------------------------------------------ queries


def test_query_selecting_wrong_records_fails():
    findings = check("select-wrong-rows.sql")
    assert statuses(findings) == ["error"]
    assert "(5 returned, 4 expected)" in findings[0].message
    assert 'unexpected {eventname: "DescribeSecurityGroups"' in findings[0].message
    assert "2017-02-15T00:00:00Z" in findings[0].message


def test_rows_are_compared_in_order_when_the_query_orders_them():
    findings = check("select-wrong-order.sql")
    assert statuses(findings) == ["error"]
    assert 'row 1 is {eventname: "AuthorizeSecurityGroupIngress"}, but expect_rows says {eventname: "RevokeSecurityGroupEgress"}' in findings[0].message


def test_rows_are_compared_as_a_set_without_order_by():
    assert statuses(check("select-unordered.sql")) == ["ok"]
    findings = check("select-unordered.sql", {"requires": "create-cloudtrail-table.sql", "expect_rows": [{"eventname": "DetachNetworkInterface"}]})
    assert statuses(findings) == ["error"]
    assert 'unexpected {eventname: "ModifyNetworkInterfaceAttribute"}' in findings[0].message


def test_partition_columns_are_filled_from_the_records():
    assert statuses(check("select-partition-column.sql")) == ["ok"]


@pytest.mark.parametrize(
    "name,words",
    [
        ("select-unknown-column.sql", ['The query fails in DuckDB', 'requestparameter" not found']),
        ("select-no-expect.sql", ["No expect_rows are declared"]),
        ("select-missing-requires.sql", ["requires names 'create-cloudtrail-tabel.sql', which does not exist"]),
        ("select-expect-unknown-column.sql", ["expect_rows names username, which the query does not return"]),
        ("select-without-sample-data.sql", ["no sample data for table flow_logs"]),
    ],
)
def test_bad_queries(name, words):
    findings = check(name)
    assert statuses(findings) == ["error"], findings
    for word in words:
        assert word in findings[0].message, findings[0].message


def test_sample_data_must_exist():
    decl = {"requires": "json-serde-table.sql", "expect_rows": [], "sample_data": {"flow_logs": "flow-logs.json"}}
    findings = check("select-without-sample-data.sql", decl)
    assert statuses(findings) == ["error"] and "not a file under handbook/examples/data/" in findings[0].message


def test_query_without_a_table():
    findings = check_sql("select eventname from cloudtrail_logs;", path="x.sql", line=1, declarations={"expect_rows": []})
    assert statuses(findings) == ["error"] and "name the CREATE TABLE snippet with requires:" in findings[0].message


def test_table_and_query_in_one_snippet():
    text = fixture("create-cloudtrail-table.sql").text + "\nselect count(*) as n from cloudtrail_logs;\n"
    findings = check_sql(text, path=fixture("create-cloudtrail-table.sql").file, line=1, declarations={"expect_rows": [{"n": 9}]})
    assert statuses(findings) == ["ok"], findings


def test_unquoted_yaml_times_compare_as_strings():
    decl = {"requires": "create-cloudtrail-table.sql", "expect_rows": [{"eventtime": __import__("yaml").safe_load("2017-02-21T16:45:00Z")}]}
    findings = check_sql(
        "select eventtime from cloudtrail_logs where eventname = 'DetachNetworkInterface';",
        path=fixture("select-unordered.sql").file, line=1, declarations=decl,
    )
    assert statuses(findings) == ["ok"], findings


# ------------------------------------------------------------------ S3 names


@pytest.mark.parametrize("name", ["amzn-s3-demo-bucket", "my.cloudtrail-logs-2017", "abc", "a" * 63])
def test_valid_bucket_names(name):
    assert bucket_name_problem(name) is None


@pytest.mark.parametrize(
    "name,why",
    [
        ("ab", "2 characters long"),
        ("a" * 64, "64 characters long"),
        ("CloudTrail_bucket_name", "'C', 'T', '_'"),
        ("-bucket", "start and end with a letter or digit"),
        ("bucket.", "start and end with a letter or digit"),
        ("my..bucket", "two adjacent dots"),
        ("192.168.5.4", "IP address"),
        ("xn--bucket", "prefix xn-- is reserved"),
        ("bucket-s3alias", "suffix -s3alias is reserved"),
    ],
)
def test_invalid_bucket_names(name, why):
    assert why in bucket_name_problem(name)


def test_location_rules():
    assert location_problems("s3://amzn-s3-demo-bucket/AWSLogs/o-exampleorgid/123456789012/CloudTrail/") == []
    assert location_problems("s3://<bucket>/AWSLogs/<account-id>/CloudTrail/") == []  # placeholders
    assert "not an s3://bucket/folder/ URI" in location_problems("https://example.com/logs/")[0]


def test_sample_records_load_into_the_source_table():
    statement = sql.parse(fixture("source-create-table.sql").text)[0]
    table = sql.table_from(statement)
    assert table.partition_columns == ["region", "year", "month", "day"]
    assert any(f in sql.CLOUDTRAIL_FORMATS for f in table.formats)


def test_requires_must_name_snippets():
    findings = check("select-sg-changes.sql", {"requires": {"table": "create-cloudtrail-table.sql"}, "expect_rows": []})
    assert statuses(findings) == ["error"] and "must be a snippet name or a list" in findings[0].message


def test_requires_a_snippet_of_another_page():
    decl = {**fixture("select-sg-changes.sql").declarations, "requires": ["sql/create-cloudtrail-table.sql"]}
    assert statuses(check("select-sg-changes.sql", decl)) == ["ok"]


def test_adding_a_partition_to_a_required_table_is_verified():
    [ok] = check("add-partitions.sql")
    assert ok.status == "ok"
    assert ok.message == ("ALTER TABLE cloudtrail_logs ADD PARTITION (1 partition) parses as Athena SQL, alters a "
                          "table create-cloudtrail-table.sql creates, and names S3 folders.")


def test_adding_a_partition_to_a_table_nothing_creates_is_an_error():
    [error] = check("alter-unknown-table.sql")
    assert error.status == "error" and error.line == 1
    assert error.message == ("ALTER TABLE names cloudtrail_log, which neither this snippet nor the ones it requires "
                             "(create-cloudtrail-table.sql) create.")
