"""Athena in the page: a box's SQL as the statements DuckDB runs, over the account's trail log files.

The page runs Athena SQL in DuckDB compiled to WebAssembly (duckdb-wasm, in a worker of its own:
assets/sql-worker.js). Everything else happens here, in the runtime's Python beside the simulated
account, with the suite's own code (handbook.examples.sql), so that a query shows in the page the
rows the suite gets from the same data:

- the SQL is parsed as Athena SQL (sqlglot's athena dialect) and each statement translated to
  DuckDB's, as the suite translates it; what does not parse or translate fails here, in Athena's
  words (`SYNTAX_ERROR: line 1:8: ...`);
- the tables a query reads: those the box's own statements create, those of the snippets its
  declarations `require`, and always the table the Athena page creates (TABLE, below), each as
  DuckDB DDL (partition columns become ordinary columns, as in the suite);
- a CloudTrail table's rows: the Records of every trail log file delivered to S3 in the account
  (an incident's replay delivers them), each value converted as the CloudTrail SerDe presents it
  and the partition columns taken from the record, by the suite's own functions, then written as
  INSERT statements whose every value is cast to its column's type. An account without a trail
  log file (the Athena page's own boxes) gets the sample records the suite checks those queries
  on: the note under the result says which data the table holds;
- ALTER TABLE ... ADD PARTITION: its LOCATION checked as the suite checks it; nothing else to do
  (every delivered file is in the table already).

A DuckDB error comes back to `athena_error` (handbook.training.athena, where the suite's answers
to an investigation's SQL questions fail the same way), which says it as Athena would: TABLE_NOT_FOUND,
COLUMN_NOT_FOUND, FUNCTION_NOT_FOUND, TYPE_MISMATCH, SYNTAX_ERROR, with the line and column of the
name in the text the reader wrote (DuckDB saw the translation, not that text).
"""

from __future__ import annotations

import datetime
import functools
import gzip
import hashlib
import json
from dataclasses import asdict, dataclass, field

from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from handbook.examples import sql as checks
from handbook.training.athena import athena_error, delivered, syntax_error  # noqa: F401  (the page's worker calls them here)

TABLE = "athena/create-cloudtrail-table.sql"  # the table the Athena page creates
SAMPLE = checks.CLOUDTRAIL_SAMPLE
DONE = "Query successful."


@dataclass
class Plan:
    """What the page's DuckDB runs for one box: `setup` (tables and rows), then `query`, if any."""

    setup: list[str] = field(default_factory=list)
    query: str | None = None
    key: str = ""  # what tells one setup from another: the engine runs the same setup once
    note: str = ""
    error: str | None = None  # Athena's words for why nothing runs

    def as_dict(self) -> dict:
        return asdict(self)


