"""The rules of runbook mode: a stable id for every kind of problem `handbook check` reports.

A rule id is what a team writes to silence one finding (`# handbook-check: ignore[<id>] <reason>`),
to change a rule's level in its configuration (`[tool.handbook-check.rules]`), and what code
scanning groups alerts by (SARIF `ruleId`). Ids are lower-case words joined by `-`, named for
the defect, and never reused for another meaning: a finding keeps its id across releases.

Each checker names the rule where it makes the finding (`Finding.rule`). Where the words are
awscli's own (its refusals of a command), `refusal` reads which rule they break. A problem no
specific rule names falls under its kind's rule (`cli`, `json`, ...), so every problem has one.

A rule's `level` is its default (`error` fails the check; `warning` is reported and does not,
unless `--fail-on warning`); a team's configuration may set any rule to `error`, `warning` or
`off`. `fixable`: some of its findings carry a correction SARIF offers as a fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # SARIF's `name`: the id in CamelCase
    summary: str  # one line: what the rule finds
    help: str  # what is wrong and what to write instead
    level: str = "error"
    fixable: bool = False


def _rule(id: str, summary: str, help: str, level: str = "error", fixable: bool = False) -> Rule:
    name = "".join(part.capitalize() for part in id.split("-"))
    return Rule(id, name, summary, help, level, fixable)


RULES = {rule.id: rule for rule in (
    # shell around the commands
    _rule("shell-syntax", "The shell cannot read the block",
          "bash stops at this line: a quote, bracket or `done`/`fi`/`esac` is missing. The commands after "
          "it never run. Close what is open."),
    _rule("lost-continuation", "A line continuation `\\` that bash does not read as one",
          "A command split over lines needs a `\\` as the very last character of each line but the last. "
          "A space after it, a line that is only `\\`, or a `\\` lost in copying makes bash run the next "
          "line as a command of its own.", fixable=True),
    # an aws command, as awscli and botocore read it
    _rule("unknown-command", "A command or subcommand the AWS CLI does not have",
          "awscli has no such command under this service. Check the spelling against `aws <service> help`; "
          "where a single close name exists it is offered as a fix.", fixable=True),
    _rule("unknown-option", "An option the command does not have",
          "The command takes no such option (a misspelling, or an option of another command). "
          "`aws <service> <command> help` lists its options."),
    _rule("missing-required", "A required option is missing",
          "The API cannot be called without this option: add it, with a value or a placeholder."),
    _rule("invalid-choice", "A value outside the option's fixed choices",
          "The option accepts only the values awscli lists (for example --output json, text or table); "
          "where a single close choice exists it is offered as a fix.", fixable=True),
    _rule("invalid-enum", "A value the API's enum does not accept",
          "The API accepts only the values its model lists, and they are case-sensitive (`Inactive`, "
          "not `INACTIVE`)."),
    _rule("invalid-parameter", "A value botocore's parameter validation refuses",
          "The value breaks the API's model: its type, length, range or pattern. The message names the "
          "member and what the model allows."),
    _rule("unparsable-value", "An option's value that awscli cannot parse",
          "The shorthand (`Key=value,Key2=value2`) or JSON of the value does not parse: a missing `=`, "
          "a structure given a single value, a quote or bracket left open."),
    _rule("invalid-json", "JSON that does not parse",
          "A JSON block, file or option value (a policy, an event pattern) that no JSON reader accepts: "
          "JSON has no comments, no trailing commas, and quotes keys with `\"`."),
    _rule("json-shape", "JSON that parses but has the wrong shape",
          "The document parses but is not what its place requires: a declared schema, an object where "
          "one is needed, or fields the API requires."),
    _rule("duplicate-key", "A JSON key given twice",
          "JSON readers keep only the last value of a key given twice: merge the two, or rename one."),
    _rule("invalid-query", "A --query that is not a JMESPath expression",
          "awscli compiles --query with JMESPath before calling anything; this one does not compile "
          "(a bracket or quote left open, a backtick literal cut short)."),
    _rule("invalid-region", "A --region that is no AWS region's name",
          "No partition of botocore's endpoint data has a region of this form; an Availability Zone's "
          "name (us-east-1a) is not a region's (us-east-1)."),
    _rule("missing-value", "An option that needs a value is given none",
          "The option (for example --profile) takes a value and none follows it."),
    _rule("awscli-rejects", "A command awscli refuses for another reason",
          "awscli's own usage check refuses the command (an argument of the wrong form, a path where an "
          "S3 URI is expected); the message is awscli's."),
    _rule("simulation-fails", "A command that fails against simulated AWS after its declared setup",
          "The fence declares `setup`, so the command runs against simulated AWS; it fails there. Fix "
          "the command or its setup."),
    # SQL and logs
    _rule("sql-syntax", "SQL that Athena cannot parse",
          "The statement does not parse as Athena (Trino) SQL: a typo, a missing comma or parenthesis."),
    _rule("sql-missing-comma", "Two string literals side by side: a missing comma",
          "Athena does not join adjacent literals into one (`IN ('a' 'b')` is not `IN ('a', 'b')`); "
          "the parser would. Put the comma back."),
    _rule("sql-reserved-word", "A reserved word used unquoted as a column name in DDL",
          "Athena's DDL refuses a column named with a reserved word (`timestamp`, `date`) unless it is "
          "quoted in backticks."),
    _rule("sql-unknown-column", "A column its table does not have",
          "The query names a column the table's DDL (in the same runbook, or the CloudTrail table) "
          "does not define: Athena refuses it (COLUMN_NOT_FOUND). Check the spelling."),
    _rule("sql-result", "A query whose declared result differs",
          "The block declares the rows its query returns (`expect_rows`); run on the sample data it "
          "returns others, or does not run."),
    _rule("log-format", "Log records that do not follow their declared format",
          "A record of the block lacks a field of its declared format or holds a value of the wrong form."),
    # the runbook's own markup
    _rule("fence-attribute", "A fence attribute that cannot be read",
          "An attribute of the fence's info string is not YAML the check can read."),
    _rule("no-such-path", "A path given to the check that holds nothing to check",
          "The path does not exist, or holds no Markdown page and no .sh, .json or .sql file."),
    # suppressions
    _rule("suppression-without-reason", "A suppression that gives no reason",
          "Write why the finding is not a defect after the rule: "
          "`# handbook-check: ignore[unknown-option] the option of our wrapper script`."),
    _rule("unknown-rule", "A suppression or configuration naming a rule that does not exist",
          "The rule id is not one of handbook check's; `handbook check --rules` lists them."),
    _rule("unused-suppression", "A suppression that matches no finding", level="warning",
          help="No finding of this rule is reported where the suppression stands: the defect was fixed, "
               "or the suppression is on the wrong line. Remove it."),
    # a kind's rule, for a problem no specific rule names (the handbook's own strict checks)
    _rule("cli", "A problem with an aws command", "See the message."),
    _rule("shell", "A problem with the shell around the commands", "See the message."),
    _rule("json", "A problem with a JSON document", "See the message."),
    _rule("sql", "A problem with Athena SQL", "See the message."),
    _rule("log", "A problem with log records", "See the message."),
    _rule("text", "A problem with a block of the page", "See the message."),
    _rule("page", "A problem with a page's snippet call", "See the message."),
    _rule("path", "A problem with a path given to the check", "See the message."),
)}

# awscli's words -> the rule they mean, first match wins (its refusals, `cli._rejection`).
REFUSALS = (
    (re.compile(r"which is not one of"), "invalid-choice"),
    (re.compile(r"is not a command of aws|Invalid choice"), "unknown-command"),
    (re.compile(r"Unknown options?:|is not an option|are not options"), "unknown-option"),
    (re.compile(r"the following arguments are required"), "missing-required"),
    (re.compile(r"Error parsing parameter|Invalid JSON|Expected: '|Invalid shorthand|invalid literal for"),
     "unparsable-value"),
    (re.compile(r"Parameter validation failed"), "invalid-parameter"),
)
# The model checks' words (`cli._model_problems`) -> their rule.
MODEL_PROBLEMS = (
    (re.compile(r"which the API does not accept"), "invalid-enum"),
    (re.compile(r"is not valid JSON|does not parse"), "invalid-json"),
    (re.compile(r"must hold a JSON|lacks '"), "json-shape"),
)

# What Athena refuses that the parser accepts (`athena.problems`) -> its rule.
SQL_PROBLEMS = (
    (re.compile(r"two string literals side by side"), "sql-missing-comma"),
    (re.compile(r"is a reserved word in Athena"), "sql-reserved-word"),
    (re.compile(r"is not a column of"), "sql-unknown-column"),
)


def refusal(message: str) -> str:
    """The rule an awscli refusal breaks, from its words."""
    return next((rule for pattern, rule in REFUSALS if pattern.search(message)), "awscli-rejects")


def model_problem(message: str) -> str:
    return next((rule for pattern, rule in MODEL_PROBLEMS if pattern.search(message)), "cli")


def sql_problem(message: str) -> str:
    return next((rule for pattern, rule in SQL_PROBLEMS if pattern.search(message)), "sql")


def of(finding) -> str:
    """The rule a problem finding breaks: its own, or its kind's."""
    return finding.rule or (finding.kind if finding.kind in RULES else "text")
