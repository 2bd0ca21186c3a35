"""Runbook-mode timings: a cold `handbook check` of a 20-command runbook, and the warm time per command.

    python bench/runbook.py [--examples]

cold: a fresh process (`handbook check --runbook`), as CI runs it (target 1 s or less); the
median wall time, the process's CPU time (user + system) beside it, and the ratio to a start of
awscli itself (`aws --version`) timed in the same runs, which a slow or busy machine moves less.
warm: in one process, `handbook check` (its `main`, as the command runs it) after a first check,
the median time of one aws command (target 5 ms).
--examples: runbook mode on every aws-cli packaged example, with the counts (accepted,
rejected by awscli itself, the examples' own defects, false alarms), in --processes shards
(default: one per CPU). A report: nothing is asserted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import io
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    "aws sts get-caller-identity",
    "aws cloudtrail describe-trails --trail-name-list <trail>",
    "aws cloudtrail get-trail-status --name <trail>",
    "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --max-results 50",
    "aws guardduty list-detectors",
    "aws guardduty list-findings --detector-id <detector-id>",
    "aws guardduty get-findings --detector-id <detector-id> --finding-ids <finding-id>",
    "aws iam get-role --role-name <role>",
    "aws iam list-attached-role-policies --role-name <role>",
    "aws iam update-access-key --access-key-id <key-id> --status Inactive --user-name <user>",
    "aws ec2 describe-instances --instance-ids <instance-id>",
    "aws ec2 describe-security-groups --group-ids <sg-id>",
    "aws ec2 create-snapshot --volume-id <volume-id> --description 'IR evidence'",
    "aws ec2 modify-instance-attribute --instance-id <instance-id> --no-source-dest-check",
    "aws s3 ls s3://<bucket>/AWSLogs/ --recursive",
    "aws s3api get-bucket-policy --bucket <bucket> --query Policy --output text",
    "aws logs filter-log-events --log-group-name <group> --start-time $START",
    "aws securityhub get-findings --max-results 10",
    "aws configservice describe-config-rules",
    "aws events list-rules --name-prefix ir-",
]


def runbook_text() -> str:
    return "# Bench runbook\n\n```bash\n" + "\n".join(COMMANDS) + "\n```\n"


def judge_shard(index: int, shards: int) -> list[str]:
    """The verdicts on one shard of the examples: the files whose path hashes to `index`.

    Shards, each its own process, to use every CPU (one driver no longer slows as it goes: see
    handbook.registrations)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore
    import awscli_examples
    from test_awscli_examples import judge

    runner = aws.shared()
    return [judge(runner, rst, text) for rst in awscli_examples.files()
            if awscli_examples.shard(rst, shards) == index for text in awscli_examples.commands(rst)]


def _process(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole process."""
    before, start = os.times(), time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds, after = time.perf_counter() - start, os.times()
    return seconds, after.children_user + after.children_system - before.children_user - before.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="cold runs (the median is reported)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="for --examples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runbook = Path(tmp) / "runbook.md"
        runbook.write_text(runbook_text(), encoding="utf-8")
        colds, cpus, bases = [], [], []
        aws_version = [str(Path(sys.executable).with_name("aws")), "--version"]
        for _ in range(args.runs):  # interleaved with the baseline, so that both see the same machine
            seconds, cpu = _process([sys.executable, "-m", "handbook.cli", "check", "--runbook", str(runbook)])
            colds.append(seconds)
            cpus.append(cpu)
            bases.append(_process(aws_version)[0])
        cold, base = statistics.median(colds), statistics.median(bases)
        print(f"runbook  cold check of a {len(COMMANDS)}-command runbook: median {cold:.2f} s "
              f"(CPU {statistics.median(cpus):.2f} s) over {len(colds)} runs (target 1 s or less); "
              f"`aws --version` in the same runs {base:.2f} s: {cold / base:.1f}x one start of awscli")
        from handbook import cli

        def check() -> None:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                cli.main(["check", "--runbook", str(runbook)])

        check()
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            check()
            warm.append((time.perf_counter() - start) / len(COMMANDS))
        print(f"runbook  warm time per command: median {statistics.median(warm) * 1000:.1f} ms (target 5 ms or less)")
    if args.examples:
        start = time.perf_counter()
        shards = args.processes
        with concurrent.futures.ProcessPoolExecutor(shards, mp_context=multiprocessing.get_context("spawn")) as pool:
            verdicts = [v for part in pool.map(judge_shard, range(shards), [shards] * shards) for v in part]
        alarms = [v for v in verdicts if v.startswith("false alarm")]
        print(f"examples {len(verdicts)} packaged aws-cli examples in {time.perf_counter() - start:.0f} s "
              f"({shards} processes): {verdicts.count('accepted')} accepted, "
              f"{verdicts.count('awscli-rejects')} rejected by awscli itself, "
              f"{verdicts.count('lost-continuation')} with a lost continuation of their own, "
              f"{verdicts.count('model')} the example's own defect awscli does not check, {len(alarms)} false alarms")
        for alarm in alarms[:30]:
            print("  " + alarm[:240])
    return 0


if __name__ == "__main__":
    sys.exit(main())