def plan(text: str, tables: list[str], records: list[dict] | None, *, source: str, signature: str = "") -> Plan:
    """The DuckDB statements for the Athena SQL `text`.

    tables: the CREATE TABLE texts the query may read (the box's required snippets, the Athena
    page's table); records: the CloudTrail records of the account's delivered log files (None: use
    the suite's sample records); source: where those records came from, for the note; signature: what
    tells one set of records from another (their INSERT statements are made once per signature)."""
    try:
        statements = checks.parse(text)
    except checks.SqlProblem as problem:
        return Plan(error=syntax_error(text, problem))
    if not statements:
        return Plan(error="SYNTAX_ERROR: line 1:1: there is no statement to run.")
    known: dict[str, checks.Table] = {}
    for create in tables:
        for table in _tables_of(create):
            known[_short(table.name)] = table
    out = Plan()
    query = None
    for statement in statements:
        expression = statement.expression
        if isinstance(expression, exp.Create) and expression.kind == "TABLE":
            try:
                table = checks.table_from(statement)
            except checks.SqlProblem as problem:
                return Plan(error=f"NOT_SUPPORTED: line {problem.line}:1: {problem.message}")
            location = expression.find(exp.LocationProperty)
            for message in checks.location_problems(location.this.name) if location is not None else []:
                return Plan(error=f"INVALID_INPUT: line {statement.line}:1: {message}")
            known[_short(table.name)] = table
        elif isinstance(expression, exp.Alter) and any(isinstance(a, exp.AddPartition)
                                                       for a in expression.args.get("actions") or []):
            altered = _short(expression.this.name)
            if altered not in known:
                return Plan(error=f"TABLE_NOT_FOUND: line {statement.line}:13: Table 'awsdatacatalog.default."
                                  f"{altered}' does not exist")
            for location in expression.find_all(exp.LocationProperty):
                for message in checks.location_problems(location.this.name):
                    return Plan(error=f"INVALID_INPUT: line {statement.line}:1: {message}")
        elif isinstance(expression, exp.Query):
            if query is not None:
                return Plan(error=f"SYNTAX_ERROR: line {statement.line}:1: run one query at a time.")
            try:
                query = expression.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
            except SqlglotError as problem:
                return Plan(error=f"NOT_SUPPORTED: line {statement.line}:1: {problem}")
        else:
            return Plan(error=f"NOT_SUPPORTED: line {statement.line}:1: the page runs CREATE TABLE, ALTER TABLE "
                              "ADD PARTITION and queries; this statement is shown, not run.")
    filled = []
    for name, table in known.items():
        out.setup += _ddl(table)
        if any(f in checks.CLOUDTRAIL_FORMATS for f in table.formats):
            rows = records if records is not None else list(checks._records(SAMPLE))
            out.setup += _inserts_once(table, rows, signature or source if records is not None else SAMPLE)
            filled.append(f"{name} holds {len(rows)} records from {source if records is not None else _sample_note()}")
    out.query = query
    out.key = hashlib.sha256("\n;\n".join(out.setup).encode()).hexdigest()[:16]
    out.note = "; ".join(filled) + "." if filled else ""
    return out


def _sample_note() -> str:
    return "the sample the handbook's checks use (no trail log file is delivered in this account)"


def _short(name: str) -> str:
    return name.split(".")[-1].lower()


def _ddl(table: checks.Table) -> list[str]:
    out = []
    if "." in table.name:
        out.append(f'CREATE SCHEMA IF NOT EXISTS "{table.name.split(".")[0]}"')
    out.append(f"DROP TABLE IF EXISTS {table.name}")
    out.append(table.ddl)
    return out


def inserts(table: checks.Table, records: list[dict], batch: int = 500) -> list[str]:
    """INSERT statements filling `table` with `records`, as the suite fills it (sql._fill). Every struct
    value has every field of its type (NULL when the record lacks it), so the rows of one VALUES list
    share their types and DuckDB casts them to the columns' as it inserts."""
    names = ", ".join(f'"{column.name}"' for column in table.columns)
    rows = []
    for record in records:
        values = []
        for column in table.columns:
            if column.name in table.partition_columns and column.name.lower() in checks.CLOUDTRAIL_PARTITIONS:
                value = checks.CLOUDTRAIL_PARTITIONS[column.name.lower()](record)
            else:
                value = checks._convert(checks._lookup(record, column.name), column.args["kind"])
            values.append(literal(value))
        rows.append("(" + ", ".join(values) + ")")
    return [f"INSERT INTO {table.name} ({names}) VALUES " + ", ".join(rows[i:i + batch])
            for i in range(0, len(rows), batch)]


@functools.lru_cache(maxsize=8)
def _tables_of(text: str) -> tuple[checks.Table, ...]:
    """The tables a CREATE TABLE text makes (parsed once: sqlglot takes a while over a big table)."""
    return tuple(checks.table_from(s) for s in checks.parse(text)
                 if isinstance(s.expression, exp.Create) and s.expression.kind == "TABLE")


_filled: dict[tuple, list[str]] = {}  # (table's DDL, the records' source) -> its INSERT statements


def _inserts_once(table: checks.Table, records: list[dict], signature: str) -> list[str]:
    key = (table.ddl, signature)
    if key not in _filled:
        if len(_filled) > 8:
            _filled.clear()
        _filled[key] = inserts(table, records)
    return _filled[key]


def literal(value) -> str:
    """A Python value (as sql._convert gives it) as a DuckDB literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quote(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return _quote(str(value))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
