"""Check Athena SQL examples: parse them, create their tables in DuckDB, run their queries.

Every statement is parsed with sqlglot's athena dialect (a syntax error is reported at its
line and column). Then, by kind:

CREATE [EXTERNAL] TABLE
    The LOCATION must be an s3:// folder (trailing /) in a valid bucket name; under an
    AWSLogs/ prefix the next folder must be an account id. A PARTITIONED BY table needs a
    way to get partitions: partition projection (TBLPROPERTIES 'projection.enabled'='true')
    or an ALTER TABLE ... ADD PARTITION in the same snippet or in the snippet named by
    `partitions_added_by`. Without one, Athena reads no data at all and every query on the
    table returns zero rows, silently: for an incident responder that reads as "nothing
    happened", so it is an error, not a warning. The table is then translated to DuckDB
    without its partition, SerDe, format and location clauses (partition columns become
    ordinary columns) and created, which checks the column types.

SELECT (any query)
    Run in DuckDB after translation from Athena SQL, against the tables created by the
    snippets it `requires` (and by earlier statements of the same snippet), filled with
    sample data (CloudTrail tables: handbook/examples/data/cloudtrail-sample-records.json).
    The rows it returns must equal `expect_rows`: a query that runs but selects the wrong
    records is an error.

ALTER TABLE ... ADD PARTITION
    Its LOCATION is checked like a table's. Other statements are reported as skipped.

Declarations read from the snippet's `<name>.yml`:

    requires: create-cloudtrail-table.sql      snippet(s) creating the tables a query reads (or a
                                               list): next to this snippet, or page/name.sql
    expect_rows:                               the rows a query must return, each a mapping
      - {eventname: RevokeSecurityGroupEgress, username: Alice}   of result column -> value;
                                               columns left out are not compared; compared in
                                               order when the query has ORDER BY
    sample_data: {cloudtrail_logs: cloudtrail-sample-records.json}   optional: which data file
                                               (under handbook/examples/data/) fills a table
    partitions_added_by: add-partitions.sql    optional: snippet adding the table's partitions
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError
from sqlglot.tokens import TokenType

from handbook.examples import Finding

KIND = "sql"
DATA = Path(__file__).with_name("data")

# Tables read through these SerDes / input formats hold CloudTrail log files.
CLOUDTRAIL_FORMATS = ("com.amazon.emr.hive.serde.CloudTrailSerde", "com.amazon.emr.cloudtrail.CloudTrailInputFormat")
CLOUDTRAIL_SAMPLE = "cloudtrail-sample-records.json"
# CloudTrail writes AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/: the usual partition keys.
CLOUDTRAIL_PARTITIONS = {
    "region": lambda r: r.get("awsRegion"),
    "year": lambda r: (r.get("eventTime") or "")[0:4] or None,
    "month": lambda r: (r.get("eventTime") or "")[5:7] or None,
    "day": lambda r: (r.get("eventTime") or "")[8:10] or None,
}


@dataclass
class Statement:
    expression: exp.Expression
    line: int  # 1-based, inside the snippet
    tokens: list


class SqlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


# --------------------------------------------------------------------------- parsing


@functools.lru_cache(maxsize=1)
def _athena():
    return Dialect.get_or_raise("athena")


class _QuietSqlglot:
    """sqlglot logs a warning when it falls back to a Command; the checker reports it instead."""

    def __enter__(self):
        self.logger = logging.getLogger("sqlglot")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def parse(text: str) -> list[Statement]:
    """The statements of `text`, each with its first line; SqlProblem on a syntax error."""
    dialect = _athena()
    try:
        tokens = dialect.tokenize(text)
        with _QuietSqlglot():
            expressions = dialect.parser(error_level=ErrorLevel.RAISE).parse(tokens, text)
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        raise SqlProblem(first.get("line") or 1, f"The SQL does not parse as Athena SQL: {first.get('description', err)} (column {first.get('col', '?')}).") from None
    except SqlglotError as err:  # tokenizer errors
        raise SqlProblem(1, f"The SQL does not parse as Athena SQL: {err}.") from None
    chunks, current = [], []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            chunks.append(current)
            current = []
        else:
            current.append(token)
    if current or not chunks:
        chunks.append(current)
    statements = []
    for expression, chunk in zip(expressions, chunks):
        if expression is not None:
            statements.append(Statement(expression, chunk[0].line if chunk else 1, chunk))
    return statements


# --------------------------------------------------------------------------- S3 locations


def bucket_name_problem(name: str) -> str | None:
    """Why `name` is not a valid S3 (general purpose) bucket name, or None."""
    rules = "bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"
    if not 3 <= len(name) <= 63:
        return f"it is {len(name)} characters long; {rules}"
    bad = sorted(set(re.sub(r"[a-z0-9.-]", "", name)))
    if bad:
        return f"it contains {', '.join(repr(c) for c in bad)}; {rules}"
    if not (name[0].isalnum() and name[-1].isalnum()):
        return f"it does not start and end with a letter or digit; {rules}"
    if ".." in name:
        return "it contains two adjacent dots"
    try:
        ipaddress.IPv4Address(name)
        return "it is formatted as an IP address"
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-"):
        if name.startswith(prefix):
            return f"the prefix {prefix} is reserved"
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if name.endswith(suffix):
            return f"the suffix {suffix} is reserved"
    return None


def _placeholder(text: str) -> bool:
    return bool(re.fullmatch(r"<[^<>]+>", text))


def location_problems(location: str) -> list[str]:
    """What is wrong with an Athena LOCATION (an s3:// folder), as sentences."""
    match = re.fullmatch(r"s3://([^/]*)(/.*)?", location)
    if not match:
        return [f"LOCATION {location!r} is not an s3://bucket/folder/ URI."]
    problems = []
    bucket, key = match.group(1), match.group(2) or "/"
    if not _placeholder(bucket):
        why = bucket_name_problem(bucket)
        if why:
            problems.append(f"LOCATION {location!r} names bucket {bucket!r}, which is not a valid S3 bucket name: {why}.")
    if not key.endswith("/"):
        problems.append(f"LOCATION {location!r} must name a folder: end it with '/' (Athena reads every object under the prefix).")
    parts = [p for p in key.split("/") if p]
    if "AWSLogs" in parts:
        after = parts[parts.index("AWSLogs") + 1 :]
        if after and re.fullmatch(r"o-[a-z0-9]{10,32}", after[0]):  # organization trail
            after = after[1:]
        if after and not _placeholder(after[0]) and not re.fullmatch(r"\d{12}", after[0]):
            problems.append(
                f"LOCATION {location!r} has {after[0]!r} after AWSLogs/, where CloudTrail writes the 12-digit account id (AWSLogs/123456789012/CloudTrail/)."
            )
    return problems


def _token_line(statement: Statement, text: str) -> int:
    for token in statement.tokens:
        if token.token_type == TokenType.STRING and token.text == text:
            return token.line
    return statement.line


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    name: str  # as written (db.table or table)
    columns: list  # ColumnDef, including partition columns
    partition_columns: list  # names
    formats: tuple  # SerDe and input/output format class names
    statement: Statement
    ddl: str  # DuckDB DDL


def _properties(create: exp.Create) -> list:
    props = create.args.get("properties")
    return list(props.expressions) if props else []


def _formats(create: exp.Create) -> tuple:
    names = []
    for prop in _properties(create):
        for literal in prop.find_all(exp.Literal):
            if literal.is_string and re.fullmatch(r"[A-Za-z0-9_.$]+", literal.this) and "." in literal.this:
                names.append(literal.this)
    return tuple(names)


def _tblproperties(create: exp.Create) -> dict:
    found = {}
    for prop in _properties(create):
        if type(prop) is exp.Property:
            key = prop.name if isinstance(prop.this, exp.Identifier) else getattr(prop.this, "this", prop.this)
            value = prop.args.get("value")
            found[str(key).lower()] = value.name if isinstance(value, exp.Expression) else str(value)
    return found


def table_from(statement: Statement) -> Table:
    """The DuckDB form of a CREATE TABLE statement; SqlProblem if it cannot be translated."""
    create = statement.expression
    schema = create.this
    if not isinstance(schema, exp.Schema):
        raise SqlProblem(statement.line, "CREATE TABLE ... AS SELECT and tables without a column list are not checked.")
    table = schema.this
    columns = [c for c in schema.expressions if isinstance(c, exp.ColumnDef)]
    partitions = []
    partitioned = create.find(exp.PartitionedByProperty)
    if partitioned is not None and isinstance(partitioned.this, exp.Schema):
        partitions = [c for c in partitioned.this.expressions if isinstance(c, exp.ColumnDef)]
    duck = exp.Create(
        this=exp.Schema(this=table.copy(), expressions=[c.copy() for c in columns + partitions]),
        kind="TABLE",
        exists=create.args.get("exists"),
    )
    try:
        ddl = duck.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as err:
        raise SqlProblem(statement.line, f"The table cannot be translated to DuckDB: {err}.") from None
    name = ".".join(part.name for part in (table.args.get("db"), table.this) if part is not None)
    return Table(name, columns + partitions, [c.name for c in partitions], _formats(create), statement, ddl)


def create_in(con, table: Table) -> None:
    if "." in table.name:
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{table.name.split(".")[0]}"')
    try:
        con.execute(table.ddl)
    except duckdb.Error as err:
        raise SqlProblem(table.statement.line, f"DuckDB rejects the table {table.name} (translated from Athena SQL): {err}") from None


# --------------------------------------------------------------------------- sample data


def _lookup(record: dict, name: str):
    """A JSON member by column name: Hive/Athena JSON SerDes match names case-insensitively."""
    if name in record:
        return record[name]
    lower = name.lower()
    for key, value in record.items():
        if key.lower() == lower:
            return value
    return None


def _convert(value, dtype: exp.DataType):
    """A JSON value as the SerDe would present it in a column of type `dtype`."""
    if value is None:
        return None
    kind = dtype.this
    T = exp.DataType.Type
    if kind == T.STRUCT:
        if not isinstance(value, dict):
            return None
        return {f.name: _convert(_lookup(value, f.name), f.args["kind"]) for f in dtype.expressions}
    if kind == T.ARRAY:
        if not isinstance(value, list):
            return None
        inner = dtype.expressions[0] if dtype.expressions else exp.DataType.build("text")
        return [_convert(v, inner) for v in value]
    if dtype.is_type(*exp.DataType.TEXT_TYPES):
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        # nested JSON in a string column comes back as compact JSON text (requestParameters)
        return json.dumps(value, separators=(",", ":"))
    if kind == T.BOOLEAN:
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if dtype.is_type(*exp.DataType.INTEGER_TYPES):
        return int(value)
    if dtype.is_type(*exp.DataType.REAL_TYPES):
        return float(value)
    if dtype.is_type(*exp.DataType.TEMPORAL_TYPES):
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None)
    return value


