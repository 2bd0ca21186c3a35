"""Clicking Run as a reader does, in headless chromium: what the tests and the benchmark measure.

`run_page` opens a page of a built site (served on loopback, or from file://), clicks the Run
button of every runnable example in turn, and returns what each showed: its status, its output
as the page holds it (text), the stages the progress bar named and the seconds it took. It
drives only the page's contract (handbook/runtime/assets/run.js): `[data-snippet]`, `.hb-run`,
`.hb-run-output`, `data-run-status`.

`compare` says whether an output is the example's recorded one, after the suite's reviewed
normalisations (handbook.examples.cli.NORMALISATIONS).

    python -m handbook.runtime.check PLAN.json OUT.json

builds the site of PLAN's `config` (as `make build` does), serves it, and writes what a plan
asks for: every runnable page clicked through (`pages`), `scenarios` (on one page, a sequence of
Runs, each of an example's box, with the command typed into it or as written), a page served
with some of the runtime's files `missing`, `practise` (an exercise end to end, the record's
pages, axe, and moving to a second page with instant navigation: handbook.training.browser),
whole `investigations` (`investigate`: a drill's panel, as a trainee goes through it) and the
`athena` page's SQL boxes (`athena_page`). The tests start it in the background at the start of
the suite (tests/runtime/conftest.py), so that it runs beside the rest, and read its results.
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from handbook.kit.chromium import Browser

BOXES = "[...document.querySelectorAll('[data-snippet]')]"
STATUS = BOXES + "[{i}].dataset.runStatus"
STAGE = "(document.querySelector('.hb-run-progress:not([hidden]) .hb-run-stage') || {}).textContent || ''"
OUTPUT = """(() => {{ const box = {boxes}[{i}], out = box.querySelector('.hb-run-output');
  const text = (selector) => (out.querySelector(selector) || {{}}).textContent || '';
  return {{stdout: text('.hb-run-stdout'), stderr: text('.hb-run-stderr'), note: text('.hb-run-note'),
          exit: text('.hb-run-exit'), button: box.querySelector('.hb-run').textContent,
          markup: out.querySelectorAll('*:not(p):not(pre)').length,
          evidence: [...document.querySelectorAll('.hb-drill-evidence li.found')].map(li => li.dataset.reveal)}} }})()"""


@dataclass
class Ran:
    ref: str
    status: str
    stdout: str
    stderr: str
    note: str
    exit: str
    button: str
    markup: int  # elements in the output other than its own paragraphs and blocks: must be 0
    seconds: float
    evidence: list[str] = field(default_factory=list)  # a drill's checklist: what is ticked on the page
    stages: list[str] = field(default_factory=list)


@dataclass
class Page:
    url: str
    ran: list[Ran]
    requests_before_run: list[str]
    requests: list[str]


def click_run(browser: Browser, tab: str, index: int, *, command: str | None = None, reset: bool = False,
              timeout: float = 120) -> Ran:
    """Click the Run button of the index-th example (after typing `command` into it, if given), or its Reset."""
    box = f"{BOXES}[{index}]"
    if command is not None:
        browser.evaluate(tab, f"{box}.querySelector('.hb-run-edit').click()")
        browser.evaluate(tab, f"{box}.querySelector('textarea.hb-run-command').value = {json.dumps(command)}")
    ref = browser.evaluate(tab, f"{box}.dataset.snippet")
    start = time.perf_counter()
    browser.evaluate(tab, f"{box}.querySelector('{'.hb-run-reset' if reset else '.hb-run'}').click()")
    stages: list[str] = []
    while True:
        status = browser.evaluate(tab, STATUS.format(i=index))
        stage = browser.evaluate(tab, STAGE)
        if stage and (not stages or stages[-1] != stage):
            stages.append(stage)
        if status in ("ok", "error"):
            break
        if time.perf_counter() - start > timeout:
            status = f"still {status!r} after {timeout:.0f} s"
            break
        browser.settle(0.05)
    seconds = time.perf_counter() - start
    shown = browser.evaluate(tab, OUTPUT.format(boxes=BOXES, i=index))
    return Ran(ref, status, shown["stdout"], shown["stderr"], shown["note"], shown["exit"], shown["button"],
               shown["markup"], seconds, shown["evidence"], stages)


def run_page(browser: Browser, url: str) -> Page:
    """Open `url` in a new tab and Run every example on it, in page order."""
    seen = len(browser.requests)
    tab = browser.open(url)
    browser.settle(0.3)
    before = browser.requests[seen:]
    count = browser.evaluate(tab, BOXES + ".length")
    ran = [click_run(browser, tab, i) for i in range(count)]
    browser.call("Target.closeTarget", targetId=browser.call("Target.getTargetInfo", tab)["targetInfo"]["targetId"])
    return Page(url, ran, list(before), browser.requests[seen:])


def compare(recorded: str, shown: str) -> bool:
    from handbook.examples.cli import normalise
    from handbook.examples.recording import as_terminal_shows

    return normalise(as_terminal_shows(recorded)).strip() == normalise(shown).strip()


def runnable_pages(site: Path) -> list[str]:
    """The pages of a built site with a runnable example, as paths relative to it."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if 'class="hb-example" data-snippet=' in p.read_text(encoding="utf-8"))


