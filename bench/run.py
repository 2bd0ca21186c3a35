"""Whole-process timings of the project's commands, as medians over several runs.

    python bench/run.py [--runs N] [--only NAME ...]

Each figure is the wall time of a fresh process, as a user or CI sees it; `examples` runs
bench/examples.py (verifying the examples in-process against the same commands through the
real aws executable and moto's server); `runtime` runs bench/runtime.py (Run in the page:
click to first output, later commands, bytes); `practise` runs bench/practise.py (the Practise
box's Check, the first Run on a second page); `investigation` runs bench/investigation.py
(a drill's Start, the SQL engine's first load, a query over an incident's trail files). The kit's line gives its
build time and zip size against their targets (60 s; 35 MB, the SQL engine in it); reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed(cmd: list[str], runs: int) -> list[float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def benchmarks(site: str) -> dict[str, list[str]]:
    return {
        "build": [PY, "-m", "mkdocs", "build", "--strict", "-d", site],
        "import": [PY, "-m", "handbook.cli", "import", "source/td-ir-ksa-handbook.md", "--out", site + "-import"],
        "kit": [PY, "-m", "handbook.cli", "kit", "--out", site + "-kit"],
        "suite": [PY, "-m", "pytest", "-q", "-p", "no:randomly"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="names of the benchmarks to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, cmd in benchmarks(str(Path(tmp) / "site")).items():
            if args.only and name not in args.only:
                continue
            runs = 1 if name == "suite" else args.runs
            times = []
            for _ in range(runs):
                times += timed(cmd, 1)
                if name == "import":
                    subprocess.run(["rm", "-rf", str(Path(tmp) / "site-import")], check=True)
            print(f"{name:8s} median {statistics.median(times):6.2f} s  over {len(times)} run(s)  (min {min(times):.2f}, max {max(times):.2f})")
            if name == "kit":
                print(f"{'kit':8s} build {statistics.median(times):.1f} s (target 60 s or less), "
                      f"zip {zip_size(Path(tmp) / 'site-kit'):.1f} MB (target 35 MB or less, the SQL engine in it)")
    if not args.only or "runbook" in args.only:  # cold check of a 20-command runbook, warm per command
        subprocess.run([PY, str(ROOT / "bench" / "runbook.py")], cwd=ROOT, check=True)
    if not args.only or "examples" in args.only:  # in-process against the aws executable + moto server
        subprocess.run([PY, str(ROOT / "bench" / "examples.py"), "--runs", str(args.runs)], cwd=ROOT, check=True)
    if not args.only or "runtime" in args.only:  # Run in the page, in headless chromium
        subprocess.run([PY, str(ROOT / "bench" / "runtime.py"), "--runs", str(args.runs)], cwd=ROOT, check=True)
    if not args.only or "practise" in args.only:  # the Practise box's Check, instant navigation
        subprocess.run([PY, str(ROOT / "bench" / "practise.py"), "--runs", str(args.runs)], cwd=ROOT, check=True)
    if not args.only or "investigation" in args.only:  # investigations and Athena in the page (issue 20)
        subprocess.run([PY, str(ROOT / "bench" / "investigation.py"), "--runs", str(args.runs)], cwd=ROOT, check=True)
    return 0


def zip_size(dist: Path) -> float:
    [archive] = dist.glob("td-ir-handbook-*.zip")
    return archive.stat().st_size / 1e6


if __name__ == "__main__":
    sys.exit(main())
