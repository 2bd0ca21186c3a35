"""Every exercise can be done in the page: each service its commands, start and check use is one the
in-page account carries (handbook/runtime/runtime.yml), or Practise would refuse the solution itself."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from handbook.training import exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = exercise.collect(ROOT)
RUNTIME = yaml.safe_load((ROOT / "handbook" / "runtime" / "runtime.yml").read_text(encoding="utf-8"))
# The services each fixture calls (handbook/examples/fixtures.py).
FIXTURE_SERVICES = {"trail": {"s3", "cloudtrail"}, "bucket-object": {"s3"}, "log-events": {"logs"},
                    "network-interface": {"ec2"}, "guardduty-detector": {"guardduty"},
                    "guardduty-findings": {"guardduty"}, "vpc": {"ec2"}, "kms-key": {"kms"},
                    "trail-events": set(), "trail-log-file": {"s3"}}


def not_carried(found: exercise.Exercise, runtime: dict = RUNTIME) -> list[str]:
    """What the exercise uses that the page's account does not carry, each said with where."""
    services, commands = set(runtime["services"]), set(runtime["commands"])
    problems = []
    for n, step in enumerate(found.start, 1):
        used = FIXTURE_SERVICES.get(step.get("fixture"), set()) if "fixture" in step else \
            {str(step["call"]).split(".")[0]}
        if "fixture" in step and step["fixture"] == "scenario":
            continue  # a scenario's services are the drills' to carry
        problems += [f"{found.path}: start step {n} uses {s}, which the page does not carry" for s in used - services]
    for condition in found.check:
        service = str(condition.spec.get("call") or "").split(".")[0]
        if service and service not in services:
            problems.append(f"{found.path}: the check {condition.that!r} calls {service}, which the page does not carry")
    typed = list(found.solution) + [c for miss in found.near_misses for c in miss.attempt]
    for command in typed:
        words = shlex.split(command)
        if len(words) > 1 and words[1] not in commands:
            problems.append(f"{found.path}: `aws {words[1]}` is not a command of the page: {command[:60]}")
    return problems


@pytest.mark.parametrize("ksa_id", sorted(EXERCISES))
def test_the_page_carries_what_the_exercise_uses(ksa_id):
    assert not_carried(EXERCISES[ksa_id]) == []


def test_an_exercise_using_a_service_the_page_lacks_is_named():
    found = EXERCISES["ct-s07"]
    lacking = dict(RUNTIME, services=[s for s in RUNTIME["services"] if s != "kms"],
                   commands=[c for c in RUNTIME["commands"] if c != "kms"])
    problems = not_carried(found, lacking)
    assert any("start step 4 uses kms" in p for p in problems)
    assert any("`aws kms` is not a command of the page" in p for p in problems)