@functools.lru_cache(maxsize=None)
def _records(data_file: str) -> tuple:
    data = json.loads((DATA / data_file).read_text(encoding="utf-8"))
    return tuple(data["Records"] if isinstance(data, dict) else data)


def fill(con, table: Table, records) -> int:
    """Insert CloudTrail-shaped `records` into `table` as Athena's SerDe presents them; the row count."""
    names = [c.name for c in table.columns]
    rows = []
    for record in records:
        row = []
        for column in table.columns:
            if column.name in table.partition_columns and column.name.lower() in CLOUDTRAIL_PARTITIONS:
                row.append(CLOUDTRAIL_PARTITIONS[column.name.lower()](record))
            else:
                row.append(_convert(_lookup(record, column.name), column.args["kind"]))
        rows.append(row)
    quoted = ", ".join(f'"{n}"' for n in names)
    con.executemany(f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join('?' * len(names))})", rows)
    return len(rows)


def _sample_for(table: Table, declarations: dict) -> str | None:
    chosen = (declarations.get("sample_data") or {}) if isinstance(declarations.get("sample_data"), dict) else {}
    for key, value in chosen.items():
        if key.lower() in (table.name.lower(), table.name.split(".")[-1].lower()):
            return value
    if any(f in CLOUDTRAIL_FORMATS for f in table.formats):
        return CLOUDTRAIL_SAMPLE
    return None


