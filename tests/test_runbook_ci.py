"""Runbook mode made for CI: rule ids, suppressions, a team's configuration, exit codes.

One small file per case under tests/fixtures/runbooks/: suppression/ (each suppression that
works, shown to fail when the comment is taken away, and each that is wrong), config/ (a folder
per setting, with its configuration file; errors/ a file per configuration mistake).
"""

from handbook import aws  # noqa: F401,I001  -- first: boto3 and moto must share awscli's botocore

import re
from pathlib import Path

import pytest

from handbook import check, cli
from handbook.runbook import rules, suppression
from handbook.runbook.config import Config, ConfigError, find, load

FIXTURES = Path(__file__).parent / "fixtures" / "runbooks"
SUPPRESSION = FIXTURES / "suppression"
CONFIG = FIXTURES / "config"

# every defect fixture -> the rule its error names
DEFECT_RULES = {
    "missing-required-option.md": "missing-required", "lookup-attribute-enum.md": "invalid-enum",
    "wrong-option.md": "unknown-option", "boolean-with-value.md": "unknown-option",
    "shorthand-missing-equals.md": "unparsable-value", "structure-given-scalar.md": "unparsable-value",
    "unknown-option.md": "unknown-option", "s3-without-slashes.md": "awscli-rejects",
    "json-comment.md": "invalid-json", "bad-query.md": "invalid-query", "shell-syntax.md": "shell-syntax",
    "sql-typo.md": "sql-syntax", "customization-bad-value.md": "invalid-parameter",
    "literal-beside-a-file.md": "invalid-parameter", "space-after-backslash.md": "lost-continuation",
    "line-that-is-only-backslash.md": "lost-continuation", "enum-in-capitals.md": "invalid-enum",
    "region-is-a-zone.md": "invalid-region", "lost-continuation.md": "lost-continuation",
    "lost-continuation-option-with-equals.md": "lost-continuation",
    "broken-json-in-option.md": "invalid-json", "sql-in-list-missing-comma.md": "sql-missing-comma",
    "sql-reserved-word-column.md": "sql-reserved-word", "sql-column-not-in-its-table.md": "sql-unknown-column",
    "sql-cloudtrail-column-typo.md": "sql-unknown-column",
}


def problems(findings):
    return [(f.line, f.status, f.rule) for f in findings if f.status in ("error", "warning")]


# --------------------------------------------------------------------------------------------
# Rules


@pytest.mark.parametrize("name", sorted(DEFECT_RULES))
def test_every_defect_names_its_rule(name):
    [error] = [f for f in check.run([FIXTURES / "defect" / name], mode="runbook") if f.status == "error"]
    assert error.rule == DEFECT_RULES[name], error


def test_every_defect_fixture_has_its_rule():
    assert sorted(DEFECT_RULES) == sorted(p.name for p in (FIXTURES / "defect").iterdir())


def test_every_problem_of_the_defect_corpus_names_a_registered_rule():
    found = [f for f in check.run([FIXTURES / "defect"], mode="runbook") if f.status == "error"]
    assert found and all(f.rule in rules.RULES for f in found)


def test_the_registry_is_complete_and_its_ids_are_stable_words():
    for rule in rules.RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id) and rule.summary and rule.help
        assert rule.level in rules.LEVELS and rule.name[0].isupper()
    assert rules.refusal("Unknown options: --x") == "unknown-option"
    assert rules.refusal("something new awscli says") == "awscli-rejects"


def test_rules_are_listed_on_the_command_line(capsys):
    assert cli.main(["check", "--rules"]) == 0
    listed = capsys.readouterr().out
    assert all(rule_id in listed for rule_id in rules.RULES)


# --------------------------------------------------------------------------------------------
# Suppressions

SILENCED = ["trailing-comment.md", "line-before-covers-the-command.sh", "html-before-fence.md", "sql-comment.sql"]
# fixture -> the problems left: (line, status, rule)
WRONG = {
    "without-reason.md": [(4, "error", "suppression-without-reason")],
    "unused.md": [(4, "warning", "unused-suppression")],
    "wrong-line.md": [(4, "warning", "unused-suppression"), (6, "error", "unknown-option")],
    "other-rule.md": [(4, "error", "unknown-option"), (4, "warning", "unused-suppression")],
    "unknown-rule.sh": [(2, "error", "unknown-option"), (2, "error", "unknown-rule")],
    "html-not-before-a-fence.md": [(3, "warning", "unused-suppression"), (8, "error", "unknown-option")],
}


def test_every_suppression_fixture_is_a_case():
    assert sorted(SILENCED + list(WRONG)) == sorted(p.name for p in SUPPRESSION.iterdir())


