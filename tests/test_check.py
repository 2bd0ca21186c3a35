"""`handbook check PATH...`: the suite's example checks for any Markdown file or snippet folder."""

from handbook import aws  # noqa: F401,I001  -- first: boto3 and moto must share awscli's botocore

import json
import subprocess
import sys
from pathlib import Path

import pytest

from handbook import check, cli

ROOT = Path(__file__).resolve().parent.parent

RUNBOOK = '''# Our runbook

Find the trails:

```bash
aws cloudtrail describe-trails
```

Stop nothing by mistake:

```bash
aws cloudtrail stop-loging --name Trail1
```

List the evidence bucket, which the check creates first:

```{.bash setup="[{call: s3.create_bucket, args: {Bucket: ir-evidence}}]"}
aws s3 ls s3://ir-evidence
```

```json {schema="config:PutConfigRule.ConfigRule"}
{"ConfigRuleName": "r", "Source": {"Owner": "AWS", "SourceIdentifer": "REQUIRED_TAGS"}}
```

```yaml
not: an example
```
'''


@pytest.fixture
def runbook(tmp_path) -> Path:
    path = tmp_path / "team" / "runbook.md"
    path.parent.mkdir()
    path.write_text(RUNBOOK)
    return path


def test_strict_mode_on_a_runbook_outside_the_repository_gets_one_line_per_problem(runbook, capsys):
    assert cli.main(["check", "--strict", str(runbook)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{runbook}:12: cli: awscli rejects the command: Invalid choice: 'stop-loging', maybe you meant: stop-logging.",
        f"{runbook}:22: json: Unknown key 'SourceIdentifer' in `Source`: config Source has no such member; did you "
        "mean 'SourceIdentifier'? (members: Owner, SourceIdentifier, SourceDetails, CustomPolicyDetails).",
    ]
    assert err == "7 finding(s): 4 ok, 2 error(s), 1 skipped\n"


def test_json_lists_every_finding_with_its_status(runbook, capsys):
    assert cli.main(["check", "--strict", "--json", str(runbook)]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert all(set(f) - {"rule", "fix"} == {"path", "line", "kind", "status", "message"} for f in findings)
    assert [(f["line"], f["kind"], f["status"]) for f in findings] == [
        (6, "cli", "ok"), (6, "cli", "ok"), (12, "cli", "error"), (18, "cli", "ok"), (18, "cli", "ok"),
        (22, "json", "error"), (25, "text", "skipped")]
    assert findings[4]["message"].startswith("it runs against simulated AWS")


def test_a_page_and_a_snippet_folder_of_the_repository_check_clean(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["check", "--json", "docs/services/cloudtrail.md", "snippets/athena"]) == 0
    findings = json.loads(capsys.readouterr().out)
    paths = {f["path"] for f in findings}
    assert "docs/services/cloudtrail.md" in paths and "snippets/cloudtrail/lookup-last-events.sh" in paths
    assert "snippets/athena/add-partition.sql" in paths
    assert {f["status"] for f in findings} == {"ok"}
    assert sum(f["path"] == "snippets/cloudtrail/create-trail.sh" for f in findings) == 2  # checked, then run


def test_a_path_that_holds_nothing_to_check_is_an_error(tmp_path):
    (tmp_path / "notes.rst").write_text("no examples\n")
    [missing, empty] = check.run([tmp_path / "nowhere", tmp_path / "notes.rst"])
    assert missing.status == empty.status == "error"
    assert missing.message.endswith("nowhere does not exist.")
    assert "holds no Markdown page and no example" in empty.message


def test_the_installed_command_checks_a_runbook(runbook):
    done = subprocess.run([str(Path(sys.executable).with_name("handbook")), "check", str(runbook)],
                          capture_output=True, text=True, timeout=120, cwd=runbook.parent)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("runbook.md:12: cli: awscli rejects the command") or \
        done.stdout.startswith(f"{runbook}:12: cli: awscli rejects the command"), done.stdout
