"""Runbook mode on a corpus of runbooks in the shapes IR teams write (tests/fixtures/runbooks/).

pass/: the shapes that used to be false alarms; each must give no error and say what it checked.
defect/: the real defects found in public runbooks; each must be an error at its line.
"""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import subprocess
import sys
from pathlib import Path

import pytest

from handbook import check

FIXTURES = Path(__file__).parent / "fixtures" / "runbooks"
PASSING = sorted((FIXTURES / "pass").iterdir())

# file -> (line of the defect, words the finding must contain)
DEFECTS = {
    "missing-required-option.md": (4, "the following arguments are required: --visibility-config"),
    "lookup-attribute-enum.md": (5, "AttributeKey is 'SourceIPAddress'"),
    "wrong-option.md": (5, "--analyzer-name is not an option"),
    "boolean-with-value.md": (4, "Unknown options: true"),
    "shorthand-missing-equals.md": (4, "Error parsing parameter '--lookup-attributes'"),
    "structure-given-scalar.md": (5, "Error parsing parameter '--time-period'"),
    "unknown-option.md": (4, "--trail-names"),
    "s3-without-slashes.md": (4, "Invalid argument type"),
    "json-comment.md": (6, "JSON has no comments"),
    "bad-query.md": (5, "is not a JMESPath expression"),
    "shell-syntax.md": (6, "a shell cannot read line 6"),
    "sql-typo.md": (6, "does not parse as Athena SQL"),
    # awscli goes on after its first call here; a later call's bad value is still the runbook's
    "customization-bad-value.md": (5, "Invalid length for parameter repository"),
    # whatever the reader's file holds, --max-results 0 is the command's
    "literal-beside-a-file.md": (7, "Invalid value for parameter MaxResults"),
    # copied from a page, the continuation is lost: bash runs the next line on its own
    "space-after-backslash.md": (4, "A space after the `\\`"),
    "line-that-is-only-backslash.md": (6, "A line that is only `\\` continues nothing"),
    # the API's enums are case-sensitive
    "enum-in-capitals.md": (5, "--status is 'INACTIVE', which the API does not accept"),
    "region-is-a-zone.md": (5, "--region 'us-east-1a' is not the name of an AWS region (an Availability Zone"),
    # the `\` at the end of line 4 was lost: bash runs line 5 on its own
    "lost-continuation.md": (5, "The line starts with --groups, an option of the aws command above it, but line 4 "
                                "does not end with `\\`"),
    # `--key=Environment` alone on its line: tree-sitter's grammar reads an assignment, bash a command
    "lost-continuation-option-with-equals.md": (5, "The line starts with --key, an option of the aws command above it"),
    "broken-json-in-option.md": (5, "--dashboard-body is not valid JSON (Expecting ',' delimiter at column 114)"),
    # Athena SQL as Athena reads it (a fence with no language that holds SQL is SQL)
    "sql-in-list-missing-comma.md": (7, "'DeleteTrail' and 'UpdateTrail' are two string literals side by side in an "
                                        "IN list: a comma is missing"),
    "sql-reserved-word-column.md": (5, "`timestamp` is a reserved word in Athena's DDL"),
    "sql-column-not-in-its-table.md": (17, "dstprot is not a column of vpc_flow_logs (maybe you meant dstport)"),
    "sql-cloudtrail-column-typo.md": (6, "evenname is not a column of cloudtrail_logs (maybe you meant eventname)"),
}
# Blocks the check does not judge, each saying why: (line, status, words).
SKIPPED = {
    "cli-v2-and-preview.md": [(4, "skipped", "is a command of AWS CLI v2"),
                              (5, "ok", "--cli-binary-format is an option of AWS CLI v2"),
                              (6, "skipped", "`aws configure set preview.sdb true`")],
    "sql-fence-holding-another-query-language.md": [(5, "skipped", "a query in another language")],
}


@pytest.mark.parametrize("runbook", PASSING, ids=lambda p: p.name)
def test_a_false_alarm_shape_passes(runbook):
    findings = check.run([runbook], mode="runbook")
    assert [f for f in findings if f.status == "error"] == []
    assert findings and all(f.status == "ok" for f in findings)
    assert all(f.path.endswith(runbook.name) for f in findings)


def test_every_defect_shape_has_a_fixture():
    assert sorted(DEFECTS) == sorted(p.name for p in (FIXTURES / "defect").iterdir())


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_a_defect_is_an_error_at_its_line(name):
    line, words = DEFECTS[name]
    findings = check.run([FIXTURES / "defect" / name], mode="runbook")
    errors = [f for f in findings if f.status == "error"]
    assert len(errors) == 1, errors
    assert errors[0].line == line and words in errors[0].message, errors[0]
    assert errors[0].path.endswith(f"defect/{name}")


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_what_the_check_does_not_judge_is_skipped_with_the_reason(name):
    findings = check.run([FIXTURES / "skipped" / name], mode="runbook")
    assert [(f.line, f.status) for f in findings] == [(line, status) for line, status, _ in SKIPPED[name]]
    assert all(words in f.message for f, (_, _, words) in zip(findings, SKIPPED[name])), findings
    assert sorted(SKIPPED) == sorted(p.name for p in (FIXTURES / "skipped").iterdir())