# --------------------------------------------------------------------------- checks


def _partition_problem(table: Table, statements: list, declarations: dict, base: Path) -> str | None:
    if not table.partition_columns:
        return None
    props = _tblproperties(table.statement.expression)
    if props.get("projection.enabled", "").lower() == "true":
        return None
    short = table.name.split(".")[-1].lower()

    def adds_partitions(stmts) -> bool:
        for st in stmts:
            e = st.expression
            if isinstance(e, exp.Alter) and e.this.name.lower() == short and any(isinstance(a, exp.AddPartition) for a in e.args.get("actions") or []):
                return True
        return False

    if adds_partitions(statements):
        return None
    ref = declarations.get("partitions_added_by")
    if ref:
        other = _snippet_file(base, str(ref))
        if not other.is_file():
            return f"partitions_added_by names {ref!r}, which does not exist (looked for {other})."
        try:
            if adds_partitions(parse(other.read_text(encoding="utf-8"))):
                return None
        except SqlProblem as err:
            return f"partitions_added_by names {ref!r}, which has a problem at its line {err.line}: {err.message}"
        return f"partitions_added_by names {ref!r}, which has no ALTER TABLE {short} ADD PARTITION."
    keys = ", ".join(table.partition_columns)
    return (
        f"{table.name} is PARTITIONED BY ({keys}) but no partition is ever added: Athena reads no data "
        f"from a partitioned table until its partitions are loaded, so every query on it returns zero rows. "
        f"Add them with ALTER TABLE {short} ADD PARTITION (...) LOCATION 's3://.../CloudTrail/<region>/<yyyy>/<mm>/<dd>/' "
        f"(MSCK REPAIR TABLE cannot find CloudTrail's folders: they are not key=value), or use partition "
        f"projection (TBLPROPERTIES 'projection.enabled'='true', ...)."
    )


