"""The VPC flow log checker (handbook.examples.flowlog).

Fixtures: tests/fixtures/log/<case>.log (records; declarations default to
`format: vpc-flow-log`) and <case>.txt (stated field lists; `format: vpc-flow-log-fields`),
with <case>.yml where a fixture needs its own declarations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.examples import flowlog
from handbook.examples.flowlog import check_log

from .fixture_files import FixtureFiles

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
LOG = FixtureFiles("log", check_log, default=lambda name: {
    "format": "vpc-flow-log" if name.endswith(".log") else "vpc-flow-log-fields"})
check = LOG.check


def statuses(findings):
    return [f.status for f in findings]


# ------------------------------------------------------------------ the source's lines

SOURCE = [
    ("flowlog-fields.txt", 655, "The stated field list equals the version 2 default format (14 fields)."),
    ("flowlog-accept.log", 659, "log-status OK"),
    ("flowlog-reject.log", 663, "log-status OK"),
    ("flowlog-nodata.log", 667, "log-status NODATA"),
]


@pytest.mark.parametrize("name,line,words", SOURCE)
def test_source_lines_pass(name, line, words):
    findings = check(name, line=line)
    assert statuses(findings) == ["ok"], findings
    assert findings[0].line == line and findings[0].kind == "log"
    assert words in findings[0].message


GOOD = ["flowlog-skipdata.log", "flowlog-ipv6.log", "flowlog-s3-header.log", "flowlog-custom-v5.log", "flowlog-fields-format-string.txt"]


@pytest.mark.parametrize("name", GOOD)
def test_good_logs(name):
    assert statuses(check(name)) == ["ok"], check(name)


# ------------------------------------------------------------------ every check fails on bad input

BAD = [
    ("flowlog-bad-port.log", 1, ["dstport is 65536, outside 0-65535"]),
    ("flowlog-bad-account.log", 1, ["'12345678901', which is not a 12-digit AWS account id"]),
    ("flowlog-bad-eni.log", 1, ["not a network interface id (eni- and 8 or 17 hex digits)"]),
    ("flowlog-bad-ip.log", 1, ["dstaddr is '172.31.16.256', which is not an IPv4 or IPv6 address"]),
    ("flowlog-bad-protocol.log", 1, ["protocol is 'TCP', which is not an IANA protocol number"]),
    ("flowlog-bad-packets.log", 1, ["packets is 'twenty', which is not an integer"]),
    ("flowlog-bad-action.log", 1, ["action is 'ALLOW', not one of ACCEPT, REJECT"]),
    ("flowlog-bad-status.log", 1, ["log-status is 'FAILED', not one of OK, NODATA, SKIPDATA"]),
    ("flowlog-bad-version.log", 1, ["version is 3, but a record in this format has version 2"]),
    ("flowlog-custom-wrong-version.log", 1, ["version is 3", "has version 5 (the highest version among its fields)"]),
    ("flowlog-start-after-end.log", 1, ["start (1418530070) is after end (1418530010)"]),
    ("flowlog-too-few-bytes.log", 1, ["bytes (399) is less than 20 bytes"]),
    ("flowlog-wrong-field-count.log", 1, ["13 space-separated values, but its format has 14 fields"]),
    ("flowlog-dash-in-ok.log", 1, ["srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, action are '-' in a record with log-status OK"]),
    ("flowlog-data-in-nodata.log", 1, ["srcaddr must be '-' in a NODATA record"]),
    ("flowlog-dash-account.log", 1, ["account-id is '-', but every record has a value for account-id"]),
    ("flowlog-bad-header.log", 1, ["The header line does not name the version 2 default format", "order differs"]),
    ("flowlog-fields-wrong-order.txt", 1, ["not the version 2 default format", "the order differs"]),
    ("flowlog-fields-missing.txt", 1, ["it lacks log-status"]),
    ("flowlog-fields-unknown.txt", 1, ["src-port is not a flow log field", "it lacks srcport"]),
]


@pytest.mark.parametrize("name,line,words", BAD, ids=[case[0] for case in BAD])
def test_bad_log_is_reported(name, line, words):
    findings = check(name)
    assert statuses(findings) == ["error"], findings
    assert findings[0].line == line
    for word in words:
        assert word in findings[0].message, findings[0].message


def test_errors_name_the_line_of_the_record():
    good = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
    bad = good.replace(" 22 6 ", " 22 256 ")
    findings = check_log(f"{good}\n\n{bad}\n", path="page.md", line=40, declarations={"format": "vpc-flow-log"})
    assert [(f.status, f.line) for f in findings] == [("error", 42)]


@pytest.mark.parametrize(
    "declarations,words",
    [
        ({}, "No log format is declared"),
        ({"format": "flowlog"}, "The declared log format 'flowlog' is unknown"),
        ({"format": "vpc-flow-log", "fields": "version account-id"}, "must be a list"),
        ({"format": "vpc-flow-log", "fields": ["version", "src-port"]}, "unknown flow log fields: src-port"),
    ],
)
def test_declarations(declarations, words):
    findings = check("flowlog-accept.log", declarations)
    assert statuses(findings) == ["error"] and words in findings[0].message


def test_empty_example():
    findings = check_log("\n\n", path="x.log", line=1, declarations={"format": "vpc-flow-log"})
    assert statuses(findings) == ["error"] and "no flow log record" in findings[0].message


def test_field_data_matches_the_documented_default_format():
    data = flowlog.field_data()
    assert flowlog.default_fields() == (
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status".split()
    )
    assert all(data["fields"][f]["since"] == 2 for f in flowlog.default_fields())
    types = {"integer", "account-id", "eni-id", "ip-address", "port", "protocol", "unix-seconds", "enum", "pattern", "string"}
    assert {spec["type"] for spec in data["fields"].values()} <= types
    assert {spec["dash"] for spec in data["fields"].values()} <= {"never", "no-data", "allowed"}
