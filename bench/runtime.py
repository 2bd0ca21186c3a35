"""Run in the page, timed as a reader meets it: click to first output, later commands, bytes.

    python bench/runtime.py [--runs N]

- cold: a fresh browser (empty cache) opens a page of the served site and clicks Run: seconds
  to the first output. Again from file://, as the offline kit is opened.
- second load: the same browser loads the page again (its files in the browser's cache) and
  clicks Run.
- per command: the other examples of the page, and one command edited and run ten times.
- bytes: what the runtime adds to the site, and to the kit's zip (compressed, as the zip holds it).
Targets on these 2-core machines (reported, not asserted): first output 12 s or less cold, later
commands 0.5 s or less, kit zip 20 MB or less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.kit.chromium import Browser  # noqa: E402
from handbook.runtime.check import Served, build, click_run  # noqa: E402

PAGE = "services/cloudtrail.html"


def median(values: list[float]) -> str:
    return f"median {statistics.median(values):5.2f} s (min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)"


def first_output(browser: Browser, url: str) -> tuple[str, float]:
    tab = browser.open(url)
    return tab, click_run(browser, tab, 0).seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT / "mkdocs.yml", site)
        cold, second, later, edited, from_file = [], [], [], [], []
        with Served(site) as served:
            for _ in range(args.runs):
                with Browser(loopback=True) as browser:
                    tab, seconds = first_output(browser, served.url + PAGE)
                    cold.append(seconds)
                    count = browser.evaluate(tab, "document.querySelectorAll('[data-snippet]').length")
                    later += [click_run(browser, tab, i).seconds for i in range(1, count)]
                    edited += [click_run(browser, tab, 0, command="aws cloudtrail describe-trails").seconds
                               for _ in range(10)]
                    second.append(first_output(browser, served.url + PAGE)[1])
        for _ in range(args.runs):
            with Browser() as browser:
                from_file.append(first_output(browser, (site / PAGE).as_uri())[1])
        runtime = sum(p.stat().st_size for p in (site / "assets" / "runtime").iterdir())
        whole = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"runtime  first output, cold, served      {median(cold)}  (target 12 s or less)")
        print(f"runtime  first output, cold, file://     {median(from_file)}")
        print(f"runtime  first output, second page load  {median(second)}")
        print(f"runtime  later examples of the page      {median(later)}  (target 0.5 s or less)")
        print(f"runtime  an edited command, again         {median(edited)}")
        print(f"runtime  site: {whole / 1e6:.1f} MB, of which the runtime {runtime / 1e6:.1f} MB")
        kit = subprocess.run([sys.executable, "-m", "handbook.cli", "kit", "--out", str(Path(tmp) / "dist")], cwd=ROOT,
                             capture_output=True, text=True)
        if kit.returncode == 0:
            [archive] = (Path(tmp) / "dist").glob("*.zip")
            entries = zipfile.ZipFile(archive).infolist()
            added = sum(i.compress_size for i in entries if "/assets/runtime/" in i.filename)
            print(f"runtime  kit zip: {archive.stat().st_size / 1e6:.1f} MB (target 20 MB or less), "
                  f"of which the runtime {added / 1e6:.1f} MB")
        else:
            print(f"runtime  kit: not built ({kit.stderr.strip()[-300:]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
