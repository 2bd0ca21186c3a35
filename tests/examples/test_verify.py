"""Verifying one example of any kind (handbook.examples.verify): what the suite and `handbook check` run.

Fixture trees live in tests/fixtures/verify/<case>/snippets (and docs/); inline fences in
tests/fixtures/pages/.
"""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import shutil
from pathlib import Path

import pytest

from handbook import snippets
from handbook.examples import fences, verify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TREES = FIXTURES / "verify"
PAGES = FIXTURES / "pages"


def project(case: str, docs: bool = False, update: bool = False) -> verify.Project:
    root = TREES / case
    return verify.Project(root / "snippets", root / "docs" if docs else None, update=update)


def verified(case: str, ref: str, **kwargs):
    p = project(case, **kwargs)
    return verify.snippet(snippets.Snippet(p.snippets, ref), p)


def errors(findings):
    found = [f for f in findings if f.status == "error"]
    assert found, findings
    return found


# --- the project's pages and snippets ---------------------------------------------------------

def test_an_included_snippet_is_checked_by_its_kind():
    [ok] = verified("project", "demo/fields.txt", docs=True)
    assert ok.status == "ok" and ok.kind == "log" and "field list equals" in ok.message


def test_a_snippet_no_page_includes_fails():
    [error] = errors(verified("project", "demo/orphan.log", docs=True))
    assert error.line == 1 and error.path.endswith("demo/orphan.log")
    assert error.message == ('no page includes this example: add {{ snippet("demo/orphan.log") }} where it '
                             "belongs in docs/, or delete the file.")


def test_a_page_calling_a_missing_snippet_fails_at_its_line():
    page = TREES / "project" / "docs" / "page.md"
    calls = snippets.calls(page.read_text())
    results = [verify.call(page, c, project("project")) for c in calls]
    assert [r.status for r in results] == ["ok", "ok", "ok", "error"]
    assert (results[3].path, results[3].line) == (str(page), 17)
    assert results[3].message.startswith("snippet 'demo/gone.txt' does not exist")


def test_recorded_output_beside_an_example_that_has_none_is_an_error():
    [error] = errors(verified("project", "demo/stale.json"))
    assert error.path.endswith("stale.output")
    assert "only a CLI example run against simulated AWS has any" in error.message


def test_a_misspelt_declaration_is_an_error_at_its_line():
    found = errors(verified("project", "demo/misspelt.json"))
    assert found[0].path.endswith("misspelt.yml") and found[0].line == 1
    assert found[0].message.startswith("misspelt.yml declares 'shcema', which a json example does not use")
    assert any("No schema is declared" in f.message for f in found)


def test_declarations_that_do_not_read_are_an_error_not_a_crash(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "x.log").write_text("2 1 eni-1 - - - - - - - 1 2 - NODATA\n")
    (tmp_path / "demo" / "x.yml").write_text("- format\n")
    [error] = verify.snippet(snippets.Snippet(tmp_path, "demo/x.log"), verify.Project(tmp_path))
    assert error.path.endswith("x.yml") and error.message == "declarations must be a mapping"


# --- the model-only list ----------------------------------------------------------------------

def test_a_listed_example_that_cannot_run_is_checked_against_the_model_only():
    findings = verified("model-only", "security-hub/get-insights.sh")
    assert [f.status for f in findings] == ["ok", "skipped"]
    assert findings[1].message.startswith("not run against simulated AWS, checked against the API model only: "
                                          "moto does not implement securityhub GetInsights (the run says: ")


def test_a_listed_example_that_runs_now_must_leave_the_list():
    [error] = errors(verified("model-only", "cloudtrail/lookup-events.sh"))
    assert error.path.endswith("model-only.yml") and error.line == 3
    assert error.message.startswith("simulated AWS runs cloudtrail/lookup-events.sh now: remove it from model-only.yml")


@pytest.mark.parametrize("case, text", [
    ("no-reason", "cloudtrail/lookup-events.sh needs the reason"),
    ("unknown-snippet", "cloudtrail/renamed.sh names no snippet"),
    ("not-a-mapping", "must map each CLI example"),
])
def test_a_malformed_model_only_list_names_its_file_and_line(case, text):
    root = FIXTURES / "model-only" / case
    with pytest.raises(Exception) as raised:
        snippets.model_only(root)
    assert str(raised.value).startswith(str(root / "model-only.yml")) and text in str(raised.value)


# --- recorded output ----------------------------------------------------------------------------

