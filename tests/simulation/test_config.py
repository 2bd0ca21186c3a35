"""AWS Config StartConfigRulesEvaluation and DescribeConfigRuleEvaluationStatus."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import fixture

UNVALIDATED = Config(parameter_validation=False)


@pytest.fixture
def config(client):
    return client("config")


@pytest.fixture
def rule(config):
    config.put_config_rule(ConfigRule=fixture("config_required_tags_rule.json"))
    return "RequiredTagsForEC2Instances"


def test_unknown_rule(config):
    with pytest.raises(ClientError) as excinfo:
        config.start_config_rules_evaluation(ConfigRuleNames=["s3-bucket-versioning-enabled", "cloudtrail-enabled"])
    assert excinfo.value.response["Error"]["Code"] == "NoSuchConfigRuleException"
    assert "s3-bucket-versioning-enabled" in excinfo.value.response["Error"]["Message"]


def test_existing_rule_starts_and_shows_in_the_status(config, rule):
    (before,) = config.describe_config_rule_evaluation_status(ConfigRuleNames=[rule])["ConfigRulesEvaluationStatus"]
    assert before["FirstEvaluationStarted"] is False and "LastSuccessfulEvaluationTime" not in before
    response = config.start_config_rules_evaluation(ConfigRuleNames=[rule])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    (after,) = config.describe_config_rule_evaluation_status(ConfigRuleNames=[rule])["ConfigRulesEvaluationStatus"]
    assert after["FirstEvaluationStarted"] is True
    assert after["LastSuccessfulInvocationTime"] == after["LastSuccessfulEvaluationTime"]
    assert after["ConfigRuleArn"].startswith("arn:aws:config:us-east-1:123456789012:config-rule/")


def test_one_unknown_name_fails_the_whole_request(config, rule):
    with pytest.raises(ClientError) as excinfo:
        config.start_config_rules_evaluation(ConfigRuleNames=[rule, "cloudtrail-enabled"])
    assert excinfo.value.response["Error"]["Code"] == "NoSuchConfigRuleException"
    (status,) = config.describe_config_rule_evaluation_status()["ConfigRulesEvaluationStatus"]
    assert status["FirstEvaluationStarted"] is False


@pytest.mark.parametrize("names", [[], [f"rule-{i}" for i in range(26)]])
def test_invalid_name_lists(client, names):
    with pytest.raises(ClientError) as excinfo:
        client("config", config=UNVALIDATED).start_config_rules_evaluation(ConfigRuleNames=names)
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_status_paging_and_unknown_names(config):
    for i in range(3):
        rule = fixture("config_required_tags_rule.json")
        rule["ConfigRuleName"] = f"rule-{i}"
        config.put_config_rule(ConfigRule=rule)
    first = config.describe_config_rule_evaluation_status(Limit=2)
    second = config.describe_config_rule_evaluation_status(Limit=2, NextToken=first["NextToken"])
    names = [s["ConfigRuleName"] for s in first["ConfigRulesEvaluationStatus"] + second["ConfigRulesEvaluationStatus"]]
    assert names == ["rule-0", "rule-1", "rule-2"]
    with pytest.raises(ClientError) as excinfo:
        config.describe_config_rule_evaluation_status(ConfigRuleNames=["missing"])
    assert excinfo.value.response["Error"]["Code"] == "NoSuchConfigRuleException"


def test_cli_handbook_example(cli, rule):
    missing = cli("configservice", "start-config-rules-evaluation", "--config-rule-names",
                  "s3-bucket-versioning-enabled", "cloudtrail-enabled")
    assert missing.rc != 0 and "NoSuchConfigRuleException" in missing.err
    done = cli("configservice", "start-config-rules-evaluation", "--config-rule-names", rule)
    assert done.rc == 0, done.err
