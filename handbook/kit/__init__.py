"""The offline IR kit: the site for file://, a bookmarked PDF, a manifest and SHA256SUMS, zipped.

    dist/td-ir-handbook-<version>/
        site/            the handbook, opened from site/index.html with no network
        handbook.pdf     the whole handbook, with a cover, contents and bookmarks
        manifest.json    version, build date, source commit, tools, example-verification summary
        SHA256SUMS       of every other file (`sha256sum -c SHA256SUMS`)
    dist/td-ir-handbook-<version>.zip

Everything is built in a temporary folder inside the output folder and swapped in at the end,
so a failed build leaves the previous kit as it was and nothing half-made. Every date in the
kit is SOURCE_DATE_EPOCH, by default the time of the source commit: the same commit gives the
same files.
"""

from __future__ import annotations

import json
import os
from collections import Counter
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from handbook import npm
from handbook.errors import HandbookError
from handbook.kit import archive, chromium, pdf, scan, source

ROOT = Path(__file__).resolve().parents[2]
# the example-verification summary, when one was written, e.g. `handbook check --json . > build/examples-summary.json`
EXAMPLES_SUMMARY = Path("build") / "examples-summary.json"
TOOLS = ("mkdocs", "mkdocs-material", "mkdocs-print-site-plugin", "pypdf")
KIT_PACKAGES = ("iframe-worker", "@fontsource/roboto", "@fontsource/roboto-mono", "pyodide")  # of handbook/npm.yml


@dataclass(frozen=True)
class Kit:
    folder: Path
    zip: Path
    manifest: dict
    seconds: float


def build(root: Path = ROOT, out: Path | None = None, *, config: Path | None = None,
          examples: Path | None = None, fetch: bool = True) -> Kit:
    """Build the kit of the project at `root` into `out` (default: root/dist)."""
    start = time.perf_counter()
    found = source.read(root)
    out = Path(out) if out else root / "dist"
    name = f"td-ir-handbook-{found.version}"
    config = (Path(config) if config else root / "mkdocs.yml").resolve()
    examples = Path(examples) if examples else root / EXAMPLES_SUMMARY

    browser = chromium.find()
    if browser is None:
        raise HandbookError(out / name, None, "cannot print the PDF: chromium is not installed "
                            f"({chromium.INSTALL}); no kit was built")
    for package in KIT_PACKAGES:
        (npm.fetch if fetch else npm.verified)(npm.pinned(package))
    summary = read_summary(examples)

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    try:
        kit = work / name
        site(config, kit / "site", found.epoch)
        printed = pdf.print_site(kit / "site", kit / "handbook.pdf", version=found.version, epoch=found.epoch,
                                 binary=browser)
        facts = manifest(found, printed, summary)
        archive.write_manifest(kit, facts)
        archive.write_sums(kit)
        archive.write_zip(kit, work / f"{name}.zip", found.epoch)
        archive.swap(kit, out / name, trash=work / "previous")
        os.replace(work / f"{name}.zip", out / f"{name}.zip")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Kit(out / name, out / f"{name}.zip", facts, time.perf_counter() - start)


def site(config: Path, into: Path, epoch: int) -> None:
    """The offline variant of the site: mkdocs with HANDBOOK_OFFLINE=true, strict, as its own process."""
    env = dict(os.environ, HANDBOOK_OFFLINE="true", SOURCE_DATE_EPOCH=str(epoch), NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(into)],
                          capture_output=True, text=True, env=env, cwd=config.parent)
    if done.returncode != 0:
        raise HandbookError(config, None, "the offline build of the site failed; no kit was built:\n"
                            + (done.stdout + done.stderr).strip())
    if external := scan.external_references(into):
        raise HandbookError(config, None, f"the offline site would fetch {len(external)} thing(s) from the network; "
                            "no kit was built:\n" + "\n".join(map(str, external)))


def read_summary(path: Path) -> dict | None:
    """The example-verification summary, when the file exists: a JSON object, kept as it is, or
    the findings of `handbook check --json` (a list), counted by status."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise HandbookError(path, err.lineno, f"the example-verification summary is not JSON: {err.msg}") from None
    if isinstance(data, list):
        try:
            return {"findings": len(data), **Counter(finding["status"] for finding in data)}
        except (TypeError, KeyError):
            raise HandbookError(path, None, "a list here must hold the findings of `handbook check --json`") from None
    return data


def manifest(found: source.Source, printed: dict, summary: dict | None) -> dict:
    facts = {
        "name": "td-ir-handbook",
        "version": found.version,
        "build_date": found.date,
        "source_commit": found.commit,
        "source_changes": found.changed,
        "open": {"site": "site/index.html", "pdf": "handbook.pdf", "checksums": archive.SUMS},
        "pdf": {"pages": printed["pages"], "bookmarks": printed["bookmarks"], "fonts": printed["fonts"]},
        "tools": {**{tool: metadata.version(tool) for tool in TOOLS},
                  **{name: npm.pinned(name).version for name in KIT_PACKAGES},
                  "chromium": printed["chromium"]},
    }
    if summary is not None:
        facts["examples"] = summary
    return facts


def report(kit: Kit) -> str:
    pdf_facts = kit.manifest["pdf"]
    return (f"kit {kit.folder} ({len(archive.files(kit.folder / 'site'))} site files, handbook.pdf "
            f"{pdf_facts['pages']} pages, {pdf_facts['bookmarks']} bookmarks) and {kit.zip.name} "
            f"({kit.zip.stat().st_size / 1e6:.1f} MB) in {kit.seconds:.1f} s")
