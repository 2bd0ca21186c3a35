"""Security Hub security standards and product integrations."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.exceptions import ClientError

FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_12 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
CIS_14 = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
FALCON = "arn:aws:securityhub:us-east-1::product/crowdstrike/crowdstrike-falcon"


@pytest.fixture
def hub(client):
    return client("securityhub")


def _enabled(hub):
    return sorted(s["StandardsArn"] for s in hub.get_enabled_standards()["StandardsSubscriptions"])


def test_enable_security_hub_subscribes_the_default_standards_unless_told_not_to(hub, client):
    hub.enable_security_hub()
    assert _enabled(hub) == sorted([FSBP, CIS_12])
    west = client("securityhub", region="us-west-2")
    west.enable_security_hub(EnableDefaultStandards=False)
    assert west.get_enabled_standards()["StandardsSubscriptions"] == []


def test_enable_and_disable_standards(hub):
    hub.enable_security_hub(EnableDefaultStandards=False)
    assert FSBP in [s["StandardsArn"] for s in hub.describe_standards()["Standards"]]
    (done,) = hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": CIS_14}])[
        "StandardsSubscriptions"]
    assert done["StandardsSubscriptionArn"] == \
        "arn:aws:securityhub:us-east-1:123456789012:subscription/cis-aws-foundations-benchmark/v/1.4.0"
    assert done["StandardsStatus"] == "READY" and _enabled(hub) == [CIS_14]
    (gone,) = hub.batch_disable_standards(StandardsSubscriptionArns=[done["StandardsSubscriptionArn"]])[
        "StandardsSubscriptions"]
    assert gone["StandardsStatus"] == "DELETING" and _enabled(hub) == []


def test_an_unknown_standard_enables_nothing(hub):
    hub.enable_security_hub(EnableDefaultStandards=False)
    with pytest.raises(ClientError) as refused:
        hub.batch_enable_standards(StandardsSubscriptionRequests=[
            {"StandardsArn": CIS_14}, {"StandardsArn": "arn:aws:securityhub:us-east-1::standards/made-up/v/1.0.0"}])
    assert refused.value.response["Error"]["Code"] == "InvalidInputException"
    assert _enabled(hub) == []


def test_security_hub_must_be_enabled(hub):
    for call in (hub.get_enabled_standards, hub.describe_products, hub.list_enabled_products_for_import):
        with pytest.raises(ClientError) as refused:
            call()
        assert refused.value.response["Error"]["Code"] == "InvalidAccessException"


def test_product_integrations(hub):
    hub.enable_security_hub(EnableDefaultStandards=False)
    assert FALCON in [p["ProductArn"] for p in hub.describe_products()["Products"]]
    before = hub.list_enabled_products_for_import()["ProductSubscriptions"]
    assert "arn:aws:securityhub:us-east-1:123456789012:product-subscription/aws/guardduty" in before
    arn = hub.enable_import_findings_for_product(ProductArn=FALCON)["ProductSubscriptionArn"]
    assert arn == "arn:aws:securityhub:us-east-1:123456789012:product-subscription/crowdstrike/crowdstrike-falcon"
    with pytest.raises(ClientError) as twice:
        hub.enable_import_findings_for_product(ProductArn=FALCON)
    assert twice.value.response["Error"]["Code"] == "ResourceConflictException"
    with pytest.raises(ClientError) as unknown:
        hub.enable_import_findings_for_product(ProductArn="arn:aws:securityhub:us-east-1::product/nobody/nothing")
    assert unknown.value.response["Error"]["Code"] == "InvalidInputException"
    hub.disable_import_findings_for_product(ProductSubscriptionArn=arn)
    assert hub.list_enabled_products_for_import()["ProductSubscriptions"] == before


def test_cli_batch_enable_standards(cli, hub):
    hub.enable_security_hub(EnableDefaultStandards=False)
    out = cli("securityhub", "batch-enable-standards", "--standards-subscription-requests",
              f"StandardsArn={FSBP}").json()
    assert out["StandardsSubscriptions"][0]["StandardsArn"] == FSBP
