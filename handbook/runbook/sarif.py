"""`handbook check --format sarif`: the findings as a SARIF 2.1.0 log, what code-scanning tools read.

One run, tool `handbook-check`, one rule per kind of example (cli, shell, json, sql, log,
text, page, path). Every finding is a result at its file and line: an error is level `error`,
an ok `none` and a skipped `note` with `kind: notApplicable`, so a CI annotation shows the
errors while the log still says what was verified. Paths are relative URIs where the finding
is under the working folder (`uriBaseId: %SRCROOT%`), absolute `file://` URIs otherwise.

The suite validates the output against the SARIF 2.1.0 JSON schema with `jsonschema`
(tests/test_sarif.py); the schema comes from a pinned npm package, never from this repository.
"""

from __future__ import annotations

from pathlib import Path

from handbook.examples import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULES = {
    "cli": "an aws command: awscli parses it, botocore validates it",
    "shell": "shell around the commands: parsed, never run",
    "json": "a JSON document: it parses, and follows its declared shape",
    "sql": "Athena SQL: it parses, and returns its declared rows",
    "log": "log records in their declared format",
    "text": "a block the check reads",
    "page": "a page's snippet call",
    "path": "a path given to the check",
}
LEVELS = {"error": ("error", "fail"), "ok": ("none", "pass"), "skipped": ("note", "notApplicable")}


def log(findings: list[Finding], *, version: str | None = None) -> dict:
    """The SARIF 2.1.0 log of `findings`."""
    kinds = sorted({f.kind for f in findings} | {"cli"})
    rules = [{"id": kind, "shortDescription": {"text": RULES.get(kind, kind)}} for kind in kinds]
    index = {kind: number for number, kind in enumerate(kinds)}
    driver = {"name": "handbook-check", "rules": rules}
    if version:
        driver["version"] = version
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "results": [_result(f, index[f.kind]) for f in findings],
        }],
    }


def _result(finding: Finding, rule_index: int) -> dict:
    level, kind = LEVELS[finding.status]
    path = Path(finding.path)
    location = {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"} if not path.is_absolute() \
        else {"uri": path.as_uri()}
    return {
        "ruleId": finding.kind,
        "ruleIndex": rule_index,
        "level": level,
        "kind": kind,
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": {"startLine": max(1, finding.line)}}}],
    }
