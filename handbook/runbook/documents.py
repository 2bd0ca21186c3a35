"""JSON and SQL blocks of a runbook, read as their reader reads them.

JSON is parsed strictly (comments, trailing commas and other syntax errors are errors with their
line, a key given twice too) after what a reader understands is made JSON: a line that is only
`...` leaves members out, a placeholder outside quotes is a value to fill in. Its shape is
checked only when the fence declares `schema`. SQL is parsed as Athena SQL statement by statement
(placeholders masked to identifiers); a collection of queries separated by blank lines instead
of `;` is read as such. It runs in DuckDB only when `expect_rows` (or `requires`) is declared.
"""

from __future__ import annotations

import json
import re

from handbook.examples import Finding, jsontext
from handbook.runbook import commands

def json_block(text: str, path: str, first_line: int, declarations: dict) -> list[Finding]:
    from handbook.examples import shapes  # imported when needed: a runbook of shell starts faster

    if "schema" in declarations:
        return shapes.check_json(text, path=path, line=first_line, declarations=declarations)
    text, readings = _as_a_reader_reads(text, first_line)
    try:
        document = jsontext.parse(text)
    except jsontext.JsonSyntaxError as bad:
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


PLACEHOLDER_IN_SQL = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def sql_block(text: str, path: str, first_line: int, declarations: dict) -> list[Finding]:
    from handbook.examples import sql  # sqlglot and DuckDB: imported when a runbook has SQL

    if "expect_rows" in declarations or "requires" in declarations:
        return sql.check_sql(text, path=path, line=first_line, declarations=declarations)
    if (team := commands.TEAM.get()) is not None:  # a team's own placeholders: an identifier each
        text = team.sub(lambda m: "ph_" + re.sub(r"\W", "_", m.group(0)), text)
    masked = PLACEHOLDER_IN_SQL.sub(lambda m: "ph_" + re.sub(r"\W", "_", next(g for g in m.groups() if g)), text)
    chunks = [(1, masked)]
    try:
        statements = sql.parse(masked)
    except sql.SqlProblem as whole:
        chunks = _blank_line_chunks(masked)
        if len(chunks) < 2:
            return [Finding(path, first_line + whole.line - 1, sql.KIND, "error", whole.message, rule="sql-syntax")]
        statements = []
        for start, chunk in chunks:
            try:
                statements += sql.parse(chunk)
            except sql.SqlProblem as bad:
                return [Finding(path, first_line + start + bad.line - 2, sql.KIND, "error", bad.message,
                                rule="sql-syntax")]
    count = len(statements)
    how = "" if len(chunks) == 1 else f" ({len(chunks)} queries separated by blank lines)"
    return [Finding(path, first_line, sql.KIND, "ok",
                    f"{count} statement(s) parse as Athena SQL{how}; no expected rows are declared, so "
                    "they are not run.")]


def _blank_line_chunks(text: str) -> list[tuple[int, str]]:
    chunks, current, start = [], [], 1
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            chunks.append((start, "\n".join(current)))
            current = []
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks
