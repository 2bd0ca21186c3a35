"""Runbook mode on public repositories nobody here wrote, against the hand labels of tests/corpus/labels.yml.

    python bench/corpus.py ROOT

ROOT holds one checkout per repository of the labels, in a folder named `owner+name` (at the
commit the labels name; a git checkout is checked against it). Nothing is fetched here: get them
with `git clone` and `git checkout <commit>`, or export them from a mirror. Each is checked as
`handbook check --runbook` checks a folder, and every error is matched by (repository, path,
line, rule) with its label. Prints, per repository and in all: the aws commands found, how many
awscli accepts, the errors, the real defects among them, and the false alarms: errors labelled
`false-alarm` that are still reported, and errors nobody labelled yet (to label by hand). The
labelled false alarms the check no longer reports are counted as silenced. A report: nothing is
asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "corpus" / "labels.yml"


def checkout_commit(folder: Path) -> str | None:
    if not (folder / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="the folder holding one owner+name checkout per repository")
    args = parser.parse_args()
    from handbook import check

    document = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    labels = {(item["repo"], item["path"], item["line"], item["rule"]): item for item in document["labels"]}
    totals = dict.fromkeys(("commands", "accepted", "errors", "defects", "false alarms", "unlabelled", "silenced"), 0)
    for repository in document["repositories"]:
        repo, commit = repository["repo"], repository["commit"]
        folder = args.root / repo.replace("/", "+")
        if not folder.is_dir():
            print(f"{repo}: no checkout at {folder}; skipped")
            continue
        at = checkout_commit(folder)
        if at is not None and at != commit:
            print(f"{repo}: the checkout is at {at}, the labels at {commit}: lines may not match")
        findings = check.run([folder], mode="runbook")
        seen = set()
        counts = dict.fromkeys(totals, 0)
        for finding in findings:
            counts["commands"] += finding.kind == "cli"
            counts["accepted"] += finding.kind == "cli" and finding.status == "ok"
            if finding.status != "error":
                continue
            counts["errors"] += 1
            path = Path(finding.path).resolve().relative_to(folder.resolve()).as_posix()
            key = (repo, path, finding.line, finding.kind)
            seen.add(key)
            label = labels.get(key)
            if label is None:
                counts["unlabelled"] += 1
                print(f"  unlabelled: {path}:{finding.line}: {finding.kind}: {finding.message[:160]}")
            elif label["label"] == "defect":
                counts["defects"] += 1
            else:
                counts["false alarms"] += 1
                print(f"  false alarm: {path}:{finding.line}: {finding.kind}: {label['reason']}")
        counts["silenced"] = sum(1 for key, item in labels.items()
                                 if key[0] == repo and item["label"] == "false-alarm" and key not in seen)
        print(f"{repo}: " + ", ".join(f"{counts[name]} {name}" for name in totals))
        for name in totals:
            totals[name] += counts[name]
    print("all: " + ", ".join(f"{totals[name]} {name}" for name in totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
