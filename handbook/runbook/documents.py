"""JSON and SQL blocks of a runbook, read as their reader reads them.

JSON is parsed strictly (comments, trailing commas and other syntax errors are errors with their
line, a key given twice too) after what a reader understands is made JSON: a line that is only
`...` leaves members out, a placeholder outside quotes is a value to fill in. Its shape is
checked only when the fence declares `schema`. SQL is parsed as Athena SQL statement by statement
(placeholders masked to identifiers); a collection of queries separated by blank lines instead
of `;` is read as such. It runs in DuckDB only when `expect_rows` (or `requires`) is declared.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from handbook import lazy
from handbook.examples import Finding, athena, fences, jsontext, shapes

# sqlglot loads with the first SQL block: a runbook without SQL starts without it.
exp = lazy.Import("sqlglot.expressions")
sql = lazy.Import("handbook.examples.sql")
from handbook.runbook import commands, rules

def json_block(text: str, path: str, first_line: int, declarations: dict) -> list[Finding]:
    if "schema" in declarations:
        return shapes.check_json(text, path=path, line=first_line, declarations=declarations)
    text, readings = _as_a_reader_reads(text, first_line)
    try:
        document = jsontext.parse(text)
    except jsontext.JsonSyntaxError as bad:
        if (excerpt := _excerpt_or_transcript(text)) is not None:
            return [Finding(path, first_line, shapes.KIND, "ok", f"The JSON parses as {excerpt}; no schema is "
                                                                "declared, so its shape is not checked.")]
        line = first_line + bad.line - 1
        hint = ""
        bad_line = text.split("\n")[bad.line - 1] if bad.line - 1 < len(text.split("\n")) else ""
        if bad_line.lstrip().startswith(("//", "#", "/*")):
            hint = " JSON has no comments: move the comment out of the block"
        return [Finding(path, line, shapes.KIND, "error",
                        f"The JSON does not parse: {bad.message} (line {line}, column {bad.column}).{hint}",
                        rule="invalid-json")]
    findings = [Finding(path, first_line + dup.line - 1, shapes.KIND, "error",
                        f"Key {dup.path[-1]!r} appears twice (first on line {first_line + dup.first_line - 1}); "
                        "JSON readers keep only the last one.", rule="duplicate-key") for dup in document.duplicates]
    note = "".join(f" {reading}." for reading in readings)
    return findings or [Finding(path, first_line, shapes.KIND, "ok",
                                "The JSON parses; no schema is declared, so its shape is not checked." + note)]


def _excerpt_or_transcript(text: str) -> str | None:
    """What a JSON block that does not parse as a whole is to its reader, if it parses so: a
    transcript (`$ aws ...` then the JSON it printed) or an excerpt (members without the object
    around them, `"Principal": {"AWS": "*"}`)."""
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if commands.PROMPT.match(first):
        output = "\n".join("" if commands.PROMPT.match(line) else line for line in lines)
        if _parses(output):
            return "the output of the command on its prompt line (a transcript)"
    if first.lstrip().startswith('"'):
        body = re.sub(r",\s*$", "", text.rstrip())
        if _parses("{" + body + "\n}"):
            return "an excerpt: members of an object shown without the braces around them"
    return None


def _parses(text: str) -> bool:
    try:
        jsontext.parse(text)
    except jsontext.JsonSyntaxError:
        return False
    return True


ELISION = re.compile(r"[ \t]*(?:\.\.\.|\u2026)[ \t]*(,?)[ \t]*")
# What commands masks before a shell parse (<name>, {{ name }}), and variables.
JSON_PLACEHOLDER = re.compile("|".join((commands.ANGLE_PLACEHOLDER.pattern, commands.TEMPLATE_PLACEHOLDER.pattern,
                                        r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*")))


def _as_a_reader_reads(text: str, first_line: int) -> tuple[str, list[str]]:
    """A JSON block as its reader understands it: a line that is only `...` leaves out members
    or elements (an abridged output), and a placeholder outside quotes (`"Account": <account-id>`)
    is a value to fill in. Each becomes JSON (a null member or element, a string) on its own
    line, so the rest is still parsed strictly and errors keep their lines."""
    lines = text.split("\n")
    elided, names = [], []
    stack, inside, escaped = [], False, False
    for number, line in enumerate(lines):
        if not inside and (elision := ELISION.fullmatch(line)):
            filler = '"...": null' if stack[-1:] == ["{"] else "null"
            lines[number] = filler + elision.group(1)
            elided.append(str(first_line + number))
            continue
        out, column = [], 0
        while column < len(line):
            char = line[column]
            if not inside and (found := JSON_PLACEHOLDER.match(line, column) or _team_match(line, column)):
                names.append(found.group(0))
                out.append(json.dumps(found.group(0)))
                column = found.end()
                continue
            if escaped:
                escaped = False
            elif inside and char == "\\":
                escaped = True
            elif char == '"':
                inside = not inside
            elif not inside and char in "{[":
                stack.append(char)
            elif not inside and char in "}]" and stack:
                stack.pop()
            out.append(char)
            column += 1
        lines[number] = "".join(out)
    readings = []
    if elided:
        where = f"line {elided[0]}" if len(elided) == 1 else f"lines {', '.join(elided)}"
        readings.append(f"Abridged with `...` ({where}): what it leaves out is not checked")
    if names:
        readings.append(f"Placeholders {', '.join(dict.fromkeys(names))} stand for values")
    return "\n".join(lines), readings


def _team_match(line: str, column: int) -> re.Match | None:
    team = commands.TEAM.get()
    found = team.match(line, column) if team is not None else None
    return found if found and found.end() > column else None


SQL_LANGUAGES = {"sql", "athena", "presto", "trino"}
PLACEHOLDER_IN_SQL = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def sql_block(text: str, path: str, first_line: int, declarations: dict, *,
              tables: dict[str, set[str]] | None = None) -> list[Finding]:
    """An SQL block or file: it parses as Athena SQL, and what Athena refuses that the parser
    accepts (`athena.problems`) is an error at its line; `tables`, the columns of the tables other
    blocks of the runbook create."""
    if "expect_rows" in declarations or "requires" in declarations:
        return sql.check_sql(text, path=path, line=first_line, declarations=declarations)
    masked = mask_placeholders(text)
    try:
        statements, pieces, prose = athena.statements(masked)
    except sql.SqlProblem as bad:
        return [Finding(path, first_line + bad.line - 1, sql.KIND, "error", bad.message, rule="sql-syntax")]
    problems = athena.problems(statements, tables)
    if problems:
        return [Finding(path, first_line + line - 1, sql.KIND, "error", message, rule=rules.sql_problem(message))
                for line, message in problems]
    how = "" if pieces == 1 else f" ({pieces} queries separated by blank lines or comments)"
    if prose:
        how += f"; line(s) {', '.join(str(first_line + n - 1) for n in prose)} are prose between the queries"
    return [Finding(path, first_line, sql.KIND, "ok",
                    f"{len(statements)} statement(s) parse as Athena SQL{how}; no expected rows are declared, so "
                    "they are not run.")]


def mask_placeholders(text: str) -> str:
    """`<table>`, `${table}`, `{table}` (and a team's own placeholders) as identifiers, so the SQL
    around them parses."""
    if (team := commands.TEAM.get()) is not None:
        text = team.sub(lambda m: "ph_" + re.sub(r"\W", "_", m.group(0)), text)
    return PLACEHOLDER_IN_SQL.sub(lambda m: "ph_" + re.sub(r"\W", "_", next(g for g in m.groups() if g)), text)


def page_tables(page: str) -> dict[str, set[str]]:
    """The columns of every table a runbook page's SQL blocks create, by table name."""
    file = Path(page)
    if file.suffix not in (".md", ".markdown") or not file.is_file():
        return {}
    return _page_tables(str(file), file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _page_tables(page: str, _changed: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for block in fences.fences(Path(page).read_text(encoding="utf-8"), indented=True):
        if block.language in SQL_LANGUAGES or (block.language in ("", "text") and athena.opens_a_statement(block.text)):
            try:
                statements, _, _ = athena.statements(mask_placeholders(block.text))
            except sql.SqlProblem:
                continue
            for statement in statements:
                if isinstance(statement.expression, exp.Create) and (made := athena.created_columns(statement.expression)):
                    found[made[0]] = made[1]
    return found
