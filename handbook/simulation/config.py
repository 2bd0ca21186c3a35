"""AWS Config ``StartConfigRulesEvaluation`` and ``DescribeConfigRuleEvaluationStatus``.

moto 5.2.5 stores Config rules (``PutConfigRule``) but cannot start an evaluation nor
show one. This module keeps an evaluation status per rule on the ``ConfigBackend``:

- ``StartConfigRulesEvaluation``: ``ConfigRuleNames`` of existing rules (1-25 names;
  ``NoSuchConfigRuleException``, moto's own, for a name that does not exist;
  ``InvalidParameterValueException`` for an empty list or more than 25 names). The
  evaluation of the simulation completes at once, so it records a successful invocation
  and evaluation now; the managed rules the simulation knows are evaluated against the
  account (``config_compliance``). Not simulated: the once-a-minute
  ``LimitExceededException``.
- ``DescribeConfigRuleEvaluationStatus``: the status of each rule (all rules, or those
  named; unknown names are ``NoSuchConfigRuleException``): ``FirstEvaluationStarted``,
  ``LastSuccessfulInvocationTime``, ``LastSuccessfulEvaluationTime``; ``Limit`` (0-50,
  0 meaning the default 50) and ``NextToken``.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from moto.config.exceptions import (
    InvalidNextTokenException,
    InvalidParameterValueException,
    NoSuchConfigRuleException,
)
from moto.config.models import ConfigBackend
from moto.config.responses import ConfigResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from . import _install
from ._common import paginate, parsed_params, with_token
from .config_compliance import evaluate

MAX_RULES_PER_REQUEST = 25
MAX_LIMIT = 50


def evaluation_status(backend: ConfigBackend) -> dict[str, dict[str, Any]]:
    """Rule name -> what Config knows of its evaluations."""
    return _install.backend_state(backend, "rule_evaluations", dict)


def _rules(backend: ConfigBackend, names: list[str] | None) -> list[Any]:
    if names is None:
        return list(backend.config_rules.values())
    for name in names:
        if name not in backend.config_rules:
            raise NoSuchConfigRuleException(name)
    return [backend.config_rules[n] for n in dict.fromkeys(names)]


def start_config_rules_evaluation(backend: ConfigBackend, names: list[str] | None) -> None:
    if names is not None and not names:
        raise InvalidParameterValueException("ConfigRuleNames must contain at least one rule name.")
    if names is not None and len(names) > MAX_RULES_PER_REQUEST:
        raise InvalidParameterValueException(
            f"You can specify up to {MAX_RULES_PER_REQUEST} Config rules per request."
        )
    rules = _rules(backend, names)
    evaluate(backend, [rule.config_rule_name for rule in rules])
    now = utcnow().replace(tzinfo=timezone.utc)
    status = evaluation_status(backend)
    for rule in rules:
        entry = status.setdefault(rule.config_rule_name, {})
        entry.update(
            {
                "FirstEvaluationStarted": True,
                "LastSuccessfulInvocationTime": now,
                "LastSuccessfulEvaluationTime": now,
            }
        )


def describe_status(backend: ConfigBackend, names: list[str] | None) -> list[dict[str, Any]]:
    status = evaluation_status(backend)
    out = []
    for rule in _rules(backend, names or None):
        item = {
            "ConfigRuleName": rule.config_rule_name,
            "ConfigRuleArn": rule.config_rule_arn,
            "ConfigRuleId": rule.config_rule_id,
            "FirstEvaluationStarted": False,
        }
        item.update(status.get(rule.config_rule_name, {}))
        out.append(item)
    return out


def start_config_rules_evaluation_response(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "StartConfigRulesEvaluation")
    start_config_rules_evaluation(self.config_backend, params.get("ConfigRuleNames"))
    return ActionResult({})


def describe_config_rule_evaluation_status(self: ConfigResponse) -> ActionResult:
    params = parsed_params(self, "DescribeConfigRuleEvaluationStatus")
    names = params.get("ConfigRuleNames")
    if names and len(names) > MAX_RULES_PER_REQUEST:
        raise InvalidParameterValueException(
            f"You can specify up to {MAX_RULES_PER_REQUEST} Config rules per request."
        )
    limit = params.get("Limit")
    if limit is not None and not 0 <= int(limit) <= MAX_LIMIT:
        raise InvalidParameterValueException(f"Limit must be between 0 and {MAX_LIMIT}.")
    items = describe_status(self.config_backend, names)
    page, token = paginate(
        items,
        max_results=int(limit) if limit else None,
        default=MAX_LIMIT,
        next_token=params.get("NextToken") or None,
        unique_attribute="ConfigRuleName",
        params=tuple(names or ()),
        error=InvalidNextTokenException,
    )
    return ActionResult(with_token({"ConfigRulesEvaluationStatus": page}, token))


def register() -> None:
    cls = ConfigResponse
    _install.add_operation("config", cls, "StartConfigRulesEvaluation", start_config_rules_evaluation_response)
    _install.add_operation("config", cls, "DescribeConfigRuleEvaluationStatus", describe_config_rule_evaluation_status)
