"""AWS Config conformance packs deployed from a template."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.exceptions import ClientError

TEMPLATE = """
Parameters:
  Identifier:
    Default: S3_BUCKET_VERSIONING_ENABLED
Resources:
  Versioning:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: s3-bucket-versioning-enabled
      Source:
        Owner: AWS
        SourceIdentifier: !Ref Identifier
  Topic:
    Type: AWS::SNS::Topic
"""


@pytest.fixture
def config(client):
    client("s3").create_bucket(Bucket="acme-config-packs")
    client("s3").create_bucket(Bucket="acme-plain")
    client("s3").put_object(Bucket="acme-config-packs", Key="pack.yaml", Body=TEMPLATE.encode())
    return client("config")


def test_a_pack_from_s3_deploys_its_rules(config):
    arn = config.put_conformance_pack(ConformancePackName="s3-baseline",
                                      TemplateS3Uri="s3://acme-config-packs/pack.yaml")["ConformancePackArn"]
    (status,) = config.describe_conformance_pack_status()["ConformancePackStatusDetails"]
    assert status["ConformancePackArn"] == arn and status["ConformancePackState"] == "CREATE_COMPLETE"
    (rule,) = config.describe_conformance_pack_compliance(ConformancePackName="s3-baseline")[
        "ConformancePackRuleComplianceList"]
    assert rule["ConfigRuleName"].startswith("s3-bucket-versioning-enabled-conformance-pack-")
    assert rule["ComplianceType"] == "NON_COMPLIANT"
    (summary,) = config.get_conformance_pack_compliance_summary(ConformancePackNames=["s3-baseline"])[
        "ConformancePackComplianceSummaryList"]
    assert summary["ConformancePackComplianceStatus"] == "NON_COMPLIANT"
    config.delete_conformance_pack(ConformancePackName="s3-baseline")
    assert config.describe_config_rules()["ConfigRules"] == []


def test_template_body_and_input_parameters(config):
    config.put_conformance_pack(ConformancePackName="logging", TemplateBody=TEMPLATE,
                                ConformancePackInputParameters=[{"ParameterName": "Identifier",
                                                                 "ParameterValue": "S3_BUCKET_LOGGING_ENABLED"}])
    (rule,) = config.describe_config_rules()["ConfigRules"]
    assert rule["Source"]["SourceIdentifier"] == "S3_BUCKET_LOGGING_ENABLED"


@pytest.mark.parametrize("kwargs, code", [
    ({"TemplateS3Uri": "s3://acme-config-packs/missing.yaml"}, "ConformancePackTemplateValidationException"),
    ({"TemplateBody": "Resources: {}"}, "ConformancePackTemplateValidationException"),
    ({"TemplateBody": "Resources: [unclosed"}, "ConformancePackTemplateValidationException"),
    ({"TemplateBody": TEMPLATE, "ConformancePackName": "9-starts-with-a-digit"}, "InvalidParameterValueException"),
])
def test_bad_packs_are_refused_and_leave_nothing(config, kwargs, code):
    with pytest.raises(ClientError) as refused:
        config.put_conformance_pack(**{"ConformancePackName": "bad", **kwargs})
    assert refused.value.response["Error"]["Code"] == code
    assert config.describe_conformance_packs()["ConformancePackDetails"] == []
    assert config.describe_config_rules()["ConfigRules"] == []


def test_unknown_pack(config):
    with pytest.raises(ClientError) as unknown:
        config.describe_conformance_pack_compliance(ConformancePackName="nothing")
    assert unknown.value.response["Error"]["Code"] == "NoSuchConformancePackException"
