"""Athena over an incident: a question's SQL run over the trail log files the replay delivered.

An investigation question may be answered with Athena (`sql:` in the scenario): a query over
the table the Athena page creates (`snippets/athena/create-cloudtrail-table.sql`,
`cloudtrail_logs`), reading the gzipped CloudTrail log files the replay delivered to the trail's
bucket. The suite runs it as it runs the Athena page's own queries (handbook.examples.sql):
parsed as Athena SQL with sqlglot, translated to DuckDB, over a table created from the same
CREATE TABLE and filled with the records as Athena's CloudTrail SerDe presents them (partition
columns from each record's Region and time). So the answer the suite proves is the answer
Athena gives over those files.

`records(account)` reads the delivered files out of the simulated S3 (every object under a
`/CloudTrail/` prefix of a trail's bucket), `query(text, records)` gives (columns, rows), and
an Athena-side failure is an `AthenaError` whose message says why in Athena's words.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from handbook import aws  # first: awscli must be imported before boto3 and moto

PROJECT = Path(__file__).resolve().parent.parent.parent
TABLE = PROJECT / "snippets" / "athena" / "create-cloudtrail-table.sql"


class AthenaError(Exception):
    """A query Athena would refuse or fail, said as Athena says it."""


def records(account: str = aws.ACCOUNT_ID) -> list[dict]:
    """Every CloudTrail record in the log files delivered to the account's buckets, oldest first.

    Every bucket is read, not only the buckets of today's trails: a deleted trail's files stay."""
    from moto.s3.models import s3_backends

    found: list[dict] = []
    backend = s3_backends[account]["aws"]
    for name in sorted(backend.buckets):
        bucket = backend.buckets[name]
        for key in sorted(bucket.keys):
            if "/CloudTrail/" in key and key.endswith(".json.gz"):
                found += json.loads(gzip.decompress(bucket.keys[key].value))["Records"]
    return sorted(found, key=lambda r: r.get("eventTime", ""))


@functools.lru_cache(maxsize=1)
def _table():
    from handbook.examples import sql

    [statement] = sql.parse(TABLE.read_text(encoding="utf-8"))
    return sql.table_from(statement)


def query(text: str, found: list[dict]) -> tuple[list[str], list[tuple]]:
    """The columns and rows of Athena SQL `text` over the table `cloudtrail_logs` holding `found`."""
    import duckdb
    from sqlglot.errors import ErrorLevel, SqlglotError

    from handbook.examples import sql

    try:
        statements = sql.parse(text)
    except sql.SqlProblem as problem:
        raise AthenaError(problem.message.replace("The SQL does not parse as Athena SQL", "SYNTAX_ERROR")) from None
    if len(statements) != 1 or statements[0].expression.key not in ("select", "union", "intersect", "except"):
        raise AthenaError("Only one SELECT query at a time runs over the incident's table.")
    try:
        translated = statements[0].expression.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as problem:
        raise AthenaError(f"NOT_SUPPORTED: {problem}") from None
    table = _table()
    con = duckdb.connect()
    try:
        sql.create_in(con, table)
        if found:
            sql.fill(con, table, found)
        cursor = con.execute(translated)
        return [d[0] for d in cursor.description], cursor.fetchall()
    except (duckdb.CatalogException, duckdb.BinderException) as problem:
        raise AthenaError(_athena_words(str(problem).splitlines()[0])) from None
    except duckdb.Error as problem:
        raise AthenaError(f"The query failed: {str(problem).splitlines()[0]}") from None
    finally:
        con.close()


def _athena_words(message: str) -> str:
    """DuckDB's name-resolution errors as Athena words them."""
    import re

    if found := re.search(r'column "?([^"\s]+)"? not found', message, re.I):
        return f"COLUMN_NOT_FOUND: Column '{found.group(1)}' cannot be resolved"
    if found := re.search(r"Table with name ([^\s!]+) does not exist", message):
        return f"TABLE_NOT_FOUND: Table 'awsdatacatalog.default.{found.group(1)}' does not exist"
    return f"The query failed: {message}"


def as_text(columns: list[str], rows: list[tuple]) -> str:
    """A result as a table of text, one row a line: what an answer is looked for in."""
    lines = ["\t".join(columns)]
    lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)