@pytest.fixture
def recorded(tmp_path):
    shutil.copytree(TREES / "recorded", tmp_path / "recorded")
    root = tmp_path / "recorded" / "snippets"
    example = snippets.Snippet(root, "cloudtrail/get-trail-status.sh")
    return example, lambda update=False: verify.snippet(example, verify.Project(root, update=update))


def test_output_is_recorded_only_with_the_flag_and_then_compared(recorded):
    example, run = recorded
    [missing] = errors(run())
    assert missing.path.endswith("get-trail-status.output")
    assert "no output is recorded for this example: make test UPDATE=1" in missing.message
    assert run(update=True)[-1].message.endswith("its output is now recorded in get-trail-status.output.")
    first = example.output.read_bytes()
    assert b'"IsLogging": false' in first  # the fixture's trail never started logging
    assert run()[-1].message.endswith("its output matches get-trail-status.output after the reviewed normalisations.")
    run(update=True)
    assert example.output.read_bytes() == first  # only the run's times differ: the file is left alone


def test_a_changed_output_fails_with_a_diff_until_re_recorded(recorded):
    example, run = recorded
    run(update=True)
    example.output.write_bytes(example.output.read_bytes().replace(b'"IsLogging": false', b'"IsLogging": true'))
    [error] = errors(run())
    assert '-    "IsLogging": true,' in error.message and '+    "IsLogging": false,' in error.message
    assert "re-records it" in error.message
    assert run(update=True)[-1].message.endswith("its output changed and is re-recorded in get-trail-status.output.")
    assert run()[-1].status == "ok"


# --- the guard ----------------------------------------------------------------------------------

def test_an_example_aimed_elsewhere_trips_the_guard_and_fails():
    [error] = errors(verified("guard", "s3/list-elsewhere.sh"))
    assert error.message.startswith("the guard stopped a request that would have left the machine")
    assert "127.0.0.1:9" in error.message


# --- inline fences --------------------------------------------------------------------------------

def fence_findings(page: str, index: int = 0):
    path = PAGES / page
    return verify.fence(path, fences.fences(path.read_text())[index], verify.Project(None))


@pytest.mark.parametrize("index, statuses, kind", [
    (0, ["ok", "ok"], "cli"), (1, ["ok"], "json"), (2, ["ok", "ok"], "cli"), (3, ["ok"], "log"),
    (4, ["skipped"], "text"), (5, ["skipped"], "text"),
])
def test_inline_fences_are_checked_by_their_language_and_declarations(index, statuses, kind):
    findings = fence_findings("fences.md", index)
    assert [f.status for f in findings] == statuses and findings[0].kind == kind, findings


def test_an_inline_command_runs_against_simulated_aws_with_its_declared_setup():
    findings = fence_findings("fences.md", 2)
    assert findings[1].line == 18 and findings[1].message.startswith("it runs against simulated AWS")


@pytest.mark.parametrize("page, line, text", [
    ("unreadable-attribute.md", 3, "the fence attribute schema='[unclosed' is not readable as YAML"),
    ("undeclared-kind.md", 4, "starts with 'sudo', not 'aws'; if it is a shell example that must not be run, "
                              'declare the fence attributes kind="shell"'),
    ("unknown-declaration.md", 3, "the fence declares shcema, which a json example does not use"),
    ("failing-run.md", 4, "the example fails against simulated AWS (exit code 255): An error occurred "
                          "(TrailNotFoundException)"),
    ("blocked.md", 4, "the guard stopped a request that would have left the machine"),
])
def test_a_bad_inline_example_is_reported_at_its_page_line(page, line, text):
    [error] = errors(fence_findings(page))
    assert (error.path, error.line) == (str(PAGES / page), line)
    assert text in error.message, error.message


def test_a_command_awscli_refuses_is_reported_by_the_check_not_as_a_failed_run():
    [error] = errors(verified("refused", "cloudtrail/get-trail-status.sh"))
    assert error.line == 2
    assert error.message == ("awscli rejects the command: the following arguments are required: --name; "
                             "--nmae is not an option of aws cloudtrail get-trail-status.")


def test_a_summary_is_written_only_after_every_snippet_was_verified():
    from handbook.examples import collect

    p = project("project", docs=True)
    verify.snippet(snippets.Snippet(p.snippets, "demo/fields.txt"), p)
    assert collect.summary(p) is None  # a partial run says nothing
    for example in snippets.find(p.snippets):
        verify.snippet(example, p)
    summary = collect.summary(p)
    assert summary["examples"] == 4 and summary["failed"] == 3  # orphan, stale output, misspelt declaration
    assert summary["kinds"] == {"json": 2, "log": 1, "text": 1} and summary["verified"] == {"checked": 4}