def test_each_command_of_a_fence_is_checked_at_its_own_line():
    findings = check.run([FIXTURES / "pass" / "several-commands.md"], mode="runbook")
    assert [f.line for f in findings] == [5, 6, 9, 10, 13]
    assert "placeholders <role-name>" in findings[0].message


def test_placeholders_and_notes_are_named_in_the_finding():
    [policy, pattern] = check.run([FIXTURES / "pass" / "file-written-first.md"], mode="runbook")
    assert "file://deny-all.json is not beside the runbook" in policy.message
    assert "<role-name>" in policy.message
    assert "file://pattern.json" in pattern.message
    [key, kms, logs] = check.run([FIXTURES / "pass" / "example-values.md"], mode="runbook")
    assert "<user>" in key.message and "AKIAIOSFODNN7EXAMPLE" not in key.message  # the literal fits
    assert "--profile is accepted" in kms.message


def test_a_file_beside_the_runbook_is_read(tmp_path):
    (tmp_path / "pattern.json").write_text('{"source": ["aws.guardduty"]')  # broken on purpose
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws events put-rule --name x --event-pattern file://pattern.json\n```\n")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "error" and finding.line == 2 and "not valid JSON" in finding.message


def test_a_literal_that_breaks_the_model_is_an_error(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws guardduty list-detectors --max-results 0\n```\n")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "error" and finding.line == 2 and "MaxResults" in finding.message


def test_runbook_mode_is_the_default_outside_a_handbook_project(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws apigateway get-stages --rest-api-id <api-id>\n```\n")
    assert [f.status for f in check.run([runbook])] == ["ok"]
    assert [f.status for f in check.run([runbook], mode="strict")] == ["error"]  # undeclared placeholder
    assert not check.is_handbook(runbook) and check.is_handbook(FIXTURES)


def test_without_setup_nothing_is_simulated_and_with_simulate_a_missing_resource_is_skipped(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws cloudtrail get-trail-status --name <trail>\n```\n")
    assert [f.status for f in check.run([runbook])] == ["ok"]
    [parsed, simulated] = check.run([runbook], simulate=True)
    assert parsed.status == "ok" and simulated.status == "skipped"
    assert "empty account lacks" in simulated.message and "TrailNotFound" in simulated.message


def test_declared_setup_runs_the_command_against_simulated_aws(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text('```{.bash setup="[{call: s3.create_bucket, args: {Bucket: ir-evidence}}]"}\n'
                       "aws s3 ls s3://ir-evidence\n```\n")
    [parsed, simulated] = check.run([runbook])
    assert simulated.status == "ok" and "runs against simulated AWS" in simulated.message


def loaded_by_a_check(path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a runbook check of `path` (no errors) imports, in a fresh process."""
    code = ("import sys; from handbook import check; "
            f"fs = check.run([{str(path)!r}], mode='runbook'); "
            "assert fs and not any(f.status == 'error' for f in fs), fs; "
            f"print(','.join(sorted(m for m in {modules!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [m for m in done.stdout.strip().split(",") if m]


def test_parse_only_checking_does_not_import_moto():
    assert loaded_by_a_check(FIXTURES / "pass", ("moto", "boto3")) == []


def test_a_runbook_without_sql_starts_without_sqlglot(tmp_path):
    runbook = tmp_path / "runbook.md"
    runbook.write_text("```bash\naws sts get-caller-identity\n```\n", encoding="utf-8")
    assert loaded_by_a_check(runbook, ("sqlglot", "duckdb")) == []
    runbook.write_text("```sql\nSELECT eventname FROM cloudtrail_logs\n```\n", encoding="utf-8")
    assert loaded_by_a_check(runbook, ("sqlglot", "duckdb")) == ["sqlglot"]  # the probe sees a load


def test_a_check_leaves_the_machine_as_it_found_it(tmp_path, monkeypatch):
    """awscli would write the reader's files (downloads, outfiles, ~/.aws/models, kubeconfig),
    start programs (ssh, session-manager-plugin) and wait at a prompt: none of it happens."""
    home, away = tmp_path / "home", tmp_path / "away"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "model.json").write_text(
        '{"version": "2.0", "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "irtools", '
        '"protocol": "json", "signatureVersion": "v4"}, "operations": {}, "shapes": {}}')
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\n"
                       "aws configure add-model --service-model file://model.json\n"
                       f"aws s3 cp s3://evidence/disk.img {away}/disk.img\n"
                       f"aws s3api get-object --bucket evidence --key mem.lime {away}/mem.lime\n"
                       "aws s3 sync s3://evidence/logs ../away-too/\n"
                       "aws eks update-kubeconfig --name prod\n"
                       "aws emr ssh --cluster-id j-2AL4XXXXXX5T9 --key-pair-file ir.pem --command 'touch x'\n"
                       "aws configure\n```\n")
    findings = check.run([runbook], mode="runbook")
    assert [f.status for f in findings] == ["ok"] * 7, findings
    assert list(home.iterdir()) == [] and not away.exists() and not (tmp_path.parent / "away-too").exists()
    assert "is a path on the reader's machine" in findings[1].message
    assert "only a real account gives" in findings[5].message
    assert "asks the reader questions" in findings[6].message


def test_a_program_awscli_would_start_is_refused():
    run = aws.shared().parse(["ec2", "describe-instances", "help"])  # help starts a pager
    assert run.stopped_before_a_program and "a check starts no program" in run.message


def test_a_command_only_aws_cli_v2_has_is_skipped_not_called_wrong(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws sso login --profile ir\naws logs tail /aws/lambda/x --since 1h\n"
                       "aws logs tale /aws/lambda/x\naws ec2 describe-vpcs --output yaml\n```\n")
    [login, tail, typo, yaml] = check.run([runbook], mode="runbook")
    assert login.status == tail.status == "skipped" and "AWS CLI v2" in tail.message
    assert yaml.status == "ok" and "--output yaml is AWS CLI v2's; checked as --output json" in yaml.message
    assert typo.status == "error" and "'tale' is not a command of aws logs" in typo.message


def test_a_file_the_reader_writes_may_hold_whatever_makes_the_command_valid():
    [steps, model, sign, endpoint] = check.run([FIXTURES / "pass" / "reader-written-files.md"], mode="runbook")
    assert "accepted with another stand-in for what file://forensics-steps.json holds" in steps.message
    assert "depends on the content of the file(s) the reader writes" in model.message
    assert "accepted with another stand-in for what file://signer-key.pem holds" in sign.message
    # the first stand-in already meets the model's minimum of two addresses
    assert "another stand-in" not in endpoint.message and "depends on the content" not in endpoint.message


def test_commands_run_by_another_command_are_checked_with_what_they_are_given():
    findings = check.run([FIXTURES / "pass" / "command-runners.md"], mode="runbook")
    operations = [f.message.split("`")[1] for f in findings]
    assert operations == ["aws ec2 describe-instances", "aws ec2 stop-instances", "aws s3api list-objects-v2",
                          "aws s3api get-object-tagging", "aws s3 ls", "aws s3 rm", "aws sts get-caller-identity", "aws iam list-users",
                          "aws s3 ls", "aws cloudtrail get-trail-status", "aws s3 sync", "aws guardduty list-detectors",
                          "aws s3 ls"]
    assert "(what xargs reads)" in findings[1].message and "KEY" in findings[3].message
    assert "{}" in findings[5].message  # xargs -i: its string is {}


def test_a_block_for_another_shell_is_skipped_with_its_aws_commands_counted(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```powershell\naws ec2 describe-instances `\n  --instance-ids i-0123456789abcdef0\n"
                       "aws s3 ls\n```\n")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "skipped" and "holds 2 aws command(s) written for that shell" in finding.message


def test_commands_in_lists_quotes_details_and_indented_blocks_are_found():
    findings = check.run([FIXTURES / "pass" / "markdown-shapes.md"], mode="runbook")
    assert [f.line for f in findings] == [6, 11, 15, 19, 25, 31]  # 11: an indented code block


def test_a_value_outside_an_options_choices_is_named_with_them(tmp_path):
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws ec2 describe-vpcs \\\n  --output tabel\n```\n")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "error" and finding.line == 3
    assert "--output is 'tabel', which is not one of json, table, text, maybe you meant: table" in finding.message


def test_abridged_json_and_placeholders_in_it_are_read_as_a_reader_reads_them():
    [output, policy, template] = check.run([FIXTURES / "pass" / "json-abridged-and-placeholders.md"], mode="runbook")
    assert "Abridged with `...` (lines 11, 13)" in output.message
    assert "Placeholders <account-id>, {{ max_results }} stand for values" in template.message
    assert "Abridged" not in policy.message and "Placeholders" not in policy.message  # quoted: already JSON


def test_choices_optional_parts_and_set_aside_lines_are_named_in_the_finding():
    [get, rule, braces, stop, snapshots] = check.run([FIXTURES / "pass" / "choice-placeholders.md"], mode="runbook")
    assert "<GET|POST|ANY>" in get.message and "<ENABLED|DISABLED>" in rule.message and "{GET,POST}" in braces.message
    assert "[--dry-run] is optional: checked with it" in stop.message and "[--max-items ...]" in snapshots.message
    payloads = check.run([FIXTURES / "pass" / "attack-payloads.md"], mode="runbook")[0]
    assert payloads.line == 7 and "line(s) 7-10 are not shell a reader runs" in payloads.message
    [queries] = check.run([FIXTURES / "pass" / "sql-prose-between-queries.md"], mode="runbook")
    assert "line(s) 8 are prose between the queries" in queries.message



def test_a_lost_continuation_is_reported_once(tmp_path):
    """The command cut short lacks the required option the lost line holds: one error says why."""
    runbook = tmp_path / "r.md"
    runbook.write_text("```bash\naws iam update-access-key --access-key-id AKIAZEXAMPLEKEY00001\n"
                       "  --status Inactive --user-name responder\n```\n")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "error" and finding.line == 3 and finding.rule == "lost-continuation"
    assert "Add the missing `\\` at the end of line 2" in finding.message
