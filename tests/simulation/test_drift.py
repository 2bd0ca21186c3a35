"""Guard against drift: what we add is still missing from moto, what we rely on still exists.

When a moto upgrade implements one of these operations, or changes an internal this
package uses, a test here fails and names it: drop our extension or adapt it.
"""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import inspect
import re

import pytest

import handbook.simulation as simulation
from handbook.simulation import _install
from moto.core.utils import get_service_model

simulation.register()  # idempotent: the session fixture registers too
PATCHES = simulation.patches()
SERVICE_MODELS = {
    "cloudtrail": "cloudtrail",
    "guardduty": "guardduty",
    "securityhub": "securityhub",
    "cloudwatch": "cloudwatch",
    "config": "config",
    "events": "events",
    "athena": "athena",
}


def by_kind(kind):
    return [pytest.param(p, id=p.describe()) for p in PATCHES if p.kind == kind]


@pytest.mark.parametrize("patch", by_kind("operation"))
def test_added_operation_is_still_missing_from_moto(patch):
    assert patch.original is _install.MISSING, (
        f"moto now implements {patch.service}:{patch.operation} "
        f"({patch.target.__qualname__}.{patch.name}); remove or review our extension"
    )


@pytest.mark.parametrize("patch", by_kind("operation") + by_kind("override"))
def test_operation_names_exist_in_the_botocore_model(patch):
    model = get_service_model(SERVICE_MODELS[patch.service])
    assert model.operation_model(patch.operation).name == patch.operation


@pytest.mark.parametrize("patch", by_kind("route"))
def test_routes_were_absent_and_match_the_model_paths(patch):
    assert patch.original is _install.MISSING
    model = get_service_model(patch.service)
    base = f"https://{patch.service}.us-east-1.amazonaws.com"
    for operation in patch.operation.split():
        uri = model.operation_model(operation).http["requestUri"].split("?")[0]
        concrete = re.sub(r"\{[^}]+\+\}", "arn:aws:securityhub:us-east-1:123456789012:action/custom/X", uri)
        concrete = re.sub(r"\{[^}]+\}", "abc123", concrete)
        assert re.match(patch.name.format(base), base + concrete), (operation, uri)


def test_events_test_event_pattern_is_still_a_stub_in_moto():
    handler, backend = [p for p in PATCHES if p.service == "events"]
    assert handler.original(None) is None  # EventsHandler.test_event_pattern: `pass`
    with pytest.raises(NotImplementedError):
        backend.original(None)  # EventsBackend.test_event_pattern


def test_securityhub_get_findings_still_ignores_filters(aws):
    from moto.securityhub.models import securityhub_backends

    backend = securityhub_backends["123456789012"]["us-east-1"]
    backend.batch_import_findings([{"Id": "f-1", "Resources": [{"Type": "Other", "Id": "x"}]}])
    findings, _ = backend.get_findings(filters={"Id": [{"Value": "nothing", "Comparison": "EQUALS"}]})
    assert [f["Id"] for f in findings] == ["f-1"], "moto now filters GetFindings: review securityhub.py"
    (override,) = [p for p in PATCHES if p.service == "securityhub" and p.kind == "override"]
    assert override.original.__module__ == "moto.securityhub.responses"


