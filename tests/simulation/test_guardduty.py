"""GuardDuty sample findings, ListFindings criteria, GetFindings, IP sets and threat intel sets."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto.core.utils import get_service_model
from moto.guardduty.models import guardduty_backends

from handbook.simulation import guardduty

HANDBOOK_DETECTOR = "12abc34d567e8fa901bc2d34eexample"
UNVALIDATED = Config(parameter_validation=False)
CATALOGUE = guardduty.load_catalogue()


@pytest.fixture
def gd(client):
    return client("guardduty")


@pytest.fixture
def detector(gd):
    return gd.create_detector(Enable=True)["DetectorId"]


@pytest.fixture
def samples(gd, detector):
    gd.create_sample_findings(DetectorId=detector)
    return detector


def types_of(gd, detector, ids):
    found = []
    for start in range(0, len(ids), 50):
        found += gd.get_findings(DetectorId=detector, FindingIds=ids[start : start + 50])["Findings"]
    by_id = {f["Id"]: f["Type"] for f in found}
    return [by_id[i] for i in ids]


def list_all(gd, detector, **kwargs):
    ids, token = [], None
    while True:
        page = gd.list_findings(DetectorId=detector, **kwargs, **({"NextToken": token} if token else {}))
        ids += page["FindingIds"]
        token = page.get("NextToken")
        if not token:
            return ids


def criterion(**fields):
    return {"Criterion": {k.replace("__", "."): v for k, v in fields.items()}}


def unknown_keys(shape, value, path="finding"):
    """Keys of a wire-shape document that the botocore shape does not define."""
    problems = []
    if shape.type_name == "structure":
        names = {m.serialization.get("name", n): m for n, m in shape.members.items()}
        for key, item in value.items():
            if key not in names:
                problems.append(f"{path}.{key}")
            else:
                problems += unknown_keys(names[key], item, f"{path}.{key}")
    elif shape.type_name == "list":
        for i, item in enumerate(value):
            problems += unknown_keys(shape.member, item, f"{path}[{i}]")
    return problems


# --------------------------------------------------------------------- sample findings


def test_default_set_is_every_catalogued_type(gd, samples):
    ids = list_all(gd, samples)
    assert sorted(types_of(gd, samples, ids)) == sorted(CATALOGUE["types"])


def test_sample_findings_have_the_wire_shape(samples):
    backend = guardduty_backends["123456789012"]["us-east-1"]
    backend_findings = guardduty.state_of(backend).detector_findings(samples)
    shape = get_service_model("guardduty").shape_for("Finding")
    for finding in backend_findings.values():
        assert unknown_keys(shape, finding) == [], finding["type"]
        assert finding["arn"].endswith(f"detector/{samples}/finding/{finding['id']}")
        assert finding["schemaVersion"] == "2.0" and finding["partition"] == "aws"
        assert json.loads(finding["service"]["additionalInfo"]["value"]) == {"sample": True}


def test_requested_types_only(gd, detector):
    wanted = ["UnauthorizedAccess:EC2/SSHBruteForce", "Recon:IAMUser/MaliciousIPCaller"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=wanted)
    ids = gd.list_findings(DetectorId=detector)["FindingIds"]
    findings = gd.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]
    by_type = {f["Type"]: f for f in findings}
    assert set(by_type) == set(wanted)
    ssh = by_type["UnauthorizedAccess:EC2/SSHBruteForce"]
    assert ssh["Resource"]["ResourceType"] == "Instance"
    assert ssh["Resource"]["InstanceDetails"]["InstanceId"] == "i-99999999"
    assert ssh["Severity"] == 2.0
    assert ssh["Service"]["Action"]["ActionType"] == "NETWORK_CONNECTION"
    assert ssh["Service"]["Archived"] is False and ssh["Service"]["Count"] == 1
    assert ssh["Service"]["EventFirstSeen"] == ssh["Service"]["EventLastSeen"]
    assert {"Id", "Arn", "CreatedAt", "UpdatedAt", "Title", "Description", "AccountId", "Region"} <= set(ssh)
    recon = by_type["Recon:IAMUser/MaliciousIPCaller"]
    assert recon["Resource"]["ResourceType"] == "AccessKey"
    assert recon["Service"]["Action"]["AwsApiCallAction"]["Api"] == "DescribeInstances"


def test_creating_a_type_again_updates_its_sample(gd, detector):
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["Recon:EC2/Portscan"])
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["Recon:EC2/Portscan"])
    ids = gd.list_findings(DetectorId=detector)["FindingIds"]
    assert len(ids) == 1
    finding = gd.get_findings(DetectorId=detector, FindingIds=ids)["Findings"][0]
    assert finding["Service"]["Count"] == 2


def test_well_formed_unknown_type_is_accepted(gd, detector):
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["Exfiltration:S3/ObjectRead.Unusual"])
    finding = gd.get_findings(DetectorId=detector, FindingIds=gd.list_findings(DetectorId=detector)["FindingIds"])["Findings"][0]
    assert finding["Resource"]["ResourceType"] == "S3Bucket"
    assert finding["Severity"] == CATALOGUE["default_severity"]["Exfiltration"]


def test_malformed_type_is_rejected(gd, detector):
    with pytest.raises(ClientError) as excinfo:
        gd.create_sample_findings(DetectorId=detector, FindingTypes=["not a finding type"])
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert gd.list_findings(DetectorId=detector)["FindingIds"] == []


# --------------------------------------------------------------------- ListFindings


def test_eq_on_type(gd, samples):
    ids = gd.list_findings(
        DetectorId=samples, FindingCriteria=criterion(type={"Eq": ["UnauthorizedAccess:EC2/SSHBruteForce"]})
    )["FindingIds"]
    assert types_of(gd, samples, ids) == ["UnauthorizedAccess:EC2/SSHBruteForce"]


def test_gte_on_severity(gd, samples):
    ids = list_all(gd, samples, FindingCriteria=criterion(severity={"Gte": 7}))
    expected = sorted(t for t, spec in CATALOGUE["types"].items() if spec["severity"] >= 7)
    assert sorted(types_of(gd, samples, ids)) == expected
    assert 0 < len(expected) < len(CATALOGUE["types"])


def test_legacy_conditions_match_the_new_ones(gd, samples):
    new = list_all(gd, samples, FindingCriteria=criterion(severity={"Gt": 2, "Lt": 8}))
    legacy = list_all(gd, samples, FindingCriteria=criterion(severity={"GreaterThan": 2, "LessThan": 8}))
    assert sorted(new) == sorted(legacy) and new
    assert set(types_of(gd, samples, new)) == {t for t, s in CATALOGUE["types"].items() if 2 < s["severity"] < 8}


def test_fields_and_conditions_are_anded(gd, samples):
    ids = list_all(
        gd,
        samples,
        FindingCriteria=criterion(
            resource__resourceType={"Eq": ["Instance"]},
            severity={"Lte": 5},
            type={"Neq": ["Recon:EC2/Portscan"]},
        ),
    )
    expected = {
        t for t, s in CATALOGUE["types"].items()
        if t.split(":")[1].startswith("EC2/") and s["severity"] <= 5 and t != "Recon:EC2/Portscan"
    }
    assert set(types_of(gd, samples, ids)) == expected


@pytest.mark.parametrize(
    "field, condition, expect_all",
    [
        ("resource.instanceDetails.instanceId", {"Eq": ["i-99999999"]}, "Instance"),
        ("resource.resourceType", {"Equals": ["AccessKey"]}, "AccessKey"),
        ("accountId", {"Eq": ["123456789012"]}, "*"),
        ("region", {"Eq": ["us-east-1"]}, "*"),
        ("region", {"Neq": ["us-east-1"]}, None),
        ("updatedAt", {"Gt": 0}, "*"),
        ("updatedAt", {"Gt": int(time.time() * 1000) + 86_400_000}, None),
        ("service.archived", {"Eq": ["false"]}, "*"),
        ("service.archived", {"Eq": ["true"]}, None),
        (
            "resource.instanceDetails.networkInterfaces.privateIpAddresses.privateIpAddress",
            {"Eq": ["10.0.0.1"]},
            "Instance",
        ),
    ],
)
def test_documented_fields(gd, samples, field, condition, expect_all):
    ids = list_all(gd, samples, FindingCriteria={"Criterion": {field: condition}})
    if expect_all is None:
        assert ids == []
        return
    findings = []
    for start in range(0, len(ids), 50):
        findings += gd.get_findings(DetectorId=samples, FindingIds=ids[start : start + 50])["Findings"]
    resource_types = {f["Resource"]["ResourceType"] for f in findings}
    if expect_all == "*":
        assert len(ids) == len(CATALOGUE["types"])
    else:
        assert resource_types == {expect_all}


def test_id_criterion(gd, samples):
    some = gd.list_findings(DetectorId=samples, MaxResults=3)["FindingIds"]
    ids = gd.list_findings(DetectorId=samples, FindingCriteria=criterion(id={"Eq": some[:2]}))["FindingIds"]
    assert sorted(ids) == sorted(some[:2])


def test_archive_and_unarchive(gd, samples):
    ids = gd.list_findings(DetectorId=samples, MaxResults=2)["FindingIds"]
    gd.archive_findings(DetectorId=samples, FindingIds=ids)
    archived = gd.list_findings(DetectorId=samples, FindingCriteria=criterion(service__archived={"Eq": ["true"]}))
    assert sorted(archived["FindingIds"]) == sorted(ids)
    gd.unarchive_findings(DetectorId=samples, FindingIds=ids[:1])
    archived = gd.list_findings(DetectorId=samples, FindingCriteria=criterion(service__archived={"Eq": ["true"]}))
    assert archived["FindingIds"] == ids[1:]


def test_sort_by_severity_desc(gd, samples):
    ids = list_all(gd, samples, SortCriteria={"AttributeName": "severity", "OrderBy": "DESC"})
    severities = [CATALOGUE["types"][t]["severity"] for t in types_of(gd, samples, ids)]
    assert severities == sorted(severities, reverse=True) and severities[0] > severities[-1]


def test_sort_by_type_asc(gd, samples):
    ids = list_all(gd, samples, SortCriteria={"AttributeName": "type", "OrderBy": "ASC"})
    types = types_of(gd, samples, ids)
    assert types == sorted(types)


def test_paging(gd, samples):
    first = gd.list_findings(DetectorId=samples, MaxResults=5)
    assert len(first["FindingIds"]) == 5 and first["NextToken"]
    ids = list_all(gd, samples, MaxResults=7)
    assert len(ids) == len(set(ids)) == len(CATALOGUE["types"])
    assert ids[:5] == first["FindingIds"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"MaxResults": 51},
        {"NextToken": "garbage"},
        {"FindingCriteria": criterion(severity__level={"Eq": ["8"]})},
        {"FindingCriteria": criterion(type={"Matches": ["Recon*"]})},
        {"SortCriteria": {"AttributeName": "nosuchfield", "OrderBy": "ASC"}},
    ],
)
def test_invalid_list_input(gd, samples, kwargs, client):
    with pytest.raises(ClientError) as excinfo:
        client("guardduty", config=UNVALIDATED).list_findings(DetectorId=samples, **kwargs)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    "call",
    [
        lambda gd: gd.list_findings(DetectorId=HANDBOOK_DETECTOR),
        lambda gd: gd.get_findings(DetectorId=HANDBOOK_DETECTOR, FindingIds=["1ab92989eaf0e742df4a014d5example"]),
        lambda gd: gd.create_sample_findings(DetectorId=HANDBOOK_DETECTOR),
        lambda gd: gd.create_ip_set(
            DetectorId=HANDBOOK_DETECTOR, Name="x", Format="TXT", Location="s3://b/k", Activate=True
        ),
        lambda gd: gd.list_threat_intel_sets(DetectorId=HANDBOOK_DETECTOR),
    ],
)
def test_unknown_detector(gd, call):
    with pytest.raises(ClientError) as excinfo:
        call(gd)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert "detectorId" in excinfo.value.response["Error"]["Message"]


def test_put_detector_files_a_detector_under_a_chosen_id(gd):
    assert guardduty.put_detector(HANDBOOK_DETECTOR) == HANDBOOK_DETECTOR
    assert gd.list_detectors()["DetectorIds"] == [HANDBOOK_DETECTOR]
    assert gd.get_detector(DetectorId=HANDBOOK_DETECTOR)["Status"] == "ENABLED"
    gd.create_sample_findings(DetectorId=HANDBOOK_DETECTOR, FindingTypes=["Recon:EC2/Portscan"])
    (finding_id,) = gd.list_findings(DetectorId=HANDBOOK_DETECTOR)["FindingIds"]
    finding = gd.get_findings(DetectorId=HANDBOOK_DETECTOR, FindingIds=[finding_id])["Findings"][0]
    assert finding["Service"]["DetectorId"] == HANDBOOK_DETECTOR
    assert guardduty.put_detector(HANDBOOK_DETECTOR) == HANDBOOK_DETECTOR  # already there
    assert len(gd.list_detectors()["DetectorIds"]) == 1


# --------------------------------------------------------------------- GetFindings


def test_get_findings_leaves_out_unknown_ids(gd, samples):
    ids = gd.list_findings(DetectorId=samples, MaxResults=2)["FindingIds"]
    found = gd.get_findings(DetectorId=samples, FindingIds=[ids[1], "0" * 32, ids[0]])["Findings"]
    assert [f["Id"] for f in found] == [ids[1], ids[0]]


def test_get_findings_sorted(gd, samples):
    ids = gd.list_findings(DetectorId=samples, MaxResults=10)["FindingIds"]
    found = gd.get_findings(
        DetectorId=samples, FindingIds=ids, SortCriteria={"AttributeName": "severity", "OrderBy": "ASC"}
    )["Findings"]
    assert [f["Severity"] for f in found] == sorted(f["Severity"] for f in found)


def test_get_findings_at_most_50(client, samples):
    with pytest.raises(ClientError) as excinfo:
        client("guardduty", config=UNVALIDATED).get_findings(DetectorId=samples, FindingIds=["a" * 32] * 51)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"


# --------------------------------------------------------------------- IP sets, threat intel sets


def test_ip_set_lifecycle(gd, detector):
    created = gd.create_ip_set(
        DetectorId=detector, Name="new-ip-set", Format="TXT",
        Location="s3://AWSDOC-EXAMPLE-BUCKET/customtrustlist.csv", Activate=True, Tags={"team": "ir"},
    )
    got = gd.get_ip_set(DetectorId=detector, IpSetId=created["IpSetId"])
    assert (got["Name"], got["Format"], got["Status"], got["Tags"]) == ("new-ip-set", "TXT", "ACTIVE", {"team": "ir"})
    assert got["Location"] == "s3://AWSDOC-EXAMPLE-BUCKET/customtrustlist.csv"
    assert gd.list_ip_sets(DetectorId=detector)["IpSetIds"] == [created["IpSetId"]]


def test_ip_set_quota_and_idempotency(gd, detector):
    params = dict(DetectorId=detector, Name="trusted", Format="STIX", Location="s3://b/trusted.xml", Activate=False)
    first = gd.create_ip_set(ClientToken="token-1", **params)["IpSetId"]
    assert gd.create_ip_set(ClientToken="token-1", **params)["IpSetId"] == first
    assert gd.get_ip_set(DetectorId=detector, IpSetId=first)["Status"] == "INACTIVE"
    with pytest.raises(ClientError) as excinfo:
        gd.create_ip_set(DetectorId=detector, Name="second", Format="TXT", Location="s3://b/2.txt", Activate=True)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"


@pytest.mark.parametrize(
    "change",
    [{"Format": "CSV"}, {"Name": "bad/name"}, {"Location": "ftp://example.com/list.txt"}],
)
def test_ip_set_invalid_input(gd, detector, change):
    params = dict(DetectorId=detector, Name="trusted", Format="TXT", Location="s3://b/k.txt", Activate=True)
    params.update(change)
    with pytest.raises(ClientError) as excinfo:
        gd.create_ip_set(**params)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"


def test_unknown_ip_set(gd, detector):
    with pytest.raises(ClientError) as excinfo:
        gd.get_ip_set(DetectorId=detector, IpSetId="0" * 32)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"


def test_threat_intel_sets(gd, detector):
    ids = [
        gd.create_threat_intel_set(
            DetectorId=detector, Name=f"threats-{i}", Format="TXT", Location=f"s3://EXAMPLEBUCKET/threatlist-{i}.csv",
            Activate=True,
        )["ThreatIntelSetId"]
        for i in range(6)
    ]
    with pytest.raises(ClientError):
        gd.create_threat_intel_set(
            DetectorId=detector, Name="seventh", Format="TXT", Location="s3://b/7.csv", Activate=True
        )
    page = gd.list_threat_intel_sets(DetectorId=detector, MaxResults=4)
    rest = gd.list_threat_intel_sets(DetectorId=detector, MaxResults=4, NextToken=page["NextToken"])
    assert page["ThreatIntelSetIds"] + rest["ThreatIntelSetIds"] == ids
    got = gd.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=ids[0])
    assert (got["Name"], got["Status"]) == ("threats-0", "ACTIVE")
    with pytest.raises(ClientError):
        gd.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId="f" * 32)


# --------------------------------------------------------------------- the aws command


def test_cli_list_findings_sorted_by_severity(cli, gd, samples):
    out = cli(
        "guardduty", "list-findings", "--detector-id", samples,
        "--sort-criteria", '{"AttributeName": "severity","OrderBy":"DESC"}',
    ).json()
    assert len(out["FindingIds"]) == len(CATALOGUE["types"])
    severities = [CATALOGUE["types"][t]["severity"] for t in types_of(gd, samples, out["FindingIds"])]
    assert severities == sorted(severities, reverse=True)


def test_cli_list_findings_by_type_and_get(cli, samples):
    out = cli(
        "guardduty", "list-findings", "--detector-id", samples,
        "--finding-criteria", '{"Criterion":{"type": {"Eq":["UnauthorizedAccess:EC2/SSHBruteForce"]}}}',
    ).json()
    (finding_id,) = out["FindingIds"]
    got = cli("guardduty", "get-findings", "--detector-id", samples, "--finding-id", finding_id).json()
    assert got["Findings"][0]["Type"] == "UnauthorizedAccess:EC2/SSHBruteForce"


def test_cli_create_sets(cli, detector):
    ip = cli(
        "guardduty", "create-ip-set", "--detector-id", detector, "--name", "new-ip-set", "--format", "TXT",
        "--location", "s3://AWSDOC-EXAMPLE-BUCKET/customtrustlist.csv", "--activate",
    ).json()
    threat = cli(
        "guardduty", "create-threat-intel-set", "--detector-id", detector, "--name", "myThreatSet", "--format", "TXT",
        "--location", "s3://EXAMPLEBUCKET/threatlist.csv", "--activate",
    ).json()
    assert len(ip["IpSetId"]) == 32 and len(threat["ThreatIntelSetId"]) == 32
    missing = cli("guardduty", "list-findings", "--detector-id", HANDBOOK_DETECTOR)
    assert missing.rc != 0 and "BadRequestException" in missing.err
