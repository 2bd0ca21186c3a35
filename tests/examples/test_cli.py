"""The CLI example checker: every check passes a good example and fails a bad one.

One small example per edge case lives in tests/fixtures/cli/; the snippets/ folder there is a
miniature snippet tree for what needs sidecar files (declarations, file://, placeholders.yml).
"""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import re
from pathlib import Path

import pytest
import yaml

from handbook.errors import HandbookError
from handbook.examples import cli, fixtures, mutation
from handbook.simulation import fixtures as named
from handbook.snippets import Snippet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"
TREE = FIXTURES / "snippets"


@pytest.fixture(scope="module")
def runner():
    return aws.shared()


def check(name, runner, **kwargs):
    path = FIXTURES / name
    return cli.check(path.read_text(encoding="utf-8"), path=str(path), runner=runner, **kwargs)


def only_error(findings):
    assert [f.status for f in findings] == ["error"], findings
    return findings[0]


# --- good examples ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["good-create-trail.sh", "good-multiline-json.sh",
                                  "good-multiline-quote.sh", "good-event.sh"])
def test_a_good_example_yields_one_ok_saying_what_was_verified(name, runner):
    [finding] = check(name, runner)
    assert finding.status == "ok", finding
    assert finding.kind == "cli" and finding.path.endswith(name)
    assert "is one shell command" in finding.message
    assert "awscli 1.46.2 parses it" in finding.message
    assert "botocore validates the parameters of" in finding.message


# --- shell -----------------------------------------------------------------------------------

def test_a_line_without_continuation_ends_the_command(runner):
    error = only_error(check("missing-continuation.sh", runner))
    assert error.line == 4
    assert error.message == ("line 4 does not end in `\\`, so it ends the command; "
                             "a shell would run lines 5-6 as separate commands.")


def test_a_backslash_followed_by_spaces_does_not_continue(runner):
    error = only_error(check("backslash-then-spaces.sh", runner))
    assert error.line == 1
    assert "followed by spaces" in error.message
    assert "line 2 as a command of its own" in error.message


def test_shell_commands_split_as_a_posix_shell_does():
    text = ("aws a \\\n  --b 'x\ny' \\\n  --c \"d \\\ne\"  # note\n\n# only a comment\n"
            "aws f\\ g \n--h")
    commands = cli.shell_commands(text)
    assert [(c.line, c.last_line, c.words) for c in commands] == [
        (1, 5, ("aws", "a", "--b", "x\ny", "--c", "d e")),
        (8, 8, ("aws", "f g")),
        (9, 9, ("--h",)),
    ]


@pytest.mark.parametrize("name, line, text", [
    ("second-command.sh", 2, "line 2 starts a second aws command"),
    ("not-aws.sh", 1, "starts with 'echo', not 'aws'"),
    ("unclosed-quote.sh", 1, "is never closed"),
    ("shell-operator.sh", 1, "the shell operator '|'"),
])
def test_what_is_not_exactly_one_aws_command_is_reported(name, line, text, runner):
    error = only_error(check(name, runner))
    assert (error.line, text in error.message) == (line, True), error


def test_an_empty_example_is_reported(runner):
    error = only_error(cli.check("\n  \n# nothing\n", path="empty.sh", runner=runner))
    assert error.message == "the example holds no command."


# --- synopsis and placeholders ---------------------------------------------------------------

def test_synopsis_brackets_are_not_runnable(runner):
    findings = check("synopsis-brackets.sh", runner)
    assert [f.status for f in findings] == ["error", "error"]
    assert findings[0].message.startswith("`[--log-stream-names LIST_OF_STREAMS_TO_SEARCH]` is synopsis")
    assert findings[1].message.startswith("`[--filter-pattern VALID_METRIC_FILTER_PATTERN]`")


def test_an_undeclared_placeholder_is_named(runner):
    findings = check("undeclared-placeholder.sh", runner, placeholders={"bucket": "handbook-evidence"})
    assert [f.status for f in findings] == ["error", "error"]
    assert "the placeholder <object> has no test value" in findings[0].message
    assert "undeclared-placeholder.yml" in findings[0].message
    assert "<destination>" in findings[1].message


def test_a_placeholder_that_awscli_would_accept_literally_is_still_caught(runner):
    # `--name <value>` parses as the string "<value>": only the placeholder check sees it.
    error = only_error(check("literal-placeholder.sh", runner))
    assert "<value>" in error.message


def test_one_placeholder_for_two_different_options_is_an_error(runner):
    findings = check("shared-placeholder.sh", runner, placeholders={"value": "handbook-dns"})
    error = only_error(findings)
    assert error.line == 1
    assert error.message.startswith("the placeholder <value> stands for two different things "
                                    "(--name and --destination-arn)")
    assert "such as <name> and <destination-arn>" in error.message


