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
import re
from pathlib import Path

from handbook import aws  # first: awscli must be imported before boto3 and moto

PROJECT = Path(__file__).resolve().parent.parent.parent
TABLE = PROJECT / "snippets" / "athena" / "create-cloudtrail-table.sql"


class AthenaError(Exception):
    """A query Athena would refuse or fail, said as Athena says it."""


def delivered(account: str = aws.ACCOUNT_ID) -> tuple[list[dict], list[str]]:
    """The Records of every CloudTrail log file in the account's buckets, oldest first, and each file's
    s3:// name with its ETag (what tells one delivery from another).

    Read from the simulation's S3 itself, no request made (in the page that saves awscli's machinery
    per object). Every bucket is read, not only the buckets of today's trails: a deleted trail's
    files stay."""
    from moto.s3.models import s3_backends

    found, files = [], []
    buckets = s3_backends[account]["aws"].buckets
    for name in sorted(buckets):
        bucket = buckets[name]
        for key in sorted(bucket.keys):
            if "/CloudTrail/" in key and key.endswith(".json.gz"):
                item = bucket.keys[key]
                found += json.loads(gzip.decompress(item.value)).get("Records", [])
                files.append(f"s3://{name}/{key} {item.etag}")
    return sorted(found, key=lambda r: r.get("eventTime", "")), files


def records(account: str = aws.ACCOUNT_ID) -> list[dict]:
    """Every CloudTrail record in the log files delivered to the account's buckets, oldest first."""
    return delivered(account)[0]


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
        raise AthenaError(syntax_error(text, problem)) from None
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
    except duckdb.Error as problem:
        raise AthenaError(athena_error(str(problem), text)) from None
    finally:
        con.close()


def as_text(columns: list[str], rows: list[tuple]) -> str:
    """A result as a table of text, one row a line: what an answer is looked for in."""
    lines = ["\t".join(columns)]
    lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)


# What Athena says where the suite's DuckDB fails: the suite and the page say it alike.

def syntax_error(text: str, problem) -> str:
    """A text that does not parse, as Athena says it: where, and the word it stumbled on."""
    from sqlglot.errors import ParseError

    from handbook.examples import sql as checks

    try:
        checks._athena().parse(text)
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        near = (first.get("highlight") or "").strip()
        at_end = not text[text.find(near) + len(near):].strip() if near else True
        shown = "<EOF>" if at_end and near.upper() in ("", "WHERE", "AND", "OR", "FROM", "SELECT", "BY", ",") else near
        return f"SYNTAX_ERROR: line {first.get('line') or problem.line}:{first.get('col') or 1}: mismatched input '{shown}'"
    except Exception:  # the tokenizer's own errors: say what the suite's check says
        pass
    detail = re.sub(r"^The SQL does not parse as Athena SQL: ", "", problem.message).rstrip(".")
    return f"SYNTAX_ERROR: line {problem.line}:1: {detail}"


ERRORS = [  # DuckDB's message -> Athena's error name and sentence; {0} is the name DuckDB quoted
    (re.compile(r"Table with name (\S+) does not exist"), "TABLE_NOT_FOUND",
     "Table 'awsdatacatalog.default.{0}' does not exist"),
    (re.compile(r'(?:Referenced column|Could not find key) "([^"]+)" (?:not found|in struct)'), "COLUMN_NOT_FOUND",
     "Column '{0}' cannot be resolved or requester is not authorized to access requested resources"),
    (re.compile(r"(?:Scalar|Aggregate) Function with name (\w+) does not exist"), "FUNCTION_NOT_FOUND",
     "Function '{0}' not registered"),
    (re.compile(r"No function matches the given name and argument types '(\w+)"), "TYPE_MISMATCH",
     "Unexpected parameters for function {0}"),
    (re.compile(r"Cannot compare values of type (\S+)"), "TYPE_MISMATCH", "Cannot compare values of type {0}"),
    (re.compile(r"Conversion Error: (.*)"), "INVALID_CAST_ARGUMENT", "{0}"),
    (re.compile(r"Parser Error: (.*)"), "SYNTAX_ERROR", "{0}"),
]


def athena_error(message: str, text: str) -> str:
    """A DuckDB error about the translation of `text`, as Athena says it (line:column in `text`)."""
    first = message.strip().splitlines()[0] if message.strip() else "the query failed"
    for pattern, name, sentence in ERRORS:
        found = pattern.search(message)
        if found:
            subject = found.group(1).rstrip("!.")
            return f"{name}: line {_position(text, subject)}: {sentence.format(subject)}"
    return f"GENERIC_INTERNAL_ERROR: {first}"


def _position(text: str, name: str) -> str:
    """line:column (1-based) of `name` as a word in `text`, or 1:1."""
    found = re.search(rf"(?<!\w){re.escape(name.split('.')[-1])}(?!\w)", text, re.I)
    if not found:
        return "1:1"
    before = text[:found.start()]
    return f"{before.count(chr(10)) + 1}:{found.start() - (before.rfind(chr(10)) + 1) + 1}"
