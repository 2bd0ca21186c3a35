"""`handbook check --format sarif`: a SARIF 2.1.0 log, validated against the schema with jsonschema
and against the rules GitHub code scanning applies to an upload (`upload_problems`).

The schema is not in this repository: it is the SARIF 2.1.0 schema shipped by the npm package
pinned in handbook/npm.yml and fetched, integrity-checked, with the site's packages (`make npm`).
"""

from handbook import aws  # noqa: F401,I001  -- first: boto3 and moto must share awscli's botocore

import io
import json
from pathlib import Path

import jsonschema
import pytest

from handbook import check, npm
from handbook.runbook import sarif

SCHEMA = "package/lib/schemas/sarif-2.1.0-rtm.5.json"  # in the package pinned in handbook/npm.yml
FIXTURES = Path(__file__).parent / "fixtures" / "runbooks"


@pytest.fixture(scope="module")
def schema() -> dict:
    # fetched with the site's packages before the suite (`make npm`): the tests reach no network
    return json.loads(npm.members(npm.pinned("@microsoft/jest-sarif"), [SCHEMA])[SCHEMA])


def sarif_of(paths) -> dict:
    out = io.StringIO()
    check.report(check.run(paths, mode="runbook"), format="sarif", out=out, err=io.StringIO())
    return json.loads(out.getvalue())