def test_declared_placeholders_are_substituted_for_the_run_only(runner):
    declarations = {"placeholders": {"object": "incident/evidence.log", "destination": "evidence.log"}}
    [ok] = check("undeclared-placeholder.sh", runner, declarations=declarations,
                 placeholders={"bucket": "handbook-evidence", "object": "overridden/by/the/snippet"})
    assert ok.status == "ok" and "test values for <bucket>, <object>, <destination>" in ok.message
    prepared = cli.prepare((FIXTURES / "undeclared-placeholder.sh").read_text(), path="x.sh",
                           placeholders={"bucket": "b"}, declarations=declarations)
    assert prepared.words[3] == "s3://b/incident/evidence.log"


@pytest.mark.parametrize("value", ["", "  ", None, ["a"], True, "<bucket>"])
def test_a_placeholder_needs_a_realistic_value(value, runner):
    error = only_error(check("undeclared-placeholder.sh", runner,
                             placeholders={"bucket": value, "object": "o", "destination": "d"}))
    assert "the test value for <bucket> must be a realistic value" in error.message


# --- awscli parse ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, line, text", [
    ("unknown-option.sh", 2, "--nmae is not an option of aws cloudtrail get-trail-status"),
    ("misspelt-required-option.sh", 2, "the following arguments are required: --name; --nmae"),
    ("unknown-operation.sh", 1, "Invalid choice: 'create-trial', maybe you meant: create-trail"),
    ("unknown-service.sh", 1, "Invalid choice: 'cloudtrial', maybe you meant: cloudtrail"),
    ("unknown-s3-command.sh", 2, "Invalid choice: 'sl' is not a command of aws s3 (it has cp, ls, mb, mv, "
                                 "presign, rb, rm, sync, website), maybe you meant: ls."),
    ("bad-shorthand.sh", 1, 'Missing required parameter in Targets[0]: "Arn"'),
    ("unknown-shorthand-key.sh", 1, 'Unknown parameter in Targets[0]: "Role"'),
    ("bad-type.sh", 1, "invalid literal for int() with base 10: 'fifty'"),
    ("bad-json-structure.sh", 3, "Error parsing parameter '--sort-criteria': Invalid JSON"),
    ("unknown-json-key.sh", 3, 'Unknown parameter in FindingCriteria: "Criteria"'),
])
def test_what_awscli_rejects_is_reported_with_its_message(name, line, text, runner):
    error = only_error(check(name, runner))
    assert error.message.startswith("awscli rejects the command: ")
    assert text in error.message
    assert error.line == line


# --- model checks awscli does not make -------------------------------------------------------

@pytest.mark.parametrize("name, line, text", [
    ("bad-enum.sh", 4, "--traffic-type is 'REJECTED', which the API does not accept: "
                       "TrafficType is one of ACCEPT, REJECT, ALL."),
    ("bad-enum-in-shorthand.sh", 1, "--lookup-attributes[0].AttributeKey is 'Event'"),
    ("bad-enum-in-json.sh", 2, "--filters.GeneratorId[0].Comparison is 'STARTS_WITH'"),
])
def test_enum_values_are_checked_against_the_api_model(name, line, text, runner):
    error = only_error(check(name, runner))
    assert (error.line, error.message.startswith(text)) == (line, True), error


def test_json_inside_a_string_option_must_parse(runner):
    error = only_error(check("bad-json-option.sh", runner))
    assert error.message == ("--event-pattern is not valid JSON (Expecting ',' delimiter at column 79); "
                             "it must hold an EventBridge event pattern.")


def test_test_event_pattern_needs_every_field_the_api_requires(runner):
    error = only_error(check("event-missing-fields.sh", runner))
    assert error.message.startswith("--event lacks 'resources': TestEventPattern requires")


def test_a_problem_is_reported_on_the_line_of_its_option(runner):
    good = (FIXTURES / "good-event.sh").read_text()
    text = good.replace(',"resources":[]', "")
    error = only_error(cli.check(text, path="x.sh", runner=runner))
    assert error.line == 3 and error.message.startswith("--event lacks 'resources'")


def test_a_json_string_option_must_hold_an_object(runner):
    text = "aws events put-rule --name R --event-pattern '[\"aws.ec2\"]'"
    error = only_error(cli.check(text, path="x.sh", runner=runner))
    assert "--event-pattern must hold a JSON object" in error.message


# --- file:// ---------------------------------------------------------------------------------

def test_file_names_a_sibling_snippet(runner):
    [ok] = cli.check_snippet(Snippet(TREE, "config/put-config-rule.sh"), runner=runner)
    assert ok.status == "ok" and "RequiredTagsForEC2Instances.json" in ok.message


def test_the_file_is_checked_too(runner):
    findings = cli.check_snippet(Snippet(TREE, "config/put-config-rule-bad-owner.sh"), runner=runner)
    assert [f.message.split(" ")[0] for f in findings] == ["--config-rule.Source.Owner",
                                                           "--config-rule.InputParameters"]


