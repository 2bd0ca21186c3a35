"""Athena's DDL read as far as the Data Catalog needs it: what a statement creates or changes.

moto 5.2.5 marks every Athena query SUCCEEDED and keeps only the databases of ``CREATE
DATABASE``. A responder's work with Athena is mostly DDL over logs already in S3: a database,
an external table over a trail's or a flow log's folder, one partition per Region and day.
:func:`read` turns one statement into what ``handbook.simulation.athena`` records in moto's
Glue catalog (Athena's catalog is Glue's):

- ``CREATE DATABASE|SCHEMA [IF NOT EXISTS] name``;
- ``CREATE EXTERNAL TABLE [IF NOT EXISTS] [db.]name (columns) [PARTITIONED BY (columns)]
  [ROW FORMAT SERDE '...' | ROW FORMAT DELIMITED ...] [STORED AS INPUTFORMAT '...' OUTPUTFORMAT
  '...' | STORED AS <format>] LOCATION 's3://...' [TBLPROPERTIES (...)]``: column types are
  kept as written (``struct<...>`` and ``array<...>`` whole), in lower case as Glue shows them;
- ``ALTER TABLE [db.]name ADD [IF NOT EXISTS] PARTITION (k='v', ...) [LOCATION 's3://...']``,
  one or more partitions;
- ``MSCK REPAIR TABLE [db.]name``; ``DROP TABLE [IF EXISTS] [db.]name``; ``DROP DATABASE``;
- a query (``SELECT``/``WITH``): the tables it reads (after ``FROM`` and ``JOIN``).

Anything else is :class:`Other` (moto's answer stands). Names are case-insensitive in Athena
and stored in lower case; backquotes and double quotes around a name are dropped. A statement
this reader cannot follow raises ``ValueError`` with Athena's kind of message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME = r"[`\"]?([A-Za-z0-9_]+)[`\"]?"
QUALIFIED = rf"(?:{NAME}\s*\.\s*)?{NAME}"
STRING = r"'((?:[^']|'')*)'"


@dataclass(frozen=True)
class CreateDatabase:
    name: str
    if_not_exists: bool


@dataclass(frozen=True)
class DropDatabase:
    name: str
    if_exists: bool


@dataclass(frozen=True)
class CreateTable:
    database: str | None
    name: str
    if_not_exists: bool
    columns: list[tuple[str, str]]
    partition_keys: list[tuple[str, str]]
    location: str | None
    serde: str | None = None
    input_format: str | None = None
    output_format: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AddPartitions:
    database: str | None
    table: str
    if_not_exists: bool
    partitions: list[tuple[dict[str, str], str | None]]  # (key -> value, location)


@dataclass(frozen=True)
class RepairTable:
    database: str | None
    table: str


@dataclass(frozen=True)
class DropTable:
    database: str | None
    table: str
    if_exists: bool


@dataclass(frozen=True)
class Query:
    tables: list[tuple[str | None, str]]


@dataclass(frozen=True)
class Other:
    pass


Statement = CreateDatabase | DropDatabase | CreateTable | AddPartitions | RepairTable | DropTable | Query | Other


def read(sql: str) -> Statement:
    """What one statement does to the catalog."""
    text = _without_comments(sql).strip().rstrip(";").strip()
    if m := re.match(rf"CREATE\s+(?:DATABASE|SCHEMA)\s+(IF\s+NOT\s+EXISTS\s+)?{NAME}", text, re.I):
        rest = text[m.end():].strip()
        if rest and not re.match(r"(COMMENT|LOCATION|WITH)\b", rest, re.I):
            raise ValueError(f"line 1:{m.end() + 1}: mismatched input '{rest.split()[0]}': a database name is "
                             "letters, digits and underscores")
        return CreateDatabase(m[2].lower(), bool(m[1]))
    if m := re.match(rf"DROP\s+(?:DATABASE|SCHEMA)\s+(IF\s+EXISTS\s+)?{NAME}", text, re.I):
        return DropDatabase(m[2].lower(), bool(m[1]))
    if re.match(r"CREATE\s+(EXTERNAL\s+)?TABLE\b", text, re.I):
        return _create_table(text)
    if m := re.match(rf"ALTER\s+TABLE\s+{QUALIFIED}\s+ADD\s+(IF\s+NOT\s+EXISTS\s+)?(PARTITION\b.*)$", text, re.I | re.S):
        return AddPartitions(_lower(m[1]), m[2].lower(), bool(m[3]), _partitions(m[4]))
    if m := re.match(rf"MSCK\s+REPAIR\s+TABLE\s+{QUALIFIED}\s*$", text, re.I):
        return RepairTable(_lower(m[1]), m[2].lower())
    if m := re.match(rf"DROP\s+TABLE\s+(IF\s+EXISTS\s+)?{QUALIFIED}\s*$", text, re.I):
        return DropTable(_lower(m[2]), m[3].lower(), bool(m[1]))
    if re.match(r"(SELECT|WITH)\b", text, re.I):
        return Query(_tables_read(text))
    return Other()


def _create_table(text: str) -> CreateTable:
    m = re.match(rf"CREATE\s+(EXTERNAL\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?{QUALIFIED}\s*\(", text, re.I)
    if not m:
        raise ValueError("line 1:1: mismatched input: CREATE TABLE needs a table name and a list of columns")
    if not m[1]:
        raise ValueError("Only external tables are supported here: write CREATE EXTERNAL TABLE ... LOCATION 's3://...'")
    columns_text, rest = _parenthesised(text, m.end() - 1)
    columns = _columns(columns_text)
    partition_keys: list[tuple[str, str]] = []
    if p := re.match(r"\s*(?:COMMENT\s+" + STRING + r"\s*)?PARTITIONED\s+BY\s*\(", rest, re.I):
        keys_text, rest = _parenthesised(rest, p.end() - 1)
        partition_keys = _columns(keys_text)
        clash = {n for n, _ in partition_keys} & {n for n, _ in columns}
        if clash:
            raise ValueError(f"Column repeated in partitioning columns: {', '.join(sorted(clash))}")
    serde = _find(rf"ROW\s+FORMAT\s+SERDE\s+{STRING}", rest)
    if serde is None and re.search(r"ROW\s+FORMAT\s+DELIMITED", rest, re.I):
        serde = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    input_format = _find(rf"INPUTFORMAT\s+{STRING}", rest)
    output_format = _find(rf"OUTPUTFORMAT\s+{STRING}", rest)
    location = _find(rf"LOCATION\s+{STRING}", rest)
    if location is None:
        raise ValueError("External tables need a LOCATION 's3://bucket/folder/'")
    if not location.startswith("s3://"):
        raise ValueError(f"LOCATION must be an s3:// address, not {location!r}")
    properties = {}
    if t := re.search(r"TBLPROPERTIES\s*\(", rest, re.I):
        props_text, _ = _parenthesised(rest, t.end() - 1)
        properties = {k: v for k, v in re.findall(rf"{STRING}\s*=\s*{STRING}", props_text)}
    return CreateTable(_lower(m[3]), m[4].lower(), bool(m[2]), columns, partition_keys, location,
                       serde, input_format, output_format, properties)


def _partitions(text: str) -> list[tuple[dict[str, str], str | None]]:
    found: list[tuple[dict[str, str], str | None]] = []
    rest = text
    while (m := re.match(r"\s*PARTITION\s*\(", rest, re.I)):
        spec, rest = _parenthesised(rest, m.end() - 1)
        values: dict[str, str] = {}
        for part in _split_top(spec):
            pair = re.fullmatch(rf"\s*{NAME}\s*=\s*(?:{STRING}|([0-9]+))\s*", part, re.I | re.S)
            if not pair:
                raise ValueError(f"line 1:1: a partition is written (key = 'value', ...), not ({spec.strip()})")
            values[pair[1].lower()] = pair[2] if pair[2] is not None else pair[3]
        location = None
        if loc := re.match(rf"\s*LOCATION\s+{STRING}", rest, re.I):
            location, rest = loc[1], rest[loc.end():]
        found.append((values, location))
    if rest.strip() or not found:
        raise ValueError("line 1:1: ADD PARTITION is followed by (key = 'value', ...) [LOCATION 's3://...'], "
                         "once for each partition")
    return found


def _tables_read(text: str) -> list[tuple[str | None, str]]:
    ctes = {m.lower() for m in re.findall(r"(?:WITH|,)\s*([A-Za-z_][A-Za-z0-9_]*)\s+AS\s*\(", text, re.I)}
    tables = []
    for m in re.finditer(rf"\b(?:FROM|JOIN)\s+{QUALIFIED}", text, re.I):
        database, name = _lower(m[1]), m[2].lower()
        if database is None and name in ctes or name in ("unnest",):
            continue
        if (database, name) not in tables:
            tables.append((database, name))
    return tables


def _columns(text: str) -> list[tuple[str, str]]:
    columns = []
    for part in _split_top(text):
        m = re.fullmatch(rf"\s*{NAME}\s+(.+?)\s*(?:COMMENT\s+{STRING}\s*)?", part, re.I | re.S)
        if not m:
            raise ValueError(f"line 1:1: a column is written `name type`, not {part.strip()!r}")
        columns.append((m[1].lower(), re.sub(r"\s+", "", m[2]).lower()))
    if not columns:
        raise ValueError("line 1:1: a table needs at least one column")
    return columns


def _split_top(text: str) -> list[str]:
    """Split on commas outside <...>, (...) and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "<(":
            depth += 1
        elif not quoted and ch in ">)":
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _parenthesised(text: str, opening: int) -> tuple[str, str]:
    """The text inside the parenthesis opening at `opening`, and what follows its closing one."""
    depth, quoted = 0, False
    for i in range(opening, len(text)):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return text[opening + 1:i], text[i + 1:]
    raise ValueError("line 1:1: a parenthesis is never closed")


def _find(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text, re.I)
    return m[1].replace("''", "'") if m else None


def _lower(name: str | None) -> str | None:
    return name.lower() if name else None


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", re.sub(r"/\*.*?\*/", "", sql, flags=re.S))