def run_steps(browser: Browser, url: str, steps: list[dict]) -> list[Ran]:
    """On a fresh load of `url`, Run box `step["box"]` with `step.get("command")`, for each step in order;
    a step `{"start": true}` clicks the page's first Start drill instead."""
    tab = browser.open(url)
    return [start_drill(browser, tab) if step.get("start") else
            click_run(browser, tab, step["box"], command=step.get("command"), reset=step.get("reset", False))
            for step in steps]


def start_drill(browser: Browser, tab: str, timeout: float = 120) -> Ran:
    """Click the first Start drill of the page; its panel stands for a box in the result."""
    panel = "document.querySelector('.hb-drill')"
    start = time.perf_counter()
    browser.evaluate(tab, f"{panel}.querySelector('.hb-drill-start').click()")
    browser.wait_for(tab, f"['ok', 'error'].includes({panel}.dataset.runStatus)", timeout=timeout)
    shown = browser.evaluate(tab, f"""({{status: {panel}.dataset.runStatus, drill: {panel}.dataset.drill,
        note: {panel}.querySelector('.hb-drill-note').textContent,
        count: {panel}.querySelector('.hb-drill-count').textContent,
        items: [...{panel}.querySelectorAll('li[data-reveal]')].map(li => li.dataset.reveal)}})""")
    return Ran(shown["drill"], shown["status"], "", "", shown["note"], shown["count"], "Start drill", 0,
               time.perf_counter() - start, shown["items"])


SQL_BOX = "document.querySelectorAll('[data-sql]')[{i}]"


def run_sql(browser: Browser, tab: str, box: str, text: str | None = None, timeout: float = 180) -> dict:
    """Click Run of the SQL box `box` (an expression; after typing `text` into it, if given): what it showed."""
    if text is not None:
        browser.evaluate(tab, f"{box}.querySelector('.hb-run-edit').click()")
        browser.evaluate(tab, f"{box}.querySelector('textarea').value = {json.dumps(text)}")
    start = time.perf_counter()
    browser.evaluate(tab, f"(() => {{ delete {box}.dataset.runStatus; {box}.querySelector('.hb-run').click(); }})()")
    stages: list[str] = []
    while True:
        status = browser.evaluate(tab, f"{box}.dataset.runStatus")
        stage = browser.evaluate(tab, STAGE)
        if stage and (not stages or stages[-1] != stage):
            stages.append(stage)
        if status in ("ok", "error") or time.perf_counter() - start > timeout:
            break
        browser.settle(0.05)
    shown = browser.evaluate(tab, f"""(() => {{ const box = {box}, table = box.querySelector('.hb-run-output table');
        return {{ref: box.dataset.sql, status: box.dataset.runStatus, engine_seconds: Number(box.dataset.seconds || 0),
                 run_seconds: Number(box.dataset.runSeconds || 0), load_seconds: Number(box.dataset.engineSeconds || 0),
                 note: (box.querySelector('.hb-run-note') || {{}}).textContent || '',
                 columns: table ? [...table.querySelectorAll('th')].map(c => c.textContent) : [],
                 rows: table ? [...table.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.textContent)) : [],
                 markup: box.querySelectorAll('.hb-run-output *:not(p):not(table):not(caption):not(thead):not(tbody)'
                                              + ':not(tr):not(th):not(td)').length}} }})()""")
    return {**shown, "seconds": time.perf_counter() - start, "stages": stages}


def athena_page(browser: Browser, url: str, queries: list[str]) -> dict:
    """Every SQL box of the page run as written, in order, then the last one with each of `queries` typed in."""
    seen = len(browser.requests)
    tab = browser.open(url)
    browser.settle(0.3)
    before = browser.requests[seen:]
    count = browser.evaluate(tab, "document.querySelectorAll('[data-sql]').length")
    boxes = [run_sql(browser, tab, SQL_BOX.format(i=i)) for i in range(count)]
    typed = [run_sql(browser, tab, SQL_BOX.format(i=count - 1), text) for text in queries]
    return {"boxes": boxes, "typed": typed, "axe": axe(browser, tab, [".hb-sql"]),
            "requests before run": before, "requests": browser.requests[seen:]}


PANEL = "document.querySelector('.hb-investigation')"
QUESTION = PANEL + ".querySelector('[data-question=\"{id}\"]')"