def test_an_unresolved_file_is_an_error(runner):
    error = only_error(check("unresolved-file.sh", runner))
    assert error.message.startswith("file://recordingGroup.json names no example next to this one")


def test_sibling_files_are_the_other_snippets_of_the_page():
    files = cli.sibling_files(Snippet(TREE, "config/put-config-rule.sh"))
    assert sorted(files) == ["BadOwnerRule.json", "RequiredTagsForEC2Instances.json",
                             "put-config-rule-bad-owner.sh"]


# --- mutation --------------------------------------------------------------------------------

def test_misspell_swaps_two_letters():
    assert mutation.misspell("--name") == "--nmae"
    assert mutation.misspell("--id") == "--di"
    assert mutation.misspell("--s3-bucket-name") == "--3s-bucket-name"


def test_mutants_leave_quoted_text_alone():
    text = "aws events put-rule --name R --event-pattern '{\"x\": \" --name\"}'"
    assert [(m.option, m.misspelt) for m in mutation.mutants(text)] == [
        ("--name", "--nmae"), ("--event-pattern", "--eevnt-pattern")]


GOOD = ["good-create-trail.sh", "good-multiline-json.sh", "good-multiline-quote.sh", "good-event.sh"]


@pytest.mark.parametrize("name", GOOD)
def test_the_checker_rejects_every_mutant(name, runner):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    mutants = list(mutation.mutants(text))
    assert mutants
    for mutant in mutants:
        findings = cli.check(mutant.text, path=name, runner=runner)
        errors = [f for f in findings if f.status == "error"]
        assert errors and all(f.status != "ok" for f in findings), mutant
        assert any(mutant.misspelt in f.message for f in errors), (mutant, errors)
        assert errors[0].line == mutant.line, (mutant, errors)


# --- simulation ------------------------------------------------------------------------------

def test_simulate_runs_the_setup_and_the_example_in_one_account(runner):
    snippet = Snippet(TREE, "cloudtrail/get-trail-status.sh")
    run = cli.simulate_snippet(snippet, runner=runner)
    assert run.ok, run.stderr
    assert '"IsLogging": true' in run.stdout


def test_simulate_with_placeholders_and_a_fixture(runner):
    snippet = Snippet(TREE, "s3/copy-object.sh")
    run = cli.simulate_snippet(snippet, placeholders=cli.load_placeholders(TREE), runner=runner)
    assert run.ok, run.stderr
    assert cli.normalise(run.stdout) == (
        "download: s3://handbook-evidence/incident/evidence.log to ./evidence.log\n")


def test_a_broken_example_is_not_simulated(runner):
    text = (FIXTURES / "missing-continuation.sh").read_text()
    with pytest.raises(HandbookError, match=r"missing-continuation.sh:4: cannot simulate"):
        cli.simulate(text, path=str(FIXTURES / "missing-continuation.sh"), runner=runner)


def test_an_unknown_fixture_names_the_file_and_line(runner):
    with pytest.raises(HandbookError) as raised:
        cli.simulate_snippet(Snippet(TREE, "cloudtrail/unknown-fixture.sh"), runner=runner)
    assert raised.value.path.endswith("unknown-fixture.yml") and raised.value.line == 3
    assert "unknown fixture 'cloudtrail-with-logging'" in raised.value.message


def test_a_failing_setup_call_names_the_file_and_line(runner):
    with pytest.raises(HandbookError) as raised:
        cli.simulate_snippet(Snippet(TREE, "cloudtrail/failing-setup.sh"), runner=runner)
    assert raised.value.line == 2
    assert "setup step 1 (cloudtrail.create_trail) failed" in raised.value.message


@pytest.mark.parametrize("step, text", [
    ({"call": "s3.create_bucket", "fixture": "trail"}, "exactly one of `call` or `fixture`"),
    ({"call": "s3.create_bukket", "args": {"Bucket": "b"}}, "is not a s3 client method"),
    ({"call": "s3.create_bucket", "args": ["b"]}, "`args` must be a mapping"),
])
def test_setup_steps_are_validated(step, text, runner):
    with aws.mock(), pytest.raises(HandbookError, match=re.escape(text)):
        fixtures.run_setup([step], runner, where="x.yml")


def test_fixtures_give_examples_the_ids_and_times_they_name(runner):
    with aws.mock():
        fixtures.run_setup(yaml.safe_load("""
            - fixture: network-interface
              args: {id: eni-11223344556677889}
            - fixture: log-events
              args: {group: my-logs, stream: "20150601",
                     events: [{timestamp: "2015-06-01T10:00:00Z", message: Example event 1}]}
            """), runner, where="x.yml")
        eni = runner.simulate(["ec2", "describe-network-interfaces", "--network-interface-ids",
                               "eni-11223344556677889"])
        events = runner.simulate(["logs", "get-log-events", "--log-group-name", "my-logs",
                                  "--log-stream-name", "20150601"])
    assert eni.ok and "eni-11223344556677889" in eni.stdout
    assert '"timestamp": 1433152800000' in events.stdout  # older than moto's API would accept


