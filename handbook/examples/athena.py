"""Athena SQL as a runbook writes it and as Athena (Trino for queries, Hive for DDL) reads it.

`sql` parses and runs the handbook's own SQL snippets. Runbooks write SQL more loosely, and
some of what sqlglot accepts Athena refuses, so this module adds what a runbook needs:

Where the SQL is
    A fence with no language (or an indented block) whose first word, after comments, opens
    an Athena statement (`SELECT`, `WITH`, `CREATE`, `ALTER`, `MSCK`, ...) holds SQL. A `sql`
    fence whose first word opens no statement holds another query language (a Logs Explorer
    or KQL query, highlighted as SQL): it is not Athena's to judge.
How the queries are separated
    With `;`, or, in a collection of queries to run one by one, by blank lines and comment
    blocks (`-- Query 2: ...`). A statement keyword at the start of a line after a blank or
    comment line may begin the next query; pieces that do not parse alone are joined to the
    next (a `WITH` then a blank line then its `SELECT`), so a comment, a licence with a blank
    line in it, or prose inside `/* */` never splits a statement. A line of prose alone between
    queries (`Take the top addresses and order them by time`) is set aside, and named.
What Athena refuses that sqlglot accepts (each reported at its line)
    - two string literals side by side (`IN ('StopLogging' 'DeleteTrail')`): sqlglot joins
      them, Trino does not, and the comma between them was lost;
    - a DDL reserved word used unquoted as a column name (`timestamp bigint`): Athena's DDL
      needs it in backticks. The list is Athena's documented one, without TIME: AWS's own
      Application Load Balancer table declares `time string` unquoted, and Athena accepts it;
    - a column a query names that its table lacks, when that table's CREATE TABLE is in the
      same runbook, or the table is `cloudtrail_logs` (the handbook's CloudTrail table,
      `CLOUDTRAIL_COLUMNS`) and the name is a near miss of one of its columns (`evenname`).
      Only a query on one table is judged (no join, `WITH`, subquery or `UNNEST`), and names
      it defines itself (aliases, lambda variables) are its own.
"""

from __future__ import annotations

import difflib
import re

from handbook import lazy

# sqlglot loads with the first SQL judged: a runbook without SQL starts without it.
exp = lazy.Import("sqlglot.expressions")
TokenType = lazy.Import("sqlglot.tokens", "TokenType")
sql = lazy.Import("handbook.examples.sql")

STATEMENT_WORDS = {"SELECT", "WITH", "CREATE", "ALTER", "MSCK", "DROP", "SHOW", "DESCRIBE", "DESC", "INSERT",
                   "UNLOAD", "EXPLAIN", "VALUES", "DELETE", "UPDATE", "MERGE", "PREPARE", "EXECUTE", "USE",
                   "VACUUM", "OPTIMIZE", "TABLE"}
COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
# Athena's DDL reserved keywords, less TIME (see the module's note).
DDL_RESERVED = set("""ALL ALTER AND ARRAY AS AUTHORIZATION BETWEEN BIGINT BINARY BOOLEAN BOTH BY CASE CASHE CAST
CHAR COLUMN CONF CONSTRAINT COMMIT CREATE CROSS CUBE CURRENT CURRENT_DATE CURRENT_TIMESTAMP CURSOR DATABASE DATE
DAYOFWEEK DECIMAL DELETE DESCRIBE DISTINCT DIV DOUBLE DROP ELSE END EXCHANGE EXISTS EXTENDED EXTERNAL EXTRACT FALSE
FETCH FLOAT FLOOR FOLLOWING FOR FOREIGN FROM FULL FUNCTION GRANT GROUP GROUPING HAVING IF IMPORT IN INNER INSERT
INT INTEGER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LESS LIKE LOCAL MACRO MAP MORE NONE NOT NULL NUMERIC OF ON
ONLY OR ORDER OUT OUTER OVER PARTIALSCAN PARTITION PERCENT PRECEDING PRECISION PRESERVE PRIMARY PROCEDURE RANGE
READS REDUCE REGEXP REFERENCES REVOKE RIGHT RLIKE ROLLBACK ROLLUP ROW ROWS SELECT SET SMALLINT START TABLE
TABLESAMPLE THEN TIMESTAMP TO TRANSFORM TRIGGER TRUE TRUNCATE UNBOUNDED UNION UNIQUEJOIN UPDATE USER USING
UTC_TIMESTAMP VALUES VARCHAR VIEWS WHEN WHERE WINDOW WITH""".split())
CLOUDTRAIL_TABLE = "cloudtrail_logs"
# The columns of the handbook's CloudTrail table (snippets/athena/create-cloudtrail-table.sql), the
# ones AWS's current CloudTrail table adds, and its usual partition columns.
CLOUDTRAIL_COLUMNS = frozenset("""eventversion useridentity eventtime eventsource eventname awsregion sourceipaddress
useragent errorcode errormessage requestparameters responseelements additionaleventdata requestid eventid
resources eventtype apiversion readonly recipientaccountid serviceeventdetails sharedeventid vpcendpointid
eventcategory tlsdetails sessioncredentialfromconsole addendum edgedevicedetails vpcendpointaccountid
managementevent timestamp region year month day""".split())