def _check_create(statement: Statement, statements: list, declarations: dict, base: Path) -> tuple[list, Table | None]:
    """(problems as (line, message), the table) for one CREATE TABLE."""
    problems = []
    create = statement.expression
    location = create.find(exp.LocationProperty)
    external = create.find(exp.ExternalProperty) is not None
    if location is not None:
        where = location.this.name
        for message in location_problems(where):
            problems.append((_token_line(statement, where), message))
    elif external:
        problems.append((statement.line, "An EXTERNAL table needs a LOCATION: the S3 folder Athena reads."))
    try:
        table = table_from(statement)
    except SqlProblem as err:
        return problems + [(err.line, err.message)], None
    why = _partition_problem(table, statements, declarations, base)
    if why:
        problems.append((statement.line, why))
    con = duckdb.connect()
    try:
        create_in(con, table)
    except SqlProblem as err:
        problems.append((err.line, err.message))
    finally:
        con.close()
    return problems, table


def _requires(declarations: dict) -> list:
    value = declarations.get("requires") or []
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SqlProblem(1, "The `requires` declaration must be a snippet name or a list of snippet names.")
    return value


def _snippet_file(base: Path, ref: str) -> Path:
    """`ref` next to this snippet (create-table.sql) or from the snippets root (athena/create-table.sql)."""
    here = base / ref
    if not here.is_file() and (base.parent / ref).is_file():
        return base.parent / ref
    return here


