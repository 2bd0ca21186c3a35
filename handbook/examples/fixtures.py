"""What a CLI example needs to exist before it runs under moto, declared in its `<name>.yml`.

    placeholders:                # test values for this example's <placeholders>
      bucket: handbook-evidence
    setup:                       # run in order, in the same simulated account as the example
      - call: s3.create_bucket   # <boto3 service>.<client method> ...
        args: {Bucket: handbook-evidence}   # ... with these keyword arguments
      - fixture: log-events      # a named fixture from FIXTURES below ...
        args: {group: my-logs, stream: "20150601"}   # ... with these arguments

A step is exactly one of `call` or `fixture`, with optional `args`. Prefer `call`: it reads
like the API reference. A fixture exists only for what takes several calls or moto's insides
(an id the example names but moto would generate, events older than moto's API accepts).
Calls run with the runner's long-lived boto3 session (mock_aws resets the default one).
An example that simulated AWS cannot run is listed, with the reason, in the one file
snippets/model-only.yml (see handbook.snippets), never in its own declarations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

from handbook import aws  # first: awscli must be imported before boto3 and moto
from botocore.exceptions import BotoCoreError, ClientError

from handbook.errors import HandbookError, line_in  # noqa: F401  (line_in: where it lived before)
from handbook.simulation.fixtures import NAMED


def scenario(cli: aws.AwsCli, name: str) -> None:
    """The incident of scenarios/<name>.yml replayed in the account (handbook.training.scenario): a drill's setup."""
    from handbook.training import scenario as scenarios  # the one fixture from the floor above

    scenarios.prepared(name, cli)


FIXTURES: dict[str, Callable[..., None]] = {**NAMED, "scenario": scenario}


def setup_steps(declarations: Mapping, where: Path | str) -> list:
    """The `setup:` list of an example's declarations ([] when it has none)."""
    steps = declarations.get("setup") or []
    if not isinstance(steps, list):
        raise HandbookError(where, line_in(where, "setup:"), "`setup` must be a list of steps")
    return steps


def run_setup(steps: list, cli: aws.AwsCli, *, where: Path | str) -> None:
    """Run each step in order, inside the caller's mock; `where` is the file that declares them."""
    for number, step in enumerate(steps, 1):
        if not isinstance(step, Mapping) or len({"call", "fixture"} & step.keys()) != 1 \
                or not step.keys() <= {"call", "fixture", "args"}:
            raise HandbookError(where, None, f"setup step {number} must have exactly one of `call` "
                                             f"or `fixture`, and optionally `args`; it is {step!r}")
        args = step.get("args") or {}
        if not isinstance(args, Mapping):
            raise HandbookError(where, None, f"setup step {number}: `args` must be a mapping")
        if "fixture" in step:
            name = step["fixture"]
            action, label = FIXTURES.get(name), f"fixture {name!r}"
            if action is None:
                raise HandbookError(where, line_in(where, f"fixture: {name}"),
                                    f"setup step {number} names the unknown fixture {name!r}; "
                                    f"known fixtures are {', '.join(FIXTURES)}")
            run = lambda: action(cli, **args)  # noqa: E731
        else:
            label = step["call"]
            service, _, method = str(label).partition(".")
            try:
                client = cli.client(service)
            except BotoCoreError as problem:
                raise HandbookError(where, line_in(where, f"call: {label}"),
                                    f"setup step {number} names no boto3 service: {problem}") from None
            if not method or not hasattr(client, method):
                raise HandbookError(where, line_in(where, f"call: {label}"),
                                    f"setup step {number}: {label!r} is not a {service} client method; "
                                    "write it as service.method, e.g. s3.create_bucket")
            run = lambda: getattr(client, method)(**args)  # noqa: E731
        try:
            run()
        except HandbookError:
            raise
        except (ClientError, BotoCoreError, TypeError, ValueError, KeyError) as problem:
            needle = f"fixture: {step['fixture']}" if "fixture" in step else f"call: {label}"
            raise HandbookError(where, line_in(where, needle),
                                f"setup step {number} ({label}) failed: {problem}") from None