@pytest.mark.parametrize("name", SILENCED)
def test_a_suppression_silences_its_finding_and_only_it(name, tmp_path):
    assert problems(check.run([SUPPRESSION / name], mode="runbook")) == []
    # the same file without the suppression: the finding it silenced is there
    bare = tmp_path / name
    bare.write_text(re.sub(r".*handbook-check: ignore.*\n?", lambda m: "" if m.group(0).lstrip().startswith(
        ("#", "--", "<!--")) else m.group(0).split("#")[0].rstrip() + "\n", (SUPPRESSION / name).read_text()))
    assert [status for _, status, _ in problems(check.run([bare], mode="runbook"))] == ["error"]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_suppression_is_reported_at_its_line(name):
    assert problems(check.run([SUPPRESSION / name], mode="runbook")) == WRONG[name]


def test_a_comment_before_a_multi_line_command_covers_every_line_of_it():
    text = (SUPPRESSION / "line-before-covers-the-command.sh").read_text()
    [found] = suppression.found("x.sh", text)
    assert found.covers == (4, 5) and found.rules == ("unknown-option",) and "fork" in found.reason


def test_suppressions_in_text_that_is_not_a_comment_are_not_read():
    page = '# Page\n\n```bash\necho "# handbook-check: ignore[unknown-option] inside a string"x\n```\n'
    from handbook.examples import fences

    assert [s.rules for s in suppression.found("p.md", page, fences.fences(page))] == []


# --------------------------------------------------------------------------------------------
# Configuration


def test_rule_levels_make_an_error_a_warning_or_nothing_and_warnings_fail_only_when_asked():
    findings = check.run([CONFIG / "levels"], mode="runbook")
    assert problems(findings) == [(4, "warning", "unknown-option")]  # invalid-region is off
    assert check.report(findings, out=_null(), err=_null()) == 0
    assert check.report(findings, fail_on="warning", out=_null(), err=_null()) == 1
    # without the configuration both are errors
    assert problems(check.run([CONFIG / "levels"], mode="runbook", config=Config())) == [
        (4, "error", "unknown-option"), (5, "error", "invalid-region")]


def test_a_teams_placeholders_are_values_in_commands_json_and_sql():
    assert find(CONFIG / "placeholders") == CONFIG / "placeholders" / "pyproject.toml"
    findings = check.run([CONFIG / "placeholders"], mode="runbook")
    assert problems(findings) == [] and len(findings) == 4
    assert "%COUNT%" in findings[0].message
    # without them, each of the three blocks is wrong
    bare = problems(check.run([CONFIG / "placeholders"], mode="runbook", config=Config()))
    assert [rule for _, _, rule in bare] == ["unparsable-value", "invalid-json", "sql-syntax"], bare


def test_excluded_paths_are_not_read_even_when_named():
    folder = CONFIG / "exclude"
    draft = folder / "drafts" / "half-written.md"
    assert problems(check.run([folder], mode="runbook")) == []
    assert problems(check.run([draft, folder / "published.md"], mode="runbook")) == []
    assert problems(check.run([draft], mode="runbook", config=Config())) == [(4, "error", "unknown-option")]


# config/errors/<file> -> (line, words of the error)
CONFIG_ERRORS = {
    "unknown-key.toml": (2, "'placeholder' is not a setting of handbook check"),
    "bad-level.toml": (3, "rule invalid-region is 'ignore'"),
    "unknown-rule.toml": (2, "'unknown-optoin' is not a rule of handbook check"),
    "bad-pattern.toml": (1, "is not a regular expression"),
    "empty-pattern.toml": (1, "matches the empty text"),
    "bad-fail-on.toml": (2, "fail-on is 'never'"),
    "not-toml.toml": (2, "not TOML"),
    "pyproject-unknown-key/pyproject.toml": (7, "'rule' is not a setting of handbook check"),
}


def test_every_config_error_fixture_is_a_case():
    assert sorted(CONFIG_ERRORS) == sorted(p.relative_to(CONFIG / "errors").as_posix()
                                           for p in (CONFIG / "errors").rglob("*") if p.is_file())


@pytest.mark.parametrize("name", sorted(CONFIG_ERRORS))
def test_a_configuration_mistake_is_an_error_at_its_line_and_exit_code_2(name, capsys):
    line, words = CONFIG_ERRORS[name]
    with pytest.raises(ConfigError) as error:
        load(CONFIG / "errors" / name)
    assert error.value.line == line and words in error.value.message and error.value.path.endswith(name)
    runbook = FIXTURES / "pass" / "several-commands.md"
    assert cli.main(["check", "--runbook", "--config", str(CONFIG / "errors" / name), str(runbook)]) == 2
    assert f"{name}:{line}:" in capsys.readouterr().err


def test_exit_codes(capsys):
    assert cli.main(["check", "--runbook", str(FIXTURES / "pass" / "several-commands.md")]) == 0
    assert cli.main(["check", "--runbook", str(FIXTURES / "defect" / "unknown-option.md")]) == 1
    assert cli.main(["check", "--runbook", str(CONFIG / "levels")]) == 0  # a warning
    assert cli.main(["check", "--runbook", "--fail-on", "warning", str(CONFIG / "levels")]) == 1
    assert cli.main(["check"]) == 2
    with pytest.raises(SystemExit) as usage:
        cli.main(["check", "--format", "xml", "x.md"])
    assert usage.value.code == 2


def _null():
    import io

    return io.StringIO()
