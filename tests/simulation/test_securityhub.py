"""Security Hub custom actions and GetFindings filters."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

from datetime import datetime, timedelta, timezone

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from handbook.simulation import securityhub
from moto.core.utils import get_service_model

from .conftest import fixture

UNVALIDATED = Config(parameter_validation=False)
ELEVEN_STRING_FIELDS = [
    "Title", "Id", "GeneratorId", "Region", "ProductName", "CompanyName",
    "Description", "SourceUrl", "RecordState", "WorkflowStatus", "AwsAccountId",
]
ARN = "arn:aws:securityhub:us-east-1:123456789012:action/custom/Remediation"


@pytest.fixture
def sh(client):
    hub = client("securityhub")
    hub.enable_security_hub(EnableDefaultStandards=True, Tags={"Department": "Security"})
    return hub


@pytest.fixture
def findings(sh):
    assert sh.batch_import_findings(Findings=fixture("securityhub_findings.json"))["FailedCount"] == 0
    return sh


def ids(sh, **kwargs):
    return [f["Id"].rsplit("/", 1)[-1] for f in sh.get_findings(**kwargs)["Findings"]]


def s(value, comparison):
    return {"Value": value, "Comparison": comparison}


# --------------------------------------------------------------------- custom actions


def test_create_and_describe_action_target(sh):
    arn = sh.create_action_target(
        Name="Send to remediation",
        Description="Action to send the finding for remediation tracking",
        Id="Remediation",
    )["ActionTargetArn"]
    assert arn == ARN
    (target,) = sh.describe_action_targets()["ActionTargets"]
    assert target == {
        "ActionTargetArn": ARN,
        "Name": "Send to remediation",
        "Description": "Action to send the finding for remediation tracking",
    }


def test_a_different_action_target(sh):
    arn = sh.create_action_target(Name="Isolate host", Description="Quarantine the instance", Id="Isolate01")[
        "ActionTargetArn"
    ]
    assert arn.endswith(":action/custom/Isolate01")
    assert sh.describe_action_targets(ActionTargetArns=[arn])["ActionTargets"][0]["Name"] == "Isolate host"


def test_update_and_delete_action_target(sh):
    sh.create_action_target(Name="Send to remediation", Description="d", Id="Remediation")
    sh.update_action_target(ActionTargetArn=ARN, Name="Remediate", Description="new")
    assert sh.describe_action_targets()["ActionTargets"][0]["Name"] == "Remediate"
    assert sh.delete_action_target(ActionTargetArn=ARN)["ActionTargetArn"] == ARN
    assert sh.describe_action_targets()["ActionTargets"] == []
    with pytest.raises(ClientError) as excinfo:
        sh.delete_action_target(ActionTargetArn=ARN)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "params, code",
    [
        ({"Name": "n", "Description": "d", "Id": "Has-Dash"}, "InvalidInputException"),
        ({"Name": "n", "Description": "d", "Id": "A" * 21}, "InvalidInputException"),
        ({"Name": "N" * 21, "Description": "d", "Id": "Ok"}, "InvalidInputException"),
    ],
)
def test_invalid_action_target(sh, params, code):
    with pytest.raises(ClientError) as excinfo:
        sh.create_action_target(**params)
    assert excinfo.value.response["Error"]["Code"] == code


def test_action_target_conflict_and_limit(sh):
    sh.create_action_target(Name="n", Description="d", Id="Remediation")
    with pytest.raises(ClientError) as excinfo:
        sh.create_action_target(Name="other", Description="d", Id="Remediation")
    assert excinfo.value.response["Error"]["Code"] == "ResourceConflictException"
    for i in range(securityhub.MAX_ACTION_TARGETS - 1):
        sh.create_action_target(Name=f"a{i}", Description="d", Id=f"Action{i}")
    with pytest.raises(ClientError) as excinfo:
        sh.create_action_target(Name="one too many", Description="d", Id="Extra")
    assert excinfo.value.response["Error"]["Code"] == "LimitExceededException"
    page = sh.describe_action_targets(MaxResults=30)
    rest = sh.describe_action_targets(MaxResults=30, NextToken=page["NextToken"])
    assert len(page["ActionTargets"]) + len(rest["ActionTargets"]) == securityhub.MAX_ACTION_TARGETS


def test_action_targets_need_security_hub(client):
    hub = client("securityhub")
    with pytest.raises(ClientError) as excinfo:
        hub.create_action_target(Name="n", Description="d", Id="Remediation")
    assert excinfo.value.response["Error"]["Code"] == "InvalidAccessException"


def test_describe_unknown_action_target(sh):
    with pytest.raises(ClientError) as excinfo:
        sh.describe_action_targets(ActionTargetArns=[ARN])
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


# --------------------------------------------------------------------- GetFindings filters


def test_no_filter_returns_everything(findings):
    assert ids(findings) == ["pci-1", "pci-2", "cis-1", "gd-1", "gd-2", "ia-1"]


def test_prefix_filter_of_the_handbook(findings):
    assert ids(findings, Filters={"GeneratorId": [s("pci-dss", "PREFIX")]}) == ["pci-1", "pci-2"]
    assert ids(findings, Filters={"GeneratorId": [s("pci-dss", "PREFIX")]}, MaxResults=1) == ["pci-1"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"SeverityLabel": [s("HIGH", "EQUALS")]}, ["pci-1", "gd-2"]),
        ({"SeverityLabel": [s("HIGH", "EQUALS"), s("CRITICAL", "EQUALS")]}, ["pci-1", "pci-2", "gd-2"]),
        ({"SeverityLabel": [s("LOW", "NOT_EQUALS"), s("MEDIUM", "NOT_EQUALS")]}, ["pci-1", "pci-2", "gd-2"]),
        ({"ProductArn": [s("arn:aws:securityhub:us-east-1::product/aws/guardduty", "EQUALS")]}, ["gd-1", "gd-2"]),
        ({"Title": [s("CloudTrail", "CONTAINS"), s("IAM", "CONTAINS")]}, ["pci-2", "cis-1"]),
        ({"Title": [s("PCI", "NOT_CONTAINS")]}, ["cis-1", "gd-1", "gd-2", "ia-1"]),
        ({"ResourceType": [s("AwsEc2", "PREFIX"), s("AwsIam", "PREFIX"), s("AwsIamRole", "NOT_EQUALS")]}, ["gd-1", "gd-2"]),
        ({"ResourceType": [s("AwsS3", "PREFIX_NOT_EQUALS"), s("AwsEc2", "PREFIX_NOT_EQUALS")]}, ["pci-2", "cis-1", "ia-1"]),
        ({"ResourceRegion": [s("us-west", "PREFIX")]}, ["gd-2"]),
        ({"ComplianceStatus": [s("FAILED", "EQUALS")]}, ["pci-1", "pci-2"]),
        ({"WorkflowStatus": [s("NOTIFIED", "EQUALS")]}, ["gd-2"]),
        ({"RecordState": [s("ACTIVE", "EQUALS")]}, ["pci-1", "pci-2", "cis-1", "gd-1", "gd-2"]),
        ({"Type": [s("TTPs", "PREFIX")]}, ["gd-1", "gd-2"]),
        ({"ResourceAwsEc2InstanceType": [s("t2.micro", "EQUALS")]}, ["gd-2"]),
        ({"NetworkSourceIpV4": [{"Cidr": "198.51.100.0/24"}]}, ["gd-1"]),
        ({"ResourceAwsEc2InstanceIpV4Addresses": [{"Cidr": "172.31.0.0/16"}]}, ["gd-2"]),
        ({"NetworkDestinationPort": [{"Eq": 22}]}, ["gd-1"]),
        ({"SeverityNormalized": [{"Gte": 40, "Lt": 90}]}, ["pci-1", "cis-1", "gd-2"]),
        ({"SeverityNormalized": [{"Lte": 1}, {"Gt": 85}]}, ["pci-2", "ia-1"]),
        ({"CreatedAt": [{"Start": "2021-03-02T10:00:00.000Z", "End": "2021-03-04T10:00:00.000Z"}]}, ["pci-2", "cis-1", "gd-1"]),
        ({"ResourceTags": [{"Key": "Env", "Value": "prod", "Comparison": "EQUALS"}]}, ["pci-1"]),
        ({"ResourceTags": [{"Key": "Env", "Value": "prod", "Comparison": "NOT_EQUALS"}]}, ["pci-2", "cis-1", "gd-1", "gd-2", "ia-1"]),
        ({"Sample": [{"Value": True}]}, ["gd-1"]),
        ({"Keyword": [{"Value": "brute force"}]}, ["gd-1"]),
        (
            {"SeverityLabel": [s("HIGH", "EQUALS")], "ProductArn": [s("guardduty", "CONTAINS")]},
            ["gd-2"],
        ),
    ],
)
def test_filters(findings, filters, expected):
    assert ids(findings, Filters=filters) == expected


def test_date_range_is_relative_to_now(findings):
    recent = datetime.now(timezone.utc) - timedelta(days=2)
    findings.batch_import_findings(
        Findings=[
            dict(
                fixture("securityhub_findings.json")[0],
                Id="arn:aws:securityhub:us-east-1:123456789012:finding/new-1",
                CreatedAt=recent.isoformat(),
                UpdatedAt=recent.isoformat(),
            )
        ]
    )
    assert ids(findings, Filters={"CreatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS"}}]}) == ["new-1"]
    older = ids(findings, Filters={"CreatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS", "Comparison": "OLDER_THAN"}}]})
    assert "new-1" not in older and len(older) == 6


@pytest.mark.parametrize(
    "filters",
    [
        {"Title": [s("a", "EQUALS"), s("b", "NOT_EQUALS")]},
        {"Title": [s("a", "CONTAINS"), s("b", "PREFIX")]},
        {"Title": [s("a", "NOT_CONTAINS"), s("b", "NOT_EQUALS")]},
        {"Title": [s("a", "CONTAINS_WORD")]},
        {"Title": [s(f"v{i}", "EQUALS") for i in range(21)]},
        {name: [s("x", "EQUALS")] for name in ELEVEN_STRING_FIELDS},
    ],
)
def test_invalid_filters(findings, filters):
    with pytest.raises(ClientError) as excinfo:
        findings.get_findings(Filters=filters)
    assert excinfo.value.response["Error"]["Code"] == "InvalidInputException"


def test_sort_criteria(findings):
    order = ids(findings, SortCriteria=[{"Field": "SeverityNormalized", "SortOrder": "desc"}])
    assert order == ["pci-2", "gd-2", "pci-1", "cis-1", "gd-1", "ia-1"]
    order = ids(findings, SortCriteria=[{"Field": "SeverityLabel", "SortOrder": "asc"}, {"Field": "CreatedAt", "SortOrder": "desc"}])
    assert order == ["pci-2", "gd-2", "pci-1", "ia-1", "gd-1", "cis-1"]  # labels sort as text


def test_paging_over_filtered_findings(findings):
    filters = {"RecordState": [s("ACTIVE", "EQUALS")]}
    first = findings.get_findings(Filters=filters, MaxResults=2)
    second = findings.get_findings(Filters=filters, MaxResults=2, NextToken=first["NextToken"])
    third = findings.get_findings(Filters=filters, MaxResults=2, NextToken=second["NextToken"])
    seen = [f["Id"].rsplit("/", 1)[-1] for page in (first, second, third) for f in page["Findings"]]
    assert seen == ["pci-1", "pci-2", "cis-1", "gd-1", "gd-2"]
    assert "NextToken" not in third
    with pytest.raises(ClientError) as excinfo:
        findings.get_findings(Filters={"Title": [s("x", "PREFIX")]}, MaxResults=2, NextToken=first["NextToken"])
    assert excinfo.value.response["Error"]["Code"] == "InvalidInputException"


def test_max_results_is_checked_by_moto(client, findings):
    with pytest.raises(ClientError) as excinfo:
        client("securityhub", config=UNVALIDATED).get_findings(MaxResults=101)
    assert excinfo.value.response["Error"]["Code"] == "InvalidInputException"


@pytest.mark.parametrize("name", list(get_service_model("securityhub").shape_for("AwsSecurityFindingFilters").members))
def test_every_filter_field_has_a_place_in_the_finding(name):
    if name == "Keyword":
        return  # matched against every string of the finding
    path = securityhub.field_path(name)
    assert path is not None, name
    shape = get_service_model("securityhub").shape_for("AwsSecurityFinding")
    for member in path:
        while shape.type_name == "list":
            shape = shape.member
        shape = shape.members[member]


# --------------------------------------------------------------------- the aws command


def test_cli_handbook_examples(cli, findings):
    created = cli(
        "securityhub", "create-action-target", "--name", "Send to remediation",
        "--description", "Action to send the finding for remediation tracking", "--id", "Remediation",
    ).json()
    assert created == {"ActionTargetArn": ARN}
    out = cli(
        "securityhub", "get-findings", "--filters", '{"GeneratorId":[{"Value": "pci-dss","Comparison":"PREFIX"}]}',
        "--max-items", "1",
    ).json()
    assert [f["GeneratorId"] for f in out["Findings"]] == ["pci-dss/v/3.2.1/PCI.S3.1"]
    assert out["NextToken"]  # --max-items: the CLI's own pagination token