def test_wrapped_methods_keep_the_parameters_we_read():
    from moto.athena.models import AthenaBackend
    from moto.athena.responses import AthenaResponse
    from moto.cloudtrail.models import CloudTrailBackend
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.config.models import ConfigBackend
    from moto.core.responses import BaseResponse
    from moto.guardduty.responses import GuardDutyResponse
    from moto.iam.access_control import IAMUserAccessKey
    from moto.s3.models import S3Backend
    from moto.s3.responses import S3Response
    from moto.securityhub.models import SecurityHubBackend

    from handbook.simulation import config_history

    expected = {
        (S3Response, "bucket_response"): "full_url",
        (S3Response, "key_response"): "full_url",
        (IAMUserAccessKey, "__init__"): "access_key_id",
        (CloudWatchBackend, "put_metric_alarm"): "name",
        (CloudWatchBackend, "delete_alarms"): "alarm_names",
        (CloudWatchBackend, "set_alarm_state"): "alarm_name",
        (BaseResponse, "call_action"): "self",
        (CloudTrailBackend, "create_trail"): "kms_key_id",
        (CloudTrailBackend, "update_trail"): "kms_key_id",
        (AthenaBackend, "start_query_execution"): "execution_parameters",
        (AthenaResponse, "get_query_execution"): "self",
        (ConfigBackend, "put_config_rule"): "config_rule",
        (ConfigBackend, "delete_config_rule"): "rule_name",
        (ConfigBackend, "start_configuration_recorder"): "recorder_name",
        (S3Backend, "create_bucket"): "bucket_name",
        (S3Backend, "delete_bucket"): "bucket_name",
        **{(S3Backend, name): "bucket_name" for name in config_history.CHANGES},
        (SecurityHubBackend, "enable_security_hub"): "enable_default_standards",
        (SecurityHubBackend, "disable_security_hub"): "self",
        (GuardDutyResponse, "create_detector"): "self",
    }
    wrapped = {(p.target, p.name): p.original for p in PATCHES if p.kind == "wrap"}
    assert set(wrapped) == set(expected)
    for key, parameter in expected.items():
        assert parameter in inspect.signature(wrapped[key]).parameters, key


def test_moto_internals_still_exist():
    from moto.cloudtrail.models import CloudTrailBackend
    from moto.cloudtrail.responses import CloudTrailResponse
    from moto.cloudwatch.models import Alarm, CloudWatchBackend
    from moto.config.models import ConfigBackend, ConfigRule
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.base_backend import BaseBackend
    from moto.core.exceptions import InvalidToken, ServiceException
    from moto.core.parse import PROTOCOL_PARSERS
    from moto.core.responses import ActionResult, BaseResponse
    from moto.core.utils import method_names_from_class
    from moto.events.models import EventPattern, EventPatternParser
    from moto.guardduty import urls as guardduty_urls
    from moto.guardduty.models import GuardDutyBackend
    from moto.logs.models import LogGroup, LogsBackend
    from moto.securityhub import urls as securityhub_urls
    from moto.securityhub.models import SecurityHubBackend
    from moto.sts.models import STSBackend
    from moto.utilities.paginator import Paginator

    assert DEFAULT_ACCOUNT_ID == "123456789012"
    assert {"json", "rest-json", "query", "ec2", "rest-xml"} <= set(PROTOCOL_PARSERS)
    for name in ("call_action", "_get_action", "determine_response_protocol", "dispatch", "setup_class"):
        assert hasattr(BaseResponse, name), name
    assert "self.__dict__ = {}" in inspect.getsource(BaseBackend.reset)  # our state goes with moto's
    assert "method_names_from_class(self.__class__)" in inspect.getsource(BaseResponse.call_action)
    assert "lookup_events" in method_names_from_class(CloudTrailResponse)  # how moto finds our handlers
    assert issubclass(InvalidToken, Exception) and issubclass(ServiceException, Exception)
    assert callable(ActionResult)
    assert set(inspect.signature(Paginator).parameters) >= {
        "max_results", "max_results_default", "starting_token", "unique_attribute",
        "param_values_to_check", "fail_on_invalid_token",
    }
    assert hasattr(SecurityHubBackend.get_findings, "__wrapped__")
    assert {"limit_default", "unique_attribute"} <= set(SecurityHubBackend.PAGINATION_MODEL["get_findings"])
    assert isinstance(guardduty_urls.url_paths, dict) and isinstance(securityhub_urls.url_paths, dict)
    assert hasattr(GuardDutyBackend, "get_detector")
    assert "self.detectors" in inspect.getsource(GuardDutyBackend.__init__)  # put_detector re-files one
    assert list(inspect.signature(GuardDutyBackend.create_detector).parameters)[1:] == [
        "enable", "finding_publishing_frequency", "data_sources", "tags", "features",
    ]
    assert hasattr(CloudTrailResponse, "cloudtrail_backend") and "def __init__" in inspect.getsource(CloudTrailBackend)
    assert "get_caller_identity" in dir(STSBackend)
    alarm_source = inspect.getsource(Alarm)
    for attribute in (
        "name", "alarm_arn", "description", "actions_enabled", "alarm_actions", "ok_actions",
        "insufficient_data_actions", "configuration_updated_timestamp", "rule", "namespace", "metric_name",
        "dimensions", "statistic", "extended_statistic", "period", "unit", "evaluation_periods",
        "datapoints_to_alarm", "threshold", "comparison_operator", "treat_missing_data", "threshold_metric_id",
        "state_value", "state_reason", "state_reason_data", "state_updated_timestamp",
    ):
        assert f"self.{attribute} =" in alarm_source, attribute
    assert "self.alarms" in inspect.getsource(CloudWatchBackend.__init__)
    assert "self.config_rules" in inspect.getsource(ConfigBackend.__init__)
    rule_source = inspect.getsource(ConfigRule.__init__)
    for attribute in ("config_rule_name", "config_rule_arn", "config_rule_id"):
        assert f"self.{attribute} =" in rule_source, attribute
    assert callable(EventPattern.load) and hasattr(EventPattern, "matches_event") and hasattr(EventPatternParser, "parse")
    assert hasattr(LogGroup, "put_log_events") and hasattr(LogGroup, "create_log_stream")
    assert "self.groups" in inspect.getsource(LogsBackend.__init__)
    assert "days=14" in inspect.getsource(LogsBackend.put_log_events), "moto's age limit moved: review logs.py"


