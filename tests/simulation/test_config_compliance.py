"""AWS Config managed rules evaluated against the account, and the compliance reads."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import json

import pytest
from botocore.exceptions import ClientError


def _rule(name, identifier, **extra):
    return {"ConfigRuleName": name, "Source": {"Owner": "AWS", "SourceIdentifier": identifier}, **extra}


@pytest.fixture
def account(client):
    s3 = client("s3")
    for bucket in ("acme-plain", "acme-versioned", "acme-public"):
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket="acme-versioned", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_policy(Bucket="acme-public", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-public/*"}]}))
    return client("config")


def _details(config, rule, *types):
    results = config.get_compliance_details_by_config_rule(ConfigRuleName=rule, ComplianceTypes=list(types))
    return sorted(r["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"]
                  for r in results["EvaluationResults"])


def test_a_new_managed_rule_is_evaluated_at_once(account):
    account.put_config_rule(ConfigRule=_rule("versioning", "S3_BUCKET_VERSIONING_ENABLED"))
    assert _details(account, "versioning", "NON_COMPLIANT") == ["acme-plain", "acme-public"]
    assert _details(account, "versioning", "COMPLIANT") == ["acme-versioned"]
    (rule,) = account.describe_compliance_by_config_rule(ConfigRuleNames=["versioning"])["ComplianceByConfigRules"]
    assert rule["Compliance"] == {"ComplianceType": "NON_COMPLIANT",
                                  "ComplianceContributorCount": {"CappedCount": 2, "CapExceeded": False}}


def test_a_public_bucket_policy_and_block_public_access(account, client):
    account.put_config_rule(ConfigRule=_rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED"))
    assert _details(account, "public-read", "NON_COMPLIANT") == ["acme-public"]
    client("s3").put_public_access_block(Bucket="acme-public", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    assert _details(account, "public-read", "NON_COMPLIANT") == []  # re-evaluated on the change


def test_scope_limits_what_a_rule_evaluates(account):
    account.put_config_rule(ConfigRule=_rule("instances-only", "S3_BUCKET_VERSIONING_ENABLED",
                                             Scope={"ComplianceResourceTypes": ["AWS::EC2::Instance"]}))
    account.put_config_rule(ConfigRule=_rule("one-bucket", "S3_BUCKET_VERSIONING_ENABLED",
                                             Scope={"ComplianceResourceTypes": ["AWS::S3::Bucket"],
                                                    "ComplianceResourceId": "acme-plain"}))
    assert _details(account, "instances-only") == []
    assert _details(account, "one-bucket") == ["acme-plain"]
    kinds = {r["ConfigRuleName"]: r["Compliance"]["ComplianceType"]
             for r in account.describe_compliance_by_config_rule()["ComplianceByConfigRules"]}
    assert kinds == {"instances-only": "INSUFFICIENT_DATA", "one-bucket": "NON_COMPLIANT"}


def test_account_rules_and_trails(account, client):
    account.put_config_rule(ConfigRule=_rule("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED"))
    account.put_config_rule(ConfigRule=_rule("guardduty-enabled", "GUARDDUTY_ENABLED_CENTRALIZED"))
    assert _details(account, "cloudtrail-enabled", "NON_COMPLIANT") == ["123456789012"]
    client("cloudtrail").create_trail(Name="org-audit", S3BucketName="acme-plain")
    client("cloudtrail").start_logging(Name="org-audit")
    client("guardduty").create_detector(Enable=True)
    assert _details(account, "cloudtrail-enabled", "COMPLIANT") == ["123456789012"]
    assert _details(account, "guardduty-enabled", "COMPLIANT") == ["123456789012"]


def test_by_resource_and_summary(account):
    account.put_config_rule(ConfigRule=_rule("versioning", "S3_BUCKET_VERSIONING_ENABLED"))
    account.put_config_rule(ConfigRule=_rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED"))
    public = account.describe_compliance_by_resource(ResourceType="AWS::S3::Bucket", ResourceId="acme-public")
    assert public["ComplianceByResources"][0]["Compliance"]["ComplianceContributorCount"]["CappedCount"] == 2
    details = account.get_compliance_details_by_resource(ResourceType="AWS::S3::Bucket", ResourceId="acme-versioned")
    assert sorted(r["ComplianceType"] for r in details["EvaluationResults"]) == ["COMPLIANT", "COMPLIANT"]
    summary = account.get_compliance_summary_by_config_rule()["ComplianceSummary"]
    assert summary["NonCompliantResourceCount"]["CappedCount"] == 2


def test_a_result_keeps_its_time_until_compliance_changes(account, client):
    account.put_config_rule(ConfigRule=_rule("versioning", "S3_BUCKET_VERSIONING_ENABLED"))
    first = account.get_compliance_details_by_config_rule(ConfigRuleName="versioning")["EvaluationResults"]
    again = account.get_compliance_details_by_config_rule(ConfigRuleName="versioning")["EvaluationResults"]
    assert [r["ResultRecordedTime"] for r in first] == [r["ResultRecordedTime"] for r in again]


def test_errors_and_a_deleted_rule(account):
    with pytest.raises(ClientError) as unknown:
        account.get_compliance_details_by_config_rule(ConfigRuleName="nothing")
    assert unknown.value.response["Error"]["Code"] == "NoSuchConfigRuleException"
    account.put_config_rule(ConfigRule=_rule("versioning", "S3_BUCKET_VERSIONING_ENABLED"))
    with pytest.raises(ClientError) as bad:
        account.get_compliance_details_by_config_rule(ConfigRuleName="versioning", ComplianceTypes=["BROKEN"])
    assert bad.value.response["Error"]["Code"] == "InvalidParameterValueException"
    account.delete_config_rule(ConfigRuleName="versioning")
    assert account.describe_compliance_by_resource()["ComplianceByResources"] == []


def test_a_managed_rule_the_simulation_does_not_evaluate_has_insufficient_data(account):
    account.put_config_rule(ConfigRule=_rule("password-policy", "IAM_PASSWORD_POLICY"))
    (rule,) = account.describe_compliance_by_config_rule()["ComplianceByConfigRules"]
    assert rule["Compliance"]["ComplianceType"] == "INSUFFICIENT_DATA"


def test_cli_compliance_details(cli, account):
    account.put_config_rule(ConfigRule=_rule("versioning", "S3_BUCKET_VERSIONING_ENABLED"))
    out = cli("configservice", "get-compliance-details-by-config-rule", "--config-rule-name", "versioning",
              "--compliance-types", "NON_COMPLIANT").json()
    assert {r["Annotation"] for r in out["EvaluationResults"]} == {"Versioning is not enabled for this bucket."}
