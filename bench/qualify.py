"""`handbook qualify verify` of a 50-exercise record, timed as a lead runs it: the whole process.

    python bench/qualify.py [--runs N] [--exercises 50] [--keep DIR]

Builds a record holding every exercise of the project, each marked passed with its solution's
commands (and its expected answer, for a question). When the project has fewer than
`--exercises`, its exercises are repeated under made-up Skill ids (in a temporary copy of the
project: ksa.yml and the exercise files only) until the record holds that many, so that the
figure is for 50 replays whatever the number written so far. Then runs `python -m handbook.cli
qualify verify RECORD --root COPY` N times, each a new process, and prints each run's wall and
CPU time, the median, and how many exercises of each kind (scenario start or not) the record has.
The target is 10 s (issue 19). A report, not a test: it fails only when the record does not hold.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def project_copy(target: Path, wanted: int) -> dict[str, dict]:
    """A copy of the project's exercises (and ksa.yml) in `target`, padded to `wanted`; id -> record entry."""
    import yaml

    from handbook.training import exercise

    found = exercise.collect(ROOT)
    contract = yaml.safe_load((ROOT / "ksa.yml").read_text(encoding="utf-8"))
    entries = {}
    originals = sorted(found.values(), key=lambda e: e.ksa)
    for n in range(max(wanted, len(originals))):
        original = originals[n % len(originals)]
        code = original.ksa.split("-")[0]
        ksa_id = original.ksa if n < len(originals) else f"{code}-s{100 + n}"
        if ksa_id not in contract["published"]:
            contract["published"].append(ksa_id)
        folder = target / "snippets" / original.path.parent.parent.name / "exercises"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(original.path, folder / f"{ksa_id}.yml")
        expect = original.answer.expect if original.answer else None
        given = expect[0] if isinstance(expect, list) and original.answer.kind != "list" else expect
        entries[ksa_id] = {"status": "passed", "date": "2026-12-07T09:41:10Z", "hints": 0,
                           "commands": list(original.solution), "answer": given,
                           "_scenario": any(s.get("fixture") == "scenario" for s in original.start)}
    (target / "ksa.yml").write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--exercises", type=int, default=50)
    parser.add_argument("--keep", help="build the project copy and record here, and keep them")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="handbook-bench-qualify-"))
    work.mkdir(parents=True, exist_ok=True)
    entries = project_copy(work / "project", args.exercises)
    scenarios = sum(1 for e in entries.values() if e.pop("_scenario"))
    record = {"format": "handbook-record", "version": 1, "handbook": "0.1.0", "trainee": "Bench Trainee",
              "exported": "2026-12-07T10:00:00Z", "exercises": entries, "investigations": {}}
    path = work / "record.json"
    path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(f"record: {len(entries)} passed exercises ({scenarios} start from a scenario), "
          f"{sum(len(e['commands']) for e in entries.values())} commands; project exercises: "
          f"{len(list(ROOT.glob('snippets/*/exercises/*.yml')))}")
    walls = []
    for run in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "handbook.cli", "qualify", "verify", str(path), "--root",
                               str(work / "project")], cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        walls.append(wall)
        print(f"run {run + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, exit {done.returncode}")
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])
            return 1
    print(f"median: {statistics.median(walls):.2f} s wall for {len(entries)} exercises (target: 10 s)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