def test_the_log_of_a_corpus_with_errors_is_valid_sarif(schema):
    corpus = [FIXTURES / "defect", FIXTURES / "pass" / "several-commands.md"]
    log = sarif_of(corpus)
    jsonschema.Draft4Validator(schema).validate(log)
    assert upload_problems(log) == []
    results = log["runs"][0]["results"]
    defects = len(list((FIXTURES / "defect").iterdir()))  # one error each
    assert len(results) == defects and {r["level"] for r in results} == {"error"}
    # what passed is no alert, only counted
    checked = sum(f.status == "ok" for f in check.run(corpus, mode="runbook"))
    assert log["runs"][0]["properties"]["checked"] == checked >= 5
    lookup = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  .endswith("lookup-attribute-enum.md"))
    assert lookup["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert lookup["ruleId"] == "invalid-enum" and "SourceIPAddress" in lookup["message"]["text"]


def test_the_validator_refuses_a_broken_log(schema):
    log = sarif.log([])
    jsonschema.Draft4Validator(schema).validate(log)
    log["runs"][0]["results"] = [{"message": {"text": "x"}, "level": "fatal"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)
    del log["version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)


# --------------------------------------------------------------------------------------------
# What GitHub code scanning requires of an upload, beyond the schema


def upload_problems(log: dict) -> list[str]:
    """Why code scanning would refuse `log` or lose track of its alerts (empty: it takes it as it is).

    Every result's location is a relative URI under a uriBaseId the run defines (code scanning
    maps it onto the repository); every result has partialFingerprints, unique in the run (an
    alert keeps its identity across uploads); every ruleId is one of the driver's rules, at its
    ruleIndex, and every rule has an id, a shortDescription and help; at most 25,000 results."""
    found = []
    if log.get("version") != "2.1.0" or not log.get("runs"):
        found.append("not a SARIF 2.1.0 log with a run")
    for run in log.get("runs", []):
        driver = run.get("tool", {}).get("driver", {})
        rules = driver.get("rules", [])
        ids = [rule.get("id") for rule in rules]
        if not driver.get("name"):
            found.append("the tool has no name")
        for rule in rules:
            if not rule.get("id") or not rule.get("shortDescription", {}).get("text") \
                    or not rule.get("help", {}).get("text"):
                found.append(f"rule {rule.get('id')!r} lacks an id, a shortDescription or help")
        bases = run.get("originalUriBaseIds", {})
        fingerprints = []
        results = run.get("results", [])
        if len(results) > 25_000:
            found.append("more than 25,000 results")
        for number, result in enumerate(results):
            where = f"result {number}"
            if result.get("ruleId") not in ids:
                found.append(f"{where}: ruleId {result.get('ruleId')!r} is no rule of the driver")
            elif "ruleIndex" in result and ids[result["ruleIndex"]] != result["ruleId"]:
                found.append(f"{where}: ruleIndex {result['ruleIndex']} is not rule {result['ruleId']}")
            for location in result.get("locations", []) or [{}]:
                artifact = location.get("physicalLocation", {}).get("artifactLocation", {})
                uri = artifact.get("uri", "")
                if not uri or ":" in uri.split("/")[0] or uri.startswith("/"):
                    found.append(f"{where}: {uri!r} is not a relative URI")
                if artifact.get("uriBaseId") not in bases:
                    found.append(f"{where}: uriBaseId {artifact.get('uriBaseId')!r} is not defined by the run")
                if location.get("physicalLocation", {}).get("region", {}).get("startLine", 0) < 1:
                    found.append(f"{where}: no startLine")
            prints = result.get("partialFingerprints") or {}
            if not prints:
                found.append(f"{where}: no partialFingerprints")
            fingerprints.append(tuple(sorted(prints.items())))
        if len(set(fingerprints)) != len(fingerprints):
            found.append("two results share their fingerprints")
    return found


def test_the_upload_check_refuses_what_code_scanning_would_not_take():
    good = sarif_of([FIXTURES / "defect" / "unknown-option.md", FIXTURES / "defect" / "sql-typo.md"])
    assert upload_problems(good) == []
    for spoil, words in [
        (lambda r, run: r["locations"][0]["physicalLocation"]["artifactLocation"].update(
            uri=Path("/abs/runbook.md").as_uri()), "is not a relative URI"),
        (lambda r, run: r["locations"][0]["physicalLocation"]["artifactLocation"].update(uriBaseId="%ELSEWHERE%"),
         "is not defined by the run"),
        (lambda r, run: r.pop("partialFingerprints"), "no partialFingerprints"),
        (lambda r, run: r.update(ruleId="no-such-rule"), "is no rule of the driver"),
        (lambda r, run: r.update(ruleIndex=0), "is not rule"),
        (lambda r, run: run["results"].append(json.loads(json.dumps(r))), "share their fingerprints"),
        (lambda r, run: run["tool"]["driver"]["rules"][0].pop("help"), "lacks an id, a shortDescription or help"),
    ]:
        log = json.loads(json.dumps(good))
        run = log["runs"][0]
        spoil(run["results"][0], run)
        assert any(words in problem for problem in upload_problems(log)), words


def test_a_finding_keeps_its_fingerprint_when_lines_move(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runbook = Path("runbook.md")
    original = (FIXTURES / "defect" / "wrong-option.md").read_text()
    runbook.write_text(original)
    before = sarif_of([runbook])["runs"][0]["results"]
    runbook.write_text("# Preface\n\nThree lines above the command now.\n" + original)
    after = sarif_of([runbook])["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before + after]
    assert lines == [5, 8]
    # the same command twice: two alerts; another command: another identity
    runbook.write_text(original + original.split("\n", 2)[2])
    twice = sarif_of([runbook])["runs"][0]["results"]
    assert len({r["partialFingerprints"]["handbookCheck/v1"] for r in twice}) == 2
    runbook.write_text(original.replace("<analyzer>", "<the-analyzer>"))
    other = sarif_of([runbook])["runs"][0]["results"]
    assert other[0]["partialFingerprints"] != before[0]["partialFingerprints"]


def _applied(text: str, result: dict) -> str:
    """The file `text` with the result's one fix applied, as a code-scanning client would."""
    [change] = result["fixes"][0]["artifactChanges"]
    [replacement] = change["replacements"]
    region = replacement["deletedRegion"]
    lines = text.split("\n")
    line = lines[region["startLine"] - 1]
    lines[region["startLine"] - 1] = (line[:region["startColumn"] - 1] + replacement["insertedContent"]["text"]
                                      + line[region["endColumn"] - 1:])
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["output-choice.md", "misspelt-command.md", "space-after-backslash.md",
                                  "lost-continuation.md"])
def test_an_unambiguous_fix_is_offered_and_applying_it_clears_the_finding(name, tmp_path, monkeypatch, schema):
    monkeypatch.chdir(tmp_path)
    runbook = Path(name)
    runbook.write_text((FIXTURES / "fix" / name).read_text())
    log = sarif_of([runbook])
    jsonschema.Draft4Validator(schema).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"] == name
    runbook.write_text(_applied(runbook.read_text(), result))
    assert sarif_of([runbook])["runs"][0]["results"] == []


@pytest.mark.parametrize("name", ["no-close-choice.md", "choice-twice-on-the-line.md"])
def test_no_fix_where_the_correction_is_not_certain(name):
    [result] = sarif_of([FIXTURES / "fix" / name])["runs"][0]["results"]
    assert result["ruleId"] == "invalid-choice" and "fixes" not in result


def test_every_rule_is_described_for_code_scanning():
    driver = sarif.log([])["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]][:3] == ["shell-syntax", "lost-continuation", "unknown-command"]
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in driver["rules"])


def test_a_fix_that_appends_replaces_the_lines_trailing_blanks(tmp_path, monkeypatch):
    from handbook.examples import Finding, Fix

    monkeypatch.chdir(tmp_path)
    Path("lost.sh").write_text("aws s3 ls s3://bucket   \n  --recursive\n")
    lost = Fix(1, "", " \\", "Add the `\\` that continues the command")
    finding = Finding("lost.sh", 2, "shell", "error", "a lost continuation", rule="lost-continuation", fix=lost)
    [result] = sarif.log([finding])["runs"][0]["results"]
    assert _applied(Path("lost.sh").read_text(), result) == "aws s3 ls s3://bucket \\\n  --recursive\n"
    elsewhere = Finding("lost.sh", 2, "shell", "error", "x", rule="lost-continuation", fix=Fix(9, "", " \\", "x"))
    assert "fixes" not in sarif.log([elsewhere])["runs"][0]["results"][0]  # no such line: no fix