def investigate(browser: Browser, url: str, name: str, shots: Path | None = None, timeout: float = 180) -> dict:
    """A whole investigation of scenarios/<name>.yml on the page at `url`, as a trainee does it: Start; a wrong
    answer; a hint; an Athena question answered with its SQL (the engine's first load, then once more);
    every answer right; the recorded containment typed as commands of one's own; containment verified.
    What the page showed at each step, with times; screenshots into `shots`, if given."""
    from handbook.training import investigation

    found = investigation.load(name)
    tab = browser.open(url)
    browser.settle(0.3)
    out: dict = {"url": url}

    def wait(expression: str) -> None:
        browser.wait_for(tab, expression, timeout=timeout)

    def shot(label: str, where: str) -> None:
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            browser.evaluate(tab, f"{where}.scrollIntoView({{block: 'center'}})")
            browser.settle(0.3)
            browser.screenshot(tab, shots / f"{name}-{label}.png")

    def answer(question: str, given: str) -> str:
        browser.evaluate(tab, f"(() => {{ const q = {QUESTION.format(id=question)}; q.querySelector('input').value = "
                              f"{json.dumps(given)}; delete q.dataset.answerStatus; q.querySelector('.hb-answer').click(); }})()")
        wait(f"{QUESTION.format(id=question)}.dataset.answerStatus")
        return browser.evaluate(tab, f"{QUESTION.format(id=question)}.dataset.answerStatus")

    def note(question: str) -> str:
        return browser.evaluate(tab, f"{QUESTION.format(id=question)}.querySelector('.hb-question-note').textContent")

    # Start: the runtime loads (cold), then a second Start measures Start to ready with it loaded
    for attempt in ("cold", "warm"):
        start = time.perf_counter()
        browser.evaluate(tab, f"{PANEL}.querySelector('.hb-drill-start').click()")
        wait(f"{PANEL}.dataset.investigationStatus === 'started' && {PANEL}.dataset.runStatus === 'ok' && "
             f"{PANEL}.querySelector('.hb-score').textContent !== ''")
        out[f"start seconds {attempt}"] = time.perf_counter() - start
        browser.evaluate(tab, f"{PANEL}.dataset.investigationStatus = ''")
    out["briefing"] = browser.evaluate(tab, f"{PANEL}.querySelector('.hb-briefing').textContent")
    out["questions"] = browser.evaluate(tab, f"[...{PANEL}.querySelectorAll('[data-question]')].map(q => q.dataset.question)")
    out["labelled"] = browser.evaluate(tab, f"[...{PANEL}.querySelectorAll('[data-question] input')].every(i => i.labels.length === 1)")
    out["panel text"] = browser.evaluate(tab, f"{PANEL}.querySelector('.hb-investigation-body').textContent")
    shot("briefing", f"{PANEL}.querySelector('.hb-briefing')")
    first = found.questions[0]
    out["wrong"] = {"given": first.wrong[0], "status": answer(first.id, first.wrong[0]), "note": note(first.id)}
    shot("refused", QUESTION.format(id=first.id))
    hinted = found.questions[1]
    browser.evaluate(tab, f"{QUESTION.format(id=hinted.id)}.querySelector('.hb-hint').click()")
    wait(f"{QUESTION.format(id=hinted.id)}.querySelectorAll('.hb-hints li').length === 1")
    out["hint"] = browser.evaluate(tab, f"{QUESTION.format(id=hinted.id)}.querySelector('.hb-hints li').textContent")
    asked = next(q for q in found.questions if q.sql)
    athena = f"{PANEL}.querySelector('.hb-athena')"
    out["sql"] = [run_sql(browser, tab, athena, asked.sql, timeout) for _ in ("first", "again")]
    shot("athena", athena)
    out["sql question"] = {"id": asked.id, "sql": asked.sql}
    out["right"] = {}
    for q in found.questions:
        expect = q.expect[0] if isinstance(q.expect, list) else q.expect
        out["right"][q.id] = {"given": str(expect), "status": answer(q.id, str(expect)), "note": note(q.id)}
    out["commands"] = []
    console = f"{PANEL}.querySelector('.hb-console')"
    for command in found.contain:
        browser.evaluate(tab, f"(() => {{ const box = {console}; box.querySelector('textarea').value = {json.dumps(command)}; "
                              "delete box.dataset.runStatus; box.querySelector('.hb-run').click(); })()")
        wait(f"['ok', 'error'].includes({console}.dataset.runStatus)")
        out["commands"].append({"command": command, "status": browser.evaluate(tab, f"{console}.dataset.runStatus")})
    browser.evaluate(tab, f"{PANEL}.querySelector('.hb-contain-check').click()")
    wait(f"{PANEL}.dataset.investigationStatus === 'contained' || "
         f"{PANEL}.querySelector('.hb-containment-result').textContent.startsWith('Not contained')")
    wait(f"{PANEL}.querySelector('.hb-score').textContent.includes('contained ')")
    out["status"] = browser.evaluate(tab, f"{PANEL}.dataset.investigationStatus")
    out["containment"] = browser.evaluate(tab, f"{PANEL}.querySelector('.hb-containment-result').textContent")
    out["score"] = browser.evaluate(tab, f"{PANEL}.querySelector('.hb-score').textContent")
    out["record"] = browser.evaluate(tab, "JSON.parse(localStorage.getItem('handbook-record') || 'null')")
    shot("score", f"{PANEL}.querySelector('.hb-score')")
    out["start seconds in page"] = browser.evaluate(tab, f"Number({PANEL}.dataset.startSeconds)")
    out["axe"] = axe(browser, tab, [".hb-investigation", ".hb-sql"])
    return out


