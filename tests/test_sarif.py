"""`handbook check --format sarif`: a SARIF 2.1.0 log, validated against the schema with jsonschema.

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
    log = sarif_of([FIXTURES / "defect", FIXTURES / "pass" / "several-commands.md"])
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    errors = [r for r in results if r["level"] == "error"]
    defects = len(list((FIXTURES / "defect").iterdir()))  # one error each
    assert len(errors) == defects and {r["level"] for r in results} == {"error", "none"}
    lookup = next(r for r in errors if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  .endswith("lookup-attribute-enum.md"))
    assert lookup["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert lookup["ruleId"] == "cli" and "SourceIPAddress" in lookup["message"]["text"]


def test_the_validator_refuses_a_broken_log(schema):
    log = sarif.log([])
    jsonschema.Draft4Validator(schema).validate(log)
    log["runs"][0]["results"] = [{"message": {"text": "x"}, "level": "fatal"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)
    del log["version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)
