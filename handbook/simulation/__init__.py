"""moto extensions: what moto 5.2.5 lacks for the handbook's AWS CLI examples.

One module per service, each following moto's own structure (state on the service's
backend instance, handlers as methods of its ``*Response`` class, rest-json paths in its
``urls.url_paths``) and the behaviour the AWS API reference describes:

- ``cloudtrail``: ``LookupEvents`` over an event history recording the simulation's write
  calls of every service, seeded from ``data/cloudtrail_events.yaml``;
- ``guardduty``: ``CreateSampleFindings``, ``ListFindings``, ``GetFindings``,
  ``Archive/UnarchiveFindings``, ``Create/Get/List`` for IP sets and threat intel sets;
- ``securityhub``: ``Create/Describe/Update/DeleteActionTarget(s)``, ``GetFindings``
  honouring ``Filters`` and ``SortCriteria``;
- ``cloudwatch``: ``DescribeAlarmHistory`` fed by alarm creation, updates, deletion and
  state changes;
- ``config``: ``StartConfigRulesEvaluation`` and ``DescribeConfigRuleEvaluationStatus``;
- ``events``: ``TestEventPattern`` answered by moto's own event-pattern matcher;
- ``logs``: ``put_old_events`` placing log events older than moto's 14-day API limit;
- ``s3``: S3 calls in CloudTrail, server access log lines as AWS writes them;
- ``iam``: an Inactive access key refused; ``enforced()``, authorization on for a block;
- ``sts``: an AssumeRole across accounts recorded in the role's account too;
- ``signin``: console sign-in events (``ConsoleLogin``), which no API call makes;
- ``fixtures``: named account states an example's setup or a scenario's account names;
- ``clock``: the time the extensions record, fixed while a scenario runs.

:func:`register` installs everything (idempotent); every change is recorded
(``handbook.simulation._install.patches()``) for the drift tests.
"""

from __future__ import annotations

# awscli vendors botocore and redirects ``import botocore`` to its copy: import it first,
# so moto and boto3 share the botocore the ``aws`` command uses.
import awscli  # noqa: F401  isort: skip

# Nothing of moto is imported here: handbook.simulation.fixtures is named by the examples'
# setups, which a parse-only check (handbook check, runbook mode) imports without moto.

SERVICES = ("cloudtrail", "guardduty", "securityhub", "cloudwatch", "config", "events", "logs", "s3", "iam", "sts")


def register() -> None:
    """Install every extension into moto. Safe to call any number of times."""
    from . import cloudtrail, cloudwatch, config, events, guardduty, iam, logs, s3, securityhub, sts

    for module in (cloudtrail, guardduty, securityhub, cloudwatch, config, events, logs, s3, iam, sts):
        module.register()


def unregister() -> None:
    """Remove every extension, restoring moto as it was (used by the drift tests)."""
    from . import _install

    _install.unregister_all()


def patches() -> list:
    """What :func:`register` changed in moto, in order (``_install.Patch`` records)."""
    from . import _install

    return _install.patches()


__all__ = ["register", "unregister", "patches", "SERVICES"]