def axe(browser: Browser, tab: str, include: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the tab (WCAG 2.x A and AA, best practice), as {id, impact, help, targets}:
    the pinned axe-core, put into the page by the test, never part of the site; `include`: selectors
    of the parts to check (default: the whole page)."""
    from handbook import npm

    source = npm.members(npm.pinned("axe-core"), ["package/axe.min.js"])["package/axe.min.js"].decode()
    browser.evaluate(tab, source + "\n;true")
    context = json.dumps({"include": [[s] for s in include]}) if include else "document"
    return browser.evaluate(tab, f"""axe.run({context}, {{runOnly: {{type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}, resultTypes: ['violations']}})
        .then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.map(n => n.target.join(' '))}})))""")


class Served:
    """A built site served on 127.0.0.1 (a free port) for as long as the `with` lasts."""

    def __init__(self, site: Path, missing: tuple[str, ...] = ()):
        handler = functools.partial(Quiet, directory=str(site), missing=missing)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> Served:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_) -> None:
        self.server.shutdown()
        self.server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves quietly; answers 404 for the `missing` paths, as a site that lost those files would."""

    def __init__(self, *args, missing: tuple[str, ...] = (), **kwargs):
        self.missing = missing
        super().__init__(*args, **kwargs)

    def send_head(self):
        if self.path.lstrip("/").split("?")[0] in self.missing:
            self.send_error(404)
            return None
        return super().send_head()

    def log_message(self, *_) -> None:
        pass


def build(config: Path, into: Path, site_url: str | None = None) -> None:
    """The site as `make build` makes it (published at `site_url`, when given: instant navigation);
    a failed build is an error with mkdocs's words."""
    import os
    import subprocess

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env["HANDBOOK_SITE_URL"] = site_url
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(into)],
                          capture_output=True, text=True, env=env, cwd=config.parent)
    if done.returncode != 0:
        raise RuntimeError(f"the site did not build:\n{done.stdout}{done.stderr}")


def main(plan_file: str, out: str) -> int:
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    site = Path(plan["site"])
    start = time.perf_counter()
    served = Served(site)  # its address first: the site is built as published there
    build(Path(plan["config"]), site, served.url)
    results: dict = {"build seconds": time.perf_counter() - start, "pages": [], "scenarios": {}, "missing": None}
    with Browser(loopback=True, record_requests=True) as browser:
        with served:
            if practise := plan.get("practise"):  # the Practise box, the record, axe (handbook.training.browser)
                from handbook.training import browser as trainee

                results["practise"] = trainee.journey(browser, served.url, practise, site.parent / "downloads")
                results["instant"] = trainee.instant(browser, served.url, *practise["instant"])
            if plan.get("pages"):
                results["pages"] = [asdict(run_page(browser, served.url + page)) for page in runnable_pages(site)]
            for name, scenario in (plan.get("scenarios") or {}).items():
                results["scenarios"][name] = [asdict(ran) for ran in
                                              run_steps(browser, served.url + scenario["page"], scenario["steps"])]
            for one in plan.get("investigations") or []:
                shots = Path(one["shots"]) if one.get("shots") else None
                results.setdefault("investigations", {})[one["name"]] = investigate(browser, served.url + one["page"],
                                                                                   one["name"], shots)
            if athena := plan.get("athena"):
                results["athena"] = athena_page(browser, served.url + athena["page"], athena["queries"])
        if missing := plan.get("missing"):
            with Served(site, tuple(missing["files"])) as served:
                tab = browser.open(served.url + missing["page"])
                ran = [click_run(browser, tab, 0)]
                # the rest of the page still works: the example's tabs switch
                browser.evaluate(tab, BOXES + "[0].querySelectorAll('.tabbed-labels label')[1].click()")
                switched = browser.evaluate(tab, BOXES + "[0].querySelectorAll('.tabbed-set > input')[1].checked")
                results["missing"] = {"ran": [asdict(r) for r in ran], "tabs switch": switched}
    results["seconds"] = time.perf_counter() - start
    Path(out).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