def test_guardduty_fixtures_give_the_detector_and_finding_ids_the_examples_name():
    from handbook.examples import verify

    runner = verify.simulation_runner()  # sample findings come from handbook.simulation
    with aws.mock():
        fixtures.run_setup(yaml.safe_load("""
            - fixture: guardduty-detector
              args: {id: 12abc34d567e8fa901bc2d34eexample}
            - fixture: guardduty-findings
              args:
                detector: 12abc34d567e8fa901bc2d34eexample
                findings: [{id: 1ab92989eaf0e742df4a014d5example, type: "Recon:EC2/PortProbeUnprotectedPort", severity: 5}]
            """), runner, where="x.yml")
        run = runner.simulate(["guardduty", "get-findings", "--detector-id", "12abc34d567e8fa901bc2d34eexample",
                               "--finding-ids", "1ab92989eaf0e742df4a014d5example"])
    assert run.ok, run.stderr
    assert '"Id": "1ab92989eaf0e742df4a014d5example"' in run.stdout
    assert '"Severity": 5.0' in run.stdout and f'"CreatedAt": "{named.FINDING_TIME}"' in run.stdout


# --- normalisation ---------------------------------------------------------------------------

def test_every_normalisation_says_why_and_changes_its_example():
    samples = {
        "request id": '"RequestId": "4f1c9d2e"',
        "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "guardduty detector id": '"DetectorId": "' + "a" * 32 + '"',
        "ec2 generated id": "fl-0123456789abcdef0",
        "route53 resolver id": "rslvr-qlc-6a2679b8e44748eff",
        "config rule id": "config-rule-a1b2c3",
        "run time, ISO": '"CreationTime": "2024-03-01T10:00:00.123456+00:00"',
        "run time, epoch": '"StateUpdatedTimestamp": 1709287200.467',
        "log stream token": '"f/38329372749376492847"',
        "transfer progress": "Completed 17 Bytes/17 Bytes (2.3 KiB/s) with 1 file(s) remaining\r",
        "guardduty set id": '"IpSetId": "' + "b" * 32 + '"',
        "paging token": '"NextToken": "eyJwYXJhbWV0ZXJDaGVja3N1bSI6IC03"',
        "log event id": '"eventId": "3"',
        "s3 listing time": "2026-11-28 15:33:13 handbook-evidence",
    }
    assert sorted(samples) == sorted(rule.name for rule in cli.NORMALISATIONS)
    for rule in cli.NORMALISATIONS:
        assert rule.reason.strip(), rule
        assert re.sub(rule.pattern, rule.replacement, samples[rule.name]) != samples[rule.name], rule


def test_a_key_that_starts_with_time_is_a_run_time_too():
    assert cli.normalise('"TimeLoggingStarted": "2026-11-28T15:33:06Z"') == '"TimeLoggingStarted": "<time>"'


def test_normalise_keeps_what_the_example_chose():
    chosen = ('{"timestamp": 1433152800000, "ResourceId": "eni-11223344556677889", '
              '"Value": "i-12345678", "Name": "Trail1"}')
    assert cli.normalise(chosen) == chosen


def test_a_simulation_normalises_to_the_same_output_twice(runner):
    text = "aws guardduty create-detector \\\n    --enable\n"
    first, second = (cli.simulate(text, path="create-detector.sh", runner=runner) for _ in range(2))
    assert first.stdout != second.stdout  # a new random detector id each time ...
    assert cli.normalise(first.stdout) == cli.normalise(second.stdout) == (
        '{\n    "DetectorId": "<detector-id>"\n}\n')


# --- declarations ----------------------------------------------------------------------------

def test_placeholders_must_be_a_mapping(runner):
    findings = check("undeclared-placeholder.sh", runner, declarations={"placeholders": ["bucket"]})
    assert findings[0].message.startswith("the declarations' `placeholders` must map")
    assert findings[0].path.endswith("undeclared-placeholder.yml")


def test_malformed_declarations_name_their_file(tmp_path):
    with pytest.raises(HandbookError, match="`setup` must be a list"):
        fixtures.setup_steps({"setup": {"call": "s3.list_buckets"}}, tmp_path / "x.yml")
    (tmp_path / "placeholders.yml").write_text("- bucket\n")
    with pytest.raises(HandbookError, match="placeholders.yml:1: placeholders.yml must map"):
        cli.load_placeholders(tmp_path)
    assert cli.load_placeholders(tmp_path / "none") == {}
