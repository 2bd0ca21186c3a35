"""The JSON checker (handbook.examples.shapes) and its mutation self-test.

Fixtures: tests/fixtures/json/<case>.json with declarations in <case>.yml.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


from handbook.examples import jsontext, mutation_json, shapes
from handbook.examples.schemas import SchemaError, resolve, yaml_schemas
from handbook.examples.shapes import check_json

from .fixture_files import FixtureFiles

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
DATA = REPO / "handbook" / "examples" / "data"
JSON = FixtureFiles("json", check_json)
fixture, check, line_of = JSON.fixture, JSON.check, JSON.line_of


def only_error(findings):
    assert [f.status for f in findings] == ["error"], findings
    return findings[0]


# ------------------------------------------------------------------ the source's documents pass

GOOD = ["config-rule.json", "cloudtrail-record-file.json", "route53-query-log.json", "guardduty-finding-export.json"]


@pytest.mark.parametrize("name", GOOD)
def test_source_documents_pass(name):
    findings = check(name)
    assert [f.status for f in findings] == ["ok"], findings
    assert findings[0].kind == "json" and findings[0].line == 1


def test_ok_message_names_the_schema_and_the_allowed_keys():
    message = check("guardduty-finding-export.json")[0].message
    assert "guardduty shape Finding" in message
    assert "service.additionalInfo.sample (the GuardDuty console marks sample findings" in message


# ------------------------------------------------------------------ every check fails on bad input

BAD = [
    # fixture, needle on the reported line, words in the message
    ("unknown-key.json", '"SourceIdentifer"', ["Unknown key 'SourceIdentifer'", "did you mean 'SourceIdentifier'"]),
    ("case-mismatch.json", '"configRuleName"', ["keys are case-sensitive", "'ConfigRuleName'"]),
    ("bad-enum.json", '"Owner"', ["'Amazon'", "CUSTOM_LAMBDA, AWS, CUSTOM_POLICY"]),
    ("missing-required.json", "{", ["lacks 'Source'", "config ConfigRule requires"]),
    ("wrong-type.json", '"ComplianceResourceTypes"', ["is a string", "is an array"]),
    ("null-required.json", '"Source"', ["is null", "requires Source"]),
    ("too-long.json", '"ConfigRuleName"', ["135 characters", "at most 128"]),
    ("pattern-mismatch.json", '"ConfigRuleName"', ["does not match the pattern"]),
    ("input-parameters-not-json.json", '"InputParameters"', ["must hold JSON text", "config ConfigRule.InputParameters"]),
    ("duplicate-key.json", '"ConfigRuleName": "RequiredTags"', ["appears twice", "first on line 2"]),
    ("syntax-error.json", '"Source"', ["does not parse", "Expecting ',' delimiter", "column 3"]),
    ("nan.json", "NaN", ["NaN is not valid JSON"]),
    ("no-schema.json", "{", ["No schema is declared", "declare which API shape it follows"]),
    ("cloudtrail-missing-since.json", '{"Records"', ["lacks 'eventID'", "from eventVersion 1.01 on"]),
    ("route53-wrong-type.json", '"srcport"', ["is an integer (56067)", "is a string"]),
    ("union-two-members.json", "{", ["is a union: set exactly one"]),
]


@pytest.mark.parametrize("name,needle,words", BAD, ids=[case[0] for case in BAD])
def test_bad_document_is_reported_at_its_line(name, needle, words):
    error = only_error(check(name))
    assert error.kind == "json"
    assert error.line == line_of(name, needle), error
    for word in words:
        assert word in error.message, error.message
    assert error.message[0].isupper() or error.message[0] == "`"


def test_formats_and_enums_of_log_schemas():
    findings = check("cloudtrail-bad-format.json")
    assert [f.status for f in findings] == ["error"] * 3
    identity_line = line_of("cloudtrail-bad-format.json", '"userIdentity"')
    enum = next(f for f in findings if "IAMuser" in f.message)
    account = next(f for f in findings if "accountId" in f.message)
    assert enum.line == account.line == identity_line
    assert "did you mean IAMUser?" in enum.message
    assert "not a 12-digit AWS account id" in account.message
    eventtime = next(f for f in findings if "eventTime" in f.message)
    assert eventtime.line == line_of("cloudtrail-bad-format.json", '"eventTime"')
    assert "ISO 8601" in eventtime.message


def test_lines_are_offset_by_where_the_example_starts():
    error = only_error(check("unknown-key.json", line=100))
    assert error.line == 100 + line_of("unknown-key.json", "SourceIdentifer") - 1
    syntax = only_error(check("syntax-error.json", line=10))
    assert syntax.line == 12 and "line 12, column 3" in syntax.message


# ------------------------------------------------------------------ null

def test_null_for_an_optional_member_is_absent():
    text = '{"ConfigRuleName": "r", "Description": null, "Source": {"Owner": "AWS", "SourceIdentifier": "X"}}'
    assert [f.status for f in check_json(text, path="x.json", line=1, declarations={"schema": "config:PutConfigRule.ConfigRule"})] == ["ok"]


def test_null_array_element_is_an_error():
    text = '{"ConfigRuleName": "r", "Scope": {"ComplianceResourceTypes": [null]}, "Source": {"Owner": "AWS"}}'
    error = only_error(check_json(text, path="x.json", line=1, declarations={"schema": "config:PutConfigRule.ConfigRule"}))
    assert "ComplianceResourceTypes[0]` is null" in error.message


# ------------------------------------------------------------------ wire names (rest-json)

def test_guardduty_members_are_read_by_their_wire_names():
    text = fixture("guardduty-finding-export.json").text.replace('"accountId"', '"AccountId"', 1)
    decl = fixture("guardduty-finding-export.json").declarations
    unknown, missing = check_json(text, path="x.json", line=1, declarations=decl)
    assert "Unknown key 'AccountId'" in unknown.message and "write 'accountId'" in unknown.message
    assert unknown.line == 4
    assert "lacks 'accountId', which guardduty Finding requires" in missing.message


def test_guardduty_console_export_extra_is_reported_without_allow():
    error = only_error(check("guardduty-finding-export.json", {"schema": "guardduty:Finding[]"}))
    assert error.line == line_of("guardduty-finding-export.json", '"sample"')
    assert "Unknown key 'sample' in `[0].service.additionalInfo`" in error.message


def test_guardduty_wrong_type_deep_inside():
    text = fixture("guardduty-finding-export.json").text.replace('"count": 1', '"count": "1"')
    decl = fixture("guardduty-finding-export.json").declarations
    error = only_error(check_json(text, path="x.json", line=1, declarations=decl))
    assert "`[0].service.count` is a string" in error.message and "an integer" in error.message


# ------------------------------------------------------------------ declarations

@pytest.mark.parametrize(
    "allow,words",
    [
        (["service.additionalInfo.sample"], "gives no reason"),
        ([{"key": "service.additionalInfo.sample"}], "non-empty `reason`"),
        ("service.additionalInfo.sample", "must be a list"),
    ],
)
def test_allow_entries_need_a_reason(allow, words):
    findings = check("guardduty-finding-export.json", {"schema": "guardduty:Finding[]", "allow": allow})
    assert any(f.status == "error" and words in f.message for f in findings), findings


def test_unused_allow_entry_is_an_error():
    decl = {"schema": "config:PutConfigRule.ConfigRule", "allow": [{"key": "Tags.*", "reason": "none"}]}
    error = only_error(check("config-rule.json", decl))
    assert "Allow entry 'Tags.*' matches no key" in error.message


def test_wildcard_allow_skips_a_subtree():
    decl = {"schema": "guardduty:Finding[]", "allow": [{"key": "service.additionalInfo.*", "reason": "console export"}]}
    assert [f.status for f in check("guardduty-finding-export.json", decl)] == ["ok"]


@pytest.mark.parametrize(
    "label,words",
    [
        ("guardduty:Findng", "did you mean Finding"),
        ("gaurdduty:Finding", "did you mean guardduty"),
        ("config:PutConfigRule.Rule", "has no member 'Rule'"),
        ("cloudtrail-records", "no schema named 'cloudtrail-records'"),
        ("not a schema!", "is not of the form"),
    ],
)
def test_unusable_schema_declarations(label, words):
    error = only_error(check("config-rule.json", {"schema": label}))
    assert "The declared schema cannot be used" in error.message and words in error.message


def test_array_schema_needs_an_array():
    error = only_error(check("config-rule.json", {"schema": "config:ConfigRule[]"}))
    assert "declares an array" in error.message
    empty = only_error(check_json("[]", path="x.json", line=1, declarations={"schema": "guardduty:Finding[]"}))
    assert "empty array" in empty.message


def test_whole_operation_input_and_bare_shape_names():
    text = json.dumps({"ConfigRule": json.loads(fixture("config-rule.json").text)})
    assert [f.status for f in check_json(text, path="x", line=1, declarations={"schema": "config:PutConfigRule"})] == ["ok"]
    assert [f.status for f in check("config-rule.json", {"schema": "config:ConfigRule"})] == ["ok"]


# ------------------------------------------------------------------ jsontext


def test_jsontext_records_lines_of_keys_and_elements():
    doc = jsontext.parse('{\n  "a": [\n    1,\n    {"b": null}\n  ],\n  "c": "x"\n}\n')
    assert doc.lines[()] == 1
    assert doc.lines[("a",)] == 2
    assert doc.lines[("a", 0)] == 3
    assert doc.lines[("a", 1, "b")] == 4
    assert doc.lines[("c",)] == 6
    assert doc.line(("a", 1, "b", "missing")) == 4
    assert jsontext.render_path(("Records", 0, "userIdentity")) == "Records[0].userIdentity"


def test_jsontext_escaped_keys_and_duplicates():
    doc = jsontext.parse('{"a\\"b": 1, "x": {"y": 1, "y": 2}}')
    assert doc.value == {'a"b': 1, "x": {"y": 2}}
    assert [(d.path, d.line, d.first_line) for d in doc.duplicates] == [(("x", "y"), 1, 1)]
    start, end = doc.key_spans[('a"b',)]
    assert doc.value and '{"a\\"b": 1, "x": {"y": 1, "y": 2}}'[start:end] == '"a\\"b"'


# ------------------------------------------------------------------ data files


def test_every_data_schema_resolves():
    assert {"cloudtrail-record-file", "cloudtrail-record", "route53resolver-query-log"} <= set(yaml_schemas())
    for name in yaml_schemas():
        assert resolve(name).root.members


def test_cloudtrail_sample_records_follow_the_record_schema():
    text = (DATA / "cloudtrail-sample-records.json").read_text()
    assert [f.status for f in check_json(text, path="data", line=1, declarations={"schema": "cloudtrail-record-file"})] == ["ok"]


def test_schema_errors_are_sentences():
    with pytest.raises(SchemaError, match="botocore service name"):
        resolve("configservice:PutConfigRule.ConfigRule")


# ------------------------------------------------------------------ mutation self-test


def test_misspell():
    assert mutation_json.misspell("Records") == "Recorsd"
    assert mutation_json.misspell("id") == "di"
    assert mutation_json.misspell("aa") == "aaa"
    assert mutation_json.misspell("ab", avoid={"ba"}) == "abb"


def test_mutate_first_key_in_place():
    text = fixture("config-rule.json").text
    mutation = mutation_json.mutate(text)
    assert (mutation.key, mutation.misspelt, mutation.line) == ("ConfigRuleName", "ConfigRuleNaem", 2)
    assert json.loads(mutation.text)["ConfigRuleNaem"] == "RequiredTagsForEC2Instances"
    assert mutation.text.count("\n") == text.count("\n")


@pytest.mark.parametrize("name", GOOD)
def test_checker_rejects_each_misspelt_key(name):
    snippet = fixture(name)
    findings = mutation_json.self_test(snippet.text, path=snippet.ref, line=1, declarations=snippet.declarations)
    assert [f.status for f in findings] == ["ok"], findings
    assert "rejects each of the" in findings[0].message


def test_self_test_catches_a_checker_that_ignores_unknown_keys(monkeypatch):
    monkeypatch.setattr(shapes._Walker, "unknown", lambda self, key, node, path: None)
    snippet = fixture("config-rule.json")
    findings = mutation_json.self_test(snippet.text, path=snippet.ref, line=1, declarations=snippet.declarations)
    assert findings and all(f.status == "error" for f in findings)
    assert "accepted this example with key ConfigRuleName misspelt as 'ConfigRuleNaem'" in findings[0].message
    assert findings[0].line == 2


def test_self_test_skips_an_example_that_does_not_parse():
    snippet = fixture("syntax-error.json")
    findings = mutation_json.self_test(snippet.text, path=snippet.ref, line=1, declarations=snippet.declarations)
    assert [f.status for f in findings] == ["skipped"]