def opens_a_statement(text: str) -> bool:
    """Whether `text`, after its comments, starts with a word that opens an Athena statement."""
    words = COMMENTS.sub(" ", text).split(None, 1)
    return bool(words) and words[0].upper().rstrip("(;") in STATEMENT_WORDS


def another_language(text: str) -> bool:
    """A `sql` block whose first word neither opens a statement nor is a near miss of one
    (`SELCT`): a query in another language."""
    words = COMMENTS.sub(" ", text).split(None, 1)
    first = words[0].upper().rstrip("(;") if words else ""
    return bool(first) and first not in STATEMENT_WORDS and \
        not difflib.get_close_matches(first, sorted(STATEMENT_WORDS), n=1, cutoff=0.75)


def statements(text: str) -> tuple[list[sql.Statement], int, list[int]]:
    """The statements of `text` (lines counted in `text`), how many queries it was split into,
    and the lines of prose between them; sql.SqlProblem at the first piece that does not parse."""
    try:
        return *_split(text), []
    except sql.SqlProblem:
        prose = _prose(text)
        if not prose:
            raise
    try:
        lines = text.split("\n")
        return *_split("\n".join("" if n + 1 in prose else line for n, line in enumerate(lines))), prose
    except sql.SqlProblem:
        return *_split(text), []  # raises the text's own first problem


def _split(text: str) -> tuple[list[sql.Statement], int]:
    try:
        return sql.parse(text), 1
    except sql.SqlProblem as whole:
        problem = whole
    lines = text.split("\n")
    starts = _starts(text)
    if len(starts) < 2:
        raise problem
    found, pieces, index = [], 0, 0
    while index < len(starts):
        first_error = None
        for end in range(index + 1, len(starts) + 1):
            begin, stop = starts[index], starts[end] if end < len(starts) else len(lines) + 1
            piece = "\n".join([""] * (begin - 1) + lines[begin - 1:stop - 1])  # lines where they were
            try:
                found += sql.parse(piece)
            except sql.SqlProblem as bad:
                first_error = first_error or bad
                continue
            pieces += 1
            index = end
            break
        else:
            raise first_error
    return found, pieces


def _prose(text: str) -> list[int]:
    """Lines of prose between queries (`Take some top IPs and order by time`): a line alone
    between blank lines, of three words or more, whose first word is capitalised and no SQL word."""
    lines = text.split("\n")
    found = []
    for number, line in enumerate(lines):
        words = line.split()
        alone = (number == 0 or not lines[number - 1].strip()) and (number + 1 == len(lines) or not lines[number + 1].strip())
        if alone and len(words) >= 3 and words[0][:1].isupper() and not line.rstrip().endswith((";", ",")):
            try:
                first = sql._athena().tokenize(words[0])
            except Exception:  # noqa: BLE001 -- not a word SQL reads at all
                continue
            if first and first[0].token_type == TokenType.VAR:
                found.append(number + 1)
    return found


def _starts(text: str) -> list[int]:
    """1-based lines where a query may begin: the first, and each whose first token is a
    statement word after a blank or comment-only line."""
    try:
        tokens = sql._athena().tokenize(text)
    except Exception:  # noqa: BLE001 -- an unreadable text has no other start; sql.parse says why
        return [1]
    starts = [1]
    for before, token in zip(tokens, tokens[1:]):
        if token.line > before.line + 1 and token.text.upper() in STATEMENT_WORDS:
            starts.append(token.line)
    return starts