def _normalise(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:  # YAML read an unquoted time
        text = value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat()
        return text + "Z"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _compare(columns: list, rows: list, expected, ordered: bool) -> list[str]:
    if not isinstance(expected, list) or not all(isinstance(r, dict) for r in expected):
        return ["expect_rows must be a list of mappings, one per row, of result column -> value."]
    lower = [c.lower() for c in columns]
    wanted = [{str(k).lower(): _normalise(v) for k, v in row.items()} for row in expected]
    unknown = sorted({k for row in wanted for k in row} - set(lower))
    if unknown:
        return [f"expect_rows names {', '.join(unknown)}, which the query does not return (it returns {', '.join(lower)})."]
    got = [{c: _normalise(v) for c, v in zip(lower, row)} for row in rows]

    def shown(row, keys):
        return "{" + ", ".join(f"{k}: {json.dumps(row.get(k), default=str)}" for k in keys) + "}"

    if ordered and len(got) == len(wanted):  # same number of rows: compare them in order
        problems = []
        for index, (want, have) in enumerate(zip(wanted, got), 1):
            if any(have.get(k) != v for k, v in want.items()):
                problems.append(f"row {index} is {shown(have, want)}, but expect_rows says {shown(want, want)}")
        return [f"The query returns the wrong rows or order: {'; '.join(problems)}."] if problems else []
    remaining = list(got)
    missing = []
    for want in wanted:
        match = next((r for r in remaining if all(r.get(k) == v for k, v in want.items())), None)
        if match is None:
            missing.append(want)
        else:
            remaining.remove(match)
    if not missing and not remaining:
        return []
    keys = list(wanted[0]) if wanted else lower
    parts = [f"missing {shown(m, m)}" for m in missing] + [f"unexpected {shown(r, keys)}" for r in remaining]
    return [f"The query selects the wrong records ({len(got)} returned, {len(wanted)} expected): {'; '.join(parts)}."]


def _run_query(statement: Statement, tables: dict, declarations: dict) -> tuple[list, str | None]:
    """(problems, ok detail) for one query."""
    if "expect_rows" not in declarations:
        return [(statement.line, "No expect_rows are declared for this query: declare the rows it must return in its <name>.yml, so that a query selecting the wrong records fails.")], None
    used = {t.name.lower() for t in statement.expression.find_all(exp.Table)}
    con = duckdb.connect()
    try:
        loaded = []
        for table in tables.values():
            create_in(con, table)
            if table.name.lower() in used or table.name.split(".")[-1].lower() in used:
                data = _sample_for(table, declarations)
                if data is None:
                    return [(statement.line, f"There is no sample data for table {table.name}: name a data file for it with sample_data: {{{table.name}: <file under handbook/examples/data/>}}.")], None
                if not isinstance(data, str) or not (DATA / data).is_file():
                    return [(statement.line, f"sample_data names {data!r}, which is not a file under handbook/examples/data/.")], None
                loaded.append(f"{table.name} filled with {fill(con, table, _records(data))} records from {data}")
        try:
            sql = statement.expression.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
        except SqlglotError as err:
            return [(statement.line, f"The query cannot be translated to DuckDB: {err}.")], None
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as err:
            hint = "" if tables else " (no table is created for it: name the CREATE TABLE snippet with requires:)"
            return [(statement.line, f"The query fails in DuckDB{hint}: {err}")], None
    except SqlProblem as err:
        return [(err.line, err.message)], None
    finally:
        con.close()
    ordered = statement.expression.args.get("order") is not None
    problems = [(statement.line, m) for m in _compare(columns, rows, declarations["expect_rows"], ordered)]
    detail = f"The query runs in DuckDB ({'; '.join(loaded) or 'no sample data'}) and returns the {len(rows)} expected rows{' in order' if ordered else ''}."
    return problems, detail


def check_sql(text: str, *, path, line: int, declarations: dict | None) -> list[Finding]:
    """Findings for one SQL example starting at `line` of `path`."""
    declarations = declarations or {}
    label = str(path)
    base = Path(path).parent

    def finding(inner_line, status, message):
        return Finding(label, line + inner_line - 1, KIND, status, message)

    try:
        statements = parse(text)
    except SqlProblem as err:
        return [finding(err.line, "error", err.message)]
    if not statements:
        return [finding(1, "error", "The example holds no SQL statement.")]

    tables: dict = {}
    findings = []
    try:
        required = _requires(declarations)
    except SqlProblem as err:
        return [finding(err.line, "error", err.message)]
    # tables created by the snippets this one requires
    for ref in required:
        other = _snippet_file(base, ref)
        if not other.is_file():
            findings.append(finding(1, "error", f"requires names {ref!r}, which does not exist (looked for {other})."))
            continue
        try:
            for st in parse(other.read_text(encoding="utf-8")):
                if isinstance(st.expression, exp.Create) and st.expression.kind == "TABLE":
                    table = table_from(st)
                    tables[table.name.lower()] = table
        except SqlProblem as err:
            findings.append(finding(1, "error", f"The required snippet {ref} has a problem at its line {err.line}: {err.message}"))
    if findings:
        return findings

    oks = []
    for statement in statements:
        e = statement.expression
        if isinstance(e, exp.Create) and e.kind == "TABLE":
            problems, table = _check_create(statement, statements, declarations, base)
            if table is not None:
                tables[table.name.lower()] = table
            findings += [finding(ln, "error", msg) for ln, msg in problems]
            if not problems:
                oks.append(f"CREATE TABLE {table.name} ({len(table.columns)} columns) is valid Athena SQL and creates in DuckDB")
        elif isinstance(e, exp.Query):
            problems, detail = _run_query(statement, tables, declarations)
            findings += [finding(ln, "error", msg) for ln, msg in problems]
            if not problems:
                oks.append(detail.rstrip("."))
        elif isinstance(e, exp.Alter) and any(isinstance(a, exp.AddPartition) for a in e.args.get("actions") or []):
            problems = [(_token_line(statement, loc.this.name), m)
                        for loc in e.find_all(exp.LocationProperty) for m in location_problems(loc.this.name)]
            altered = ".".join(p.name for p in (e.this.args.get("db"), e.this.this) if p is not None)
            known = {name.split(".")[-1] for name in tables} | set(tables)
            if required and altered.lower() not in known and altered.split(".")[-1].lower() not in known:
                problems.append((statement.line, f"ALTER TABLE names {altered}, which neither this snippet nor the "
                                                 f"ones it requires ({', '.join(required)}) create."))
            findings += [finding(ln, "error", msg) for ln, msg in problems]
            if not problems:
                added = sum(isinstance(a, exp.AddPartition) for a in e.args.get("actions") or [])
                oks.append(f"ALTER TABLE {altered} ADD PARTITION ({added} partition{'s' if added != 1 else ''}) parses "
                           f"as Athena SQL{', alters a table ' + ', '.join(required) + ' creates,' if required else ''} "
                           "and names S3 folders")
        elif isinstance(e, exp.Command):
            findings.append(finding(statement.line, "skipped", f"{e.this} ... is parsed but not executed: only CREATE TABLE, ALTER TABLE ADD PARTITION and queries are checked."))
        elif isinstance(e, (exp.Alter, exp.Drop, exp.Insert, exp.Delete, exp.Update, exp.Merge)):
            findings.append(finding(statement.line, "skipped", f"{e.key.upper()} statements are parsed but not executed."))
        else:
            findings.append(finding(statement.line, "error", f"This is not an Athena statement: it parses only as an expression ({e.sql(dialect='athena')[:60]})."))
    if any(f.status == "error" for f in findings):
        return [f for f in findings if f.status == "error"]
    if oks:
        findings.insert(0, finding(1, "ok", "; ".join(oks) + "."))
    return findings