def test_register_is_idempotent_and_reversible():
    from moto.cloudtrail.responses import CloudTrailResponse
    from moto.core.responses import BaseResponse
    from moto.guardduty import urls as guardduty_urls

    count = len(simulation.patches())
    simulation.register()
    assert len(simulation.patches()) == count
    try:
        simulation.unregister()
        assert simulation.patches() == []
        assert not hasattr(CloudTrailResponse, "lookup_events")
        assert not _install.is_ours(BaseResponse.call_action)
        assert not any("findings/create" in p for p in guardduty_urls.url_paths)
    finally:
        simulation.register()
    assert len(simulation.patches()) == count
    assert hasattr(CloudTrailResponse, "lookup_events")


def test_moto_still_lets_an_inactive_key_through_and_logs_s3_with_a_placeholder():
    """Without our replacements moto accepts an Inactive key and writes a placeholder access log line."""
    import inspect as _inspect

    from moto.iam.access_control import IAMUserAccessKey
    from moto.s3.models import S3Backend

    (init,) = [p for p in PATCHES if p.target is IAMUserAccessKey]
    assert "status" not in _inspect.getsource(init.original), "moto now checks a key's status: drop iam.py's wrap"
    (placeholder,) = [p for p in PATCHES if p.target is S3Backend and p.kind == "replace"]
    assert 'source_ip = "0.0.0.0"' in _inspect.getsource(placeholder.original), "moto's access log changed: review s3.py"


def test_moto_still_lacks_what_config_cloudwatch_guardduty_and_securityhub_additions_fill_in():
    """Each replaced or wrapped behaviour is still moto's old one; if not, review the module named."""
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.config.responses import ConfigResponse
    from moto.guardduty.models import GuardDutyBackend
    from moto.s3.config import s3_config_query
    from moto.s3.models import FakeAcl
    from moto.securityhub.models import SecurityHubBackend

    def original(target, name):
        (patch,) = [p for p in PATCHES if p.target is target and p.name == name]
        return inspect.getsource(patch.original)

    assert "laterTime" not in original(ConfigResponse, "get_resource_config_history"), "review config_history.py"
    assert "groups/s3/" in original(FakeAcl, "to_config_dict"), "moto's ACL item changed: review config_history.py"
    assert "does not support Metrics Insights" in original(CloudWatchBackend, "get_metric_data"), \
        "moto now evaluates Metrics Insights queries: review cloudwatch_insights.py"
    assert "already exists" not in inspect.getsource(GuardDutyBackend.create_detector), "review guardduty_export.py"
    assert "if enable_default_standards:\n            pass" in inspect.getsource(SecurityHubBackend.enable_security_hub), \
        "moto now subscribes the default standards: review securityhub_standards.py"
    assert callable(s3_config_query.get_config_resource)
