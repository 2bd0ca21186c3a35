"""The copy-defect mutants on every aws-cli packaged example: is each flagged at its line?

    python bench/mutants.py [--processes N]

Every example is judged as tests/test_awscli_examples.py judges it (accepted, refused by awscli
itself, its own defect, or a false alarm); for every example runbook mode accepts as written, one
mutant with a continuation `\\` removed (every example over several lines with an option
line), and one with the last `}` of an inline JSON document removed (every example giving one to
an option that holds JSON); see tests/awscli_mutants.py. Prints how many mutants there are and
how many are flagged at the expected line, then the ones that are not. A report: nothing is
asserted (the suite checks a sample).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mutate_shard(index: int, shards: int) -> list[tuple[str, str, bool]]:
    """(kind, where, flagged) for each mutant of one shard of the examples."""
    sys.path.insert(0, str(ROOT / "tests"))
    from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore
    import awscli_examples
    import awscli_mutants
    from test_awscli_examples import LOST, errors_in, judge

    runner = aws.shared()
    results = []
    for rst in awscli_examples.files():
        if awscli_examples.shard(rst, shards) != index:
            continue
        for text in awscli_examples.commands(rst):
            verdict = judge(runner, rst, text)
            results.append(("example", verdict, not verdict.startswith("false alarm")))
            if verdict != "accepted":
                continue  # the example's own defect comes first: mutants of accepted examples only
            continued = awscli_mutants.lost_continuation(text)
            broken = awscli_mutants.broken_json(text)
            where = str(rst.relative_to(awscli_examples.EXAMPLES))
            if continued:
                errors = errors_in(runner, rst, continued[0])
                results.append(("continuation", f"{where}:{continued[1]}",
                                any(e.line == continued[1] and LOST in e.message for e in errors)))
            if broken:
                errors = errors_in(runner, rst, broken[0])
                results.append(("json", f"{where}:{broken[1]}",
                                any(e.line == broken[1] and "JSON" in e.message for e in errors)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    start = time.perf_counter()
    shards = args.processes
    with concurrent.futures.ProcessPoolExecutor(shards, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = [r for part in pool.map(mutate_shard, range(shards), [shards] * shards) for r in part]
    print(f"aws-cli's packaged examples and their mutants, in {time.perf_counter() - start:.0f} s ({shards} processes):")
    verdicts = [r[1] for r in results if r[0] == "example"]
    alarms = [v for v in verdicts if v.startswith("false alarm")]
    print(f"  examples: {len(verdicts)}: {verdicts.count('accepted')} accepted, {verdicts.count('awscli-rejects')} "
          f"rejected by awscli itself, {verdicts.count('lost-continuation')} with a lost continuation of their own, "
          f"{verdicts.count('model')} the example's own defect awscli does not check, {len(alarms)} false alarms")
    for alarm in alarms[:30]:
        print("    " + alarm[:240])
    for kind, what in (("continuation", "a continuation `\\` removed"), ("json", "broken JSON in a string option")):
        mine = [r for r in results if r[0] == kind]
        print(f"  {what}: {len(mine)} mutants, {sum(r[2] for r in mine)} flagged at their line")
        for _, where, flagged in mine:
            if not flagged:
                print(f"    not flagged: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