# --------------------------------------------------------------------------------------------
# What Athena refuses


def problems(found: list[sql.Statement], tables: dict[str, set[str]] | None = None) -> list[tuple[int, str]]:
    """(line, sentence) for each problem; `tables` maps a table's name (lower case) to its columns,
    for tables created elsewhere in the runbook (those created in `found` are added)."""
    tables = dict(tables or {})
    out = []
    for statement in found:
        out += _adjacent_literals(statement)
        if isinstance(statement.expression, exp.Create) and statement.expression.kind == "TABLE":
            out += _reserved_columns(statement)
            columns = created_columns(statement.expression)
            if columns is not None:
                tables[columns[0]] = columns[1]
    for statement in found:
        if isinstance(statement.expression, exp.Query):
            out += _unknown_columns(statement, tables)
    return sorted(out)


def _adjacent_literals(statement: sql.Statement) -> list[tuple[int, str]]:
    out, opened = [], []  # for each open parenthesis: whether it opens an IN list
    tokens = statement.tokens
    for index, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            opened.append(index > 0 and tokens[index - 1].token_type == TokenType.IN)
        elif token.token_type == TokenType.R_PAREN and opened:
            opened.pop()
        elif token.token_type == TokenType.STRING and index and tokens[index - 1].token_type == TokenType.STRING:
            where = " in an IN list" if opened and opened[-1] else ""
            out.append((token.line, f"'{tokens[index - 1].text}' and '{token.text}' are two string literals side by "
                                    f"side{where}: a comma is missing between them (Athena does not join them into "
                                    "one, as this parser would)."))
    return out


def _reserved_columns(statement: sql.Statement) -> list[tuple[int, str]]:
    out = []
    for column in statement.expression.find_all(exp.ColumnDef):
        name = column.this
        if isinstance(name, exp.Identifier) and not name.quoted and name.name.upper() in DDL_RESERVED \
                and not isinstance(column.parent, exp.DataType):  # a struct's field is not a column
            line = next((t.line for t in statement.tokens if t.text == name.name), statement.line)
            out.append((line, f"`{name.name}` is a reserved word in Athena's DDL: as a column name it must be "
                              f"quoted in backticks (`{name.name}`), or Athena refuses the CREATE TABLE."))
    return out


def created_columns(create: exp.Create) -> tuple[str, set[str]] | None:
    schema = create.this
    if not isinstance(schema, exp.Schema) or not isinstance(schema.this, exp.Table):
        return None
    columns = {c.name.lower() for c in create.find_all(exp.ColumnDef) if not isinstance(c.parent, exp.DataType)}
    return schema.this.name.lower(), columns


def _unknown_columns(statement: sql.Statement, tables: dict[str, set[str]]) -> list[tuple[int, str]]:
    query = statement.expression
    if query.find(exp.Join, exp.With, exp.Subquery, exp.Unnest, exp.Lateral) or not isinstance(query, exp.Select):
        return []
    [*names] = query.find_all(exp.Table)
    if len(names) != 1:
        return []
    table = names[0]
    key = table.name.lower()
    if key in tables:
        columns, typos_only = tables[key], False
    elif key == CLOUDTRAIL_TABLE:
        columns, typos_only = CLOUDTRAIL_COLUMNS, True
    else:
        return []
    own = {a.alias.lower() for a in query.find_all(exp.Alias)} | \
          {p.name.lower() for lam in query.find_all(exp.Lambda) for p in lam.expressions}
    qualifiers = {key, table.alias_or_name.lower()}
    out = []
    for column in query.find_all(exp.Column):
        parts = [p.name for p in column.parts]
        if len(parts) > 1 and parts[0].lower() in qualifiers:
            parts = parts[1:]
        name = parts[0].lower()  # useridentity.arn: a field of the column useridentity
        if name in columns or name in own or name.startswith("$"):
            continue
        near = difflib.get_close_matches(name, sorted(columns), n=1, cutoff=0.8)
        if typos_only and not near:
            continue
        hint = f" (maybe you meant {near[0]})" if near else ""
        line = next((t.line for t in statement.tokens if t.text.lower() == name), statement.line)
        out.append((line, f"{parts[0]} is not a column of {table.name}{hint}: Athena refuses the query "
                          "(COLUMN_NOT_FOUND)."))
    return out
