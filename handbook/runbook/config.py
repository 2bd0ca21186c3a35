"""A team's configuration of runbook mode: its placeholders, the paths to skip, the rules' levels.

Read from the nearest of, walking up from the folder the checked paths share:

    .handbook-check.toml          the keys at the top level (and a [rules] table)
    pyproject.toml                the same keys under [tool.handbook-check], if it has that table

(`--config FILE` names one instead). In one folder, `.handbook-check.toml` comes first. The keys:

    placeholders = ['%[A-Z_]+%', 'CHANGEME']   regular expressions: text of a command, JSON or SQL
                                               that one matches is a value to fill in, as <name> is
    exclude = ['drafts/**', 'vendor']          globs, relative to the configuration's folder: a
                                               file that matches (or lies in a folder that does)
                                               is not checked, even when named on the command line
    fail-on = 'warning'                        'error' (the default) or 'warning'
    [rules]                                    a rule id (handbook.runbook.rules) = 'error',
    unused-suppression = 'error'               'warning' or 'off'

Anything else is an error naming the file and line: a key the check does not know, a rule id
that does not exist, a level, a pattern that does not compile or matches the empty text. A
configuration error stops the check (exit code 2) before any file is read: a team must not
believe a rule is off that is not.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from handbook.errors import HandbookError
from handbook.runbook import rules

FILE = ".handbook-check.toml"
TABLE = ("tool", "handbook-check")
KEYS = {"placeholders", "exclude", "fail-on", "rules"}
FAIL_ON = ("error", "warning")


class ConfigError(HandbookError):
    """A configuration the check cannot follow (exit code 2)."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # the file it was read from; None: the defaults
    root: Path = field(default_factory=Path.cwd)  # what `exclude` is relative to
    placeholders: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    levels: dict = field(default_factory=dict)  # rule id -> error, warning or off
    fail_on: str = "error"

    def excluded(self, file: Path) -> bool:
        """Whether `file` matches an `exclude` glob (itself or one of its folders)."""
        try:
            relative = Path(file).resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        names = [relative.as_posix()] + [parent.as_posix() for parent in relative.parents if parent.parts]
        return any(fnmatch.fnmatchcase(name, glob.rstrip("/")) for glob in self.exclude for name in names)

    def level(self, rule: str) -> str:
        known = rules.RULES.get(rule)
        return self.levels.get(rule, known.level if known else "error")

    def leveled(self, findings: list) -> list:
        """The findings at their rules' levels: an error of a rule set to warning is a warning,
        of one set off is gone; ok and skipped findings as they are."""
        kept = []
        for finding in findings:
            if finding.status not in ("error", "warning"):
                kept.append(finding)
                continue
            level = self.level(rules.of(finding))
            if level != "off":
                kept.append(replace(finding, status=level, rule=rules.of(finding)))
        return kept


def find(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`, None when there is none."""
    start = Path(start).resolve()
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        if (folder / FILE).is_file():
            return folder / FILE
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "handbook-check" in pyproject.read_text(encoding="utf-8") \
                and _table(_read(pyproject), pyproject) is not None:
            return pyproject
    return None


def load(path: Path | None) -> Config:
    """The configuration in `path` (the defaults when None), every key validated."""
    if path is None:
        return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, None, f"there is no configuration file {path}.")
    text = path.read_text(encoding="utf-8")
    table = _table(_read(path), path)
    if table is None:
        raise ConfigError(path, 1, "pyproject.toml has no [tool.handbook-check] table.")
    prefix = "tool.handbook-check." if path.name == "pyproject.toml" else ""

    def where(*key: str) -> int:
        return _line(text, prefix, key)

    for key in table:
        if key not in KEYS:
            raise ConfigError(path, where(key), f"{key!r} is not a setting of handbook check "
                                                f"(it knows {', '.join(sorted(KEYS))}).")
    placeholders = _strings(table, "placeholders", path, where)
    for pattern in placeholders:
        try:
            compiled = re.compile(pattern)
        except re.error as bad:
            raise ConfigError(path, where("placeholders"), f"placeholder pattern {pattern!r} is not a regular "
                                                           f"expression: {bad}.") from None
        if compiled.fullmatch(""):
            raise ConfigError(path, where("placeholders"), f"placeholder pattern {pattern!r} matches the empty "
                                                           "text, so it would find a placeholder everywhere.")
    exclude = _strings(table, "exclude", path, where)
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(path, where("fail-on"), f"fail-on is {fail_on!r}; it is 'error' or 'warning'.")
    levels = table.get("rules", {})
    if not isinstance(levels, dict):
        raise ConfigError(path, where("rules"), "rules must be a table of rule id = 'error', 'warning' or 'off'.")
    for rule, level in levels.items():
        if rule not in rules.RULES:
            close = [r for r in rules.RULES if r.startswith(rule.split("-")[0])]
            raise ConfigError(path, where("rules", rule), f"{rule!r} is not a rule of handbook check"
                                                          f"{' (maybe ' + ', '.join(close) + ')' if close else ''}.")
        if level not in rules.LEVELS:
            raise ConfigError(path, where("rules", rule), f"rule {rule} is {level!r}; a level is "
                                                          "'error', 'warning' or 'off'.")
    return Config(path, path.parent.resolve(), tuple(placeholders), tuple(exclude), dict(levels), fail_on)


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as bad:
        line = re.search(r"at line (\d+)", str(bad))
        end = len(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))  # "at end of document"
        raise ConfigError(path, int(line.group(1)) if line else end, f"not TOML: {bad}.") from None


def _table(document: dict, path: Path) -> dict | None:
    if path.name != "pyproject.toml":
        return document
    return document.get(TABLE[0], {}).get(TABLE[1])


def _strings(table: dict, key: str, path: Path, where) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(path, where(key), f"{key} must be a list of texts.")
    return value


def _line(text: str, prefix: str, key: tuple[str, ...]) -> int:
    """The line of `key` in the TOML `text`: under its table's header when it has one."""
    lines = text.split("\n")
    *tables, name = key
    header = prefix + ".".join(tables) if tables else prefix.rstrip(".")
    start = 0
    if header:
        heading = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(part) for part in header.split(".")) + r"\s*\]")
        start = next((n for n, line in enumerate(lines) if heading.match(line)), 0)
    assignment = re.compile(r"""^\s*(?:["']?[\w.-]+["']?\s*\.\s*)*["']?""" + re.escape(name) + r"""["']?\s*=""")
    for number in range(start, len(lines)):
        if assignment.match(lines[number]) or re.search(r"[{,]\s*[\"']?" + re.escape(name) + r"[\"']?\s*=", lines[number]):
            return number + 1
    table = re.compile(r"^\s*\[[^\]]*\.\s*[\"']?" + re.escape(name) + r"[\"']?\s*\]")  # [tool.handbook-check.name]
    return next((n + 1 for n, line in enumerate(lines) if table.match(line)), start + 1)
