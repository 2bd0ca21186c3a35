"""The in-page checks: a browser job that starts with the suite and runs beside it.

Every runnable example of every page is clicked through in headless chromium against the
served site (handbook.runtime.check). A cold page load costs the runtime's start (seconds), so
the job starts as soon as the suite is collected, in its own process on the machine's other
core, and the tests that read its results run last. Without chromium they skip, saying so;
HANDBOOK_REQUIRE_BROWSER=1 (.ci/run) turns that into a failure. HANDBOOK_IN_PAGE_RESULTS=FILE
reads the results of a job run before (`python -m handbook.runtime.check PLAN.json FILE`)
instead of starting one, for working on the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from handbook.kit import chromium

ROOT = Path(__file__).resolve().parents[2]
IN_PAGE = ("tests/runtime/test_in_page.py", "tests/runtime/test_practise_in_page.py")
WRONG = "aws cloudtrail update-trail --name org-audit --no-enable-log-file-validation"
RIGHT = "aws cloudtrail update-trail --name org-audit --enable-log-file-validation"
# An exercise end to end (handbook.training.browser.journey), as a trainee does it; the kit's test does the same.
PRACTISE = {
    "page": "services/cloudtrail.html", "ksa": "ct-s08", "trainee": "Dana Reyes",
    "steps": [
        {"start": True},
        {"run": WRONG},
        {"check": True},
        {"hint": True},
        {"run": "aws cloudtrail describe-trails | grep org-audit"},  # refused: not run, not recorded
        {"run": RIGHT},
        {"check": True},
        {"solution": True},  # after the pass: it stays passed, not passed with the solution shown
    ],
    # besides the exercise's page, the checklist and the record page: a drill's panel (its evidence checklist)
    "axe": ["playbooks/credential-compromise.html"],
    # a Run on the first page, then the link to the second as a reader clicks it (instant navigation)
    "instant": ["services/cloudtrail.html", "services/s3.html"],
}
MALICIOUS = "<img src=x onerror=alert(1)><b onmouseover=alert(2)>bold</b>"  # no <name>: not a placeholder

# Typed into the Athena page's last SQL box: two that the suite's DuckDB answers too, two that fail.
ATHENA_QUERIES = [
    "SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname ORDER BY n DESC, eventname",
    "SELECT useridentity.type, useridentity.username, eventtime FROM cloudtrail_logs WHERE errorcode IS NULL "
    "ORDER BY eventtime LIMIT 3",
    "SELECT nothing FROM cloudtrail_logs",
    "SELECT eventname FROM cloudtrail_logs WHERE",
]

# What the job does, besides clicking every example of every page.
PLAN = {
    "pages": True,
    "scenarios": {
        # On the CloudTrail page, in the box of create-trail.sh (0) and of describe-trails.sh (2).
        "edit": {"page": "services/cloudtrail.html", "steps": [
            {"box": 0},
            {"box": 0, "command": "aws cloudtrail create-trail --name Drill --s3-bucket-name my-bucket"},
            {"box": 0, "command": "aws cloudtrail describe-trails"},
            {"box": 0, "command": "   "},
            {"box": 0, "command": "ls -la"},
            {"box": 0, "command": "aws cloudtrail describe-trails | grep Drill"},
            {"box": 0, "command": "aws s3 ls s3://$(whoami)"},
            {"box": 0, "command": "aws dynamodb list-tables"},
            {"box": 0, "command": "aws cloudtrail describe-trails --endpoint-url https://cloudtrail.example.com"},
            {"box": 0, "command": f"aws s3api list-objects-v2 --bucket my-bucket --prefix '{MALICIOUS}'"},
            {"box": 0, "command": "aws cloudtrail describe-trails"},
            {"box": 2},
            {"box": 2, "command": "aws cloudtrail delete-trail --name Trail2"},
            {"box": 2, "reset": True},
            {"box": 2, "command": "aws cloudtrail describe-trails"},
        ]},
        # A drill: Start drill, its first step as written, then a command of the reader's own.
        "drill": {"page": "playbooks/credential-compromise.html", "steps": [
            {"start": True},
            {"box": 0},
            {"box": 1, "command": "aws iam list-users --query 'Users[].UserName'"},
        ]},
    },
    "missing": {"page": "services/s3.html", "files": ["assets/runtime/packages.js"]},
    "practise": PRACTISE,
    # Issue 20: a whole investigation on a playbook's drill panel and on an incident page of the
    # handbook's own; the Athena page's SQL boxes as written, then queries typed into the last one.
    "investigations": [
        {"page": "playbooks/credential-compromise.html", "name": "credential-compromise"},
        {"page": "playbooks/console-login-without-mfa.html", "name": "console-login-without-mfa"},
    ],
    "athena": {"page": "services/athena.html", "queries": ATHENA_QUERIES},
}


class Job:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="handbook-in-page-"))
        self.results = self.folder / "results.json"
        self.log = self.folder / "job.log"
        plan = dict(PLAN, config=str(ROOT / "mkdocs.yml"), site=str(self.folder / "site"))
        (self.folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "handbook.runtime.check", str(self.folder / "plan.json"),
                                             str(self.results)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 1500) -> dict:
        code = self.process.wait(timeout=timeout)
        if code != 0:
            pytest.fail(f"the in-page browser job failed (exit {code}):\n{self.log.read_text()[-4000:]}", pytrace=False)
        return json.loads(self.results.read_text(encoding="utf-8"))


_job: Job | None = None


def pytest_collection_modifyitems(session, config, items):
    """The in-page tests last: by then their job, started now, has had the whole suite's time."""
    global _job
    mine = [item for item in items if item.nodeid.startswith(IN_PAGE)]
    if not mine:
        return
    items[:] = [item for item in items if not item.nodeid.startswith(IN_PAGE)] + mine
    if chromium.find() is not None and not os.environ.get("HANDBOOK_IN_PAGE_RESULTS"):
        _job = Job()


def pytest_unconfigure(config):
    if _job is not None and _job.process.poll() is None:
        _job.process.kill()


@pytest.fixture(scope="session")
def in_page() -> dict:
    if os.environ.get("HANDBOOK_IN_PAGE_RESULTS"):
        return json.loads(Path(os.environ["HANDBOOK_IN_PAGE_RESULTS"]).read_text(encoding="utf-8"))
    if _job is None:
        reason = "chromium is not installed (Debian: apt-get install chromium; `make test` installs it as root)"
        if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; HANDBOOK_REQUIRE_BROWSER=1 does not allow skipping", pytrace=False)
        pytest.skip(reason)
    return _job.wait()
