"""A trail's KMS key and organization trails are checked as CloudTrail checks them."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def trail(client):
    client("s3").create_bucket(Bucket="acme-audit-logs")
    return client("cloudtrail")


def error_of(call, **args):
    with pytest.raises(ClientError) as raised:
        call(**args)
    return raised.value.response["Error"]["Code"]


@pytest.mark.parametrize("given", ["alias/acme-trail-logs", "arn:aws:kms:us-east-1:123456789012:alias/acme-trail-logs",
                                   "KEY", "ARN"])
def test_a_key_however_named_is_reported_by_its_arn(client, trail, given):
    kms = client("kms")
    key = kms.create_key(Description="trail logs")["KeyMetadata"]
    kms.create_alias(AliasName="alias/acme-trail-logs", TargetKeyId=key["KeyId"])
    given = {"KEY": key["KeyId"], "ARN": key["Arn"]}.get(given, given)
    trail.create_trail(Name="org-audit", S3BucketName="acme-audit-logs")
    trail.update_trail(Name="org-audit", KmsKeyId=given)
    assert trail.get_trail(Name="org-audit")["Trail"]["KmsKeyId"] == key["Arn"]


def test_a_key_that_does_not_exist_is_refused(trail):
    assert error_of(trail.create_trail, Name="org-audit", S3BucketName="acme-audit-logs",
                    KmsKeyId="alias/acme-trail-log") == "KmsKeyNotFoundException"
    trail.create_trail(Name="org-audit", S3BucketName="acme-audit-logs")
    assert error_of(trail.update_trail, Name="org-audit", KmsKeyId="acme-trail-logs") == "KmsKeyNotFoundException"
    assert "KmsKeyId" not in trail.get_trail(Name="org-audit")["Trail"]


def test_an_organization_trail_needs_the_management_account_and_trusted_access(client, trail):
    organizations = client("organizations")
    create = dict(Name="org-trail", S3BucketName="acme-audit-logs", IsOrganizationTrail=True)
    assert error_of(trail.create_trail, **create) == "OrganizationsNotInUseException"
    organizations.create_organization(FeatureSet="CONSOLIDATED_BILLING")
    assert error_of(trail.create_trail, **create) == "OrganizationNotInAllFeaturesModeException"


def test_an_organization_trail_from_the_management_account(client, trail):
    organizations = client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    create = dict(Name="org-trail", S3BucketName="acme-audit-logs", IsOrganizationTrail=True)
    assert error_of(trail.create_trail, **create) == "CloudTrailAccessNotEnabledException"
    trail.create_trail(Name="plain", S3BucketName="acme-audit-logs")
    assert error_of(trail.update_trail, Name="plain", IsOrganizationTrail=True) == "CloudTrailAccessNotEnabledException"
    organizations.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    assert trail.create_trail(**create)["IsOrganizationTrail"] is True
    assert trail.update_trail(Name="plain", IsOrganizationTrail=True)["IsOrganizationTrail"] is True


def test_a_member_account_may_not_create_one(client, session, trail):
    organizations = client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    organizations.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    member = organizations.create_account(AccountName="web", Email="web@example.com")["CreateAccountStatus"]
    credentials = client("sts").assume_role(RoleArn=f"arn:aws:iam::{member['AccountId']}:role/OrganizationAccountAccessRole",
                                            RoleSessionName="ir")["Credentials"]
    as_member = session.client("cloudtrail", region_name="us-east-1", aws_access_key_id=credentials["AccessKeyId"],
                               aws_secret_access_key=credentials["SecretAccessKey"],
                               aws_session_token=credentials["SessionToken"])
    client_s3 = session.client("s3", region_name="us-east-1", aws_access_key_id=credentials["AccessKeyId"],
                               aws_secret_access_key=credentials["SecretAccessKey"],
                               aws_session_token=credentials["SessionToken"])
    client_s3.create_bucket(Bucket="web-trail-logs")
    assert error_of(as_member.create_trail, Name="org-trail", S3BucketName="web-trail-logs",
                    IsOrganizationTrail=True) == "NotOrganizationMasterAccountException"
