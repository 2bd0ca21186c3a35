"""`handbook check --format sarif`: the problems as a SARIF 2.1.0 log that GitHub code scanning takes as it is.

One run, tool `handbook-check`, with every rule of `handbook.runbook.rules` in `tool.driver.rules`
(id, CamelCase name, `shortDescription`, `fullDescription`, `help`, default level), so every
result's `ruleId` (and `ruleIndex`) resolves. A result is a problem: an error is level `error`,
a warning `warning`. What was checked and passed, or skipped, is no alert: code scanning does not
read a result's `kind`, and would show a passed command as an alert; their counts are in the
run's `properties` (`checked`, `skipped`).

Locations are relative URIs under `%SRCROOT%` (the working folder, given in
`originalUriBaseIds`), as code scanning maps them onto the repository; a file outside it keeps
an absolute `file://` URI.

`partialFingerprints["handbookCheck/v1"]` is a hash of the rule id, the file and the finding's
subject (the aws command, whitespace normalised, or else the text of its line), and of how many
results before it in that file share those: not of the line number, so an alert keeps its
identity when lines are added above it, and two alerts on one identical command stay two.

A finding that carries a fix (`Finding.fix`) gets a SARIF `fix`: one replacement in its file,
with the columns found by reading the line (an empty `old` appends to the line, in place of its trailing blanks);
a fix whose text is not on its line exactly once is left out rather than guessed.

The suite validates the output against the SARIF 2.1.0 JSON schema with `jsonschema` and
against code scanning's upload rules (tests/test_sarif.py); the schema comes from a pinned npm
package, never from this repository.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from handbook.examples import Finding
from handbook.runbook import rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"
FINGERPRINT = "handbookCheck/v1"
LEVELS = {"error": "error", "warning": "warning"}


def log(findings: list[Finding], *, version: str | None = None, root: Path | None = None) -> dict:
    """The SARIF 2.1.0 log of `findings`, paths relative to `root` (the working folder)."""
    root = (root or Path.cwd()).resolve()
    index = {rule_id: number for number, rule_id in enumerate(rules.RULES)}
    driver = {"name": "handbook-check", "rules": [_rule(rule) for rule in rules.RULES.values()]}
    if version:
        driver["version"] = version
    seen: dict[tuple, int] = {}
    texts: dict[str, list[str] | None] = {}
    results = []
    for finding in findings:
        if finding.status not in LEVELS:
            continue
        rule = rules.of(finding)
        lines = _lines(finding.path, root, texts)
        subject = " ".join((finding.subject or _line_text(lines, finding.line)).split())
        key = (rule, finding.path, subject)
        seen[key] = seen.get(key, 0) + 1
        results.append(_result(finding, rule, index[rule], _fingerprint(*key, seen[key]), lines, root))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {ROOT: {"uri": root.as_uri() + "/"}},
            "results": results,
            "properties": {"checked": sum(f.status == "ok" for f in findings),
                           "skipped": sum(f.status == "skipped" for f in findings)},
        }],
    }


def _rule(rule: rules.Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help, "markdown": f"**{rule.summary}.** {rule.help}\n\nSilence one finding with "
                                                f"`# handbook-check: ignore[{rule.id}] <reason>`."},
        "defaultConfiguration": {"level": "none" if rule.level == "off" else rule.level},
    }


def _fingerprint(rule: str, path: str, subject: str, occurrence: int) -> str:
    digest = hashlib.sha256("\0".join((rule, Path(path).as_posix(), subject, str(occurrence))).encode("utf-8"))
    return digest.hexdigest()


def _location(path: str, root: Path) -> dict:
    file = Path(path)
    absolute = file if file.is_absolute() else (Path.cwd() / file)
    try:
        return {"uri": absolute.resolve().relative_to(root).as_posix(), "uriBaseId": ROOT}
    except ValueError:
        return {"uri": absolute.resolve().as_uri()}


def _lines(path: str, root: Path, cache: dict) -> list[str] | None:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    return cache[path]


def _line_text(lines: list[str] | None, line: int) -> str:
    return lines[line - 1] if lines and 0 < line <= len(lines) else ""


def _result(finding: Finding, rule: str, rule_index: int, fingerprint: str, lines, root: Path) -> dict:
    location = _location(finding.path, root)
    result = {
        "ruleId": rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.status],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": {"startLine": max(1, finding.line)}}}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if finding.fix and (fix := _fix(finding, location, lines)):
        result["fixes"] = [fix]
    return result


def _fix(finding: Finding, location: dict, lines) -> dict | None:
    """The finding's fix as a SARIF replacement, when its text is on its line exactly once."""
    fix = finding.fix
    text = _line_text(lines, fix.line)
    if not lines or not 0 < fix.line <= len(lines) or (fix.old and text.count(fix.old) != 1):
        return None
    # 1-based columns, in characters; an insertion at the end replaces the line's trailing blanks
    column = (text.index(fix.old) if fix.old else len(text.rstrip())) + 1
    end = column + len(fix.old) if fix.old else len(text) + 1
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{
            "artifactLocation": location,
            "replacements": [{
                "deletedRegion": {"startLine": fix.line, "startColumn": column,
                                  "endLine": fix.line, "endColumn": end},
                "insertedContent": {"text": fix.new},
            }],
        }],
    }
