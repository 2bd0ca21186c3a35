"""Practising as a trainee does, in headless chromium: what the browser job, the kit's test and the
benchmark drive.

Only the issue's contract is used: the box `[data-exercise="<id>"]`, its `.hb-practise`,
`textarea.hb-run-command`, `.hb-run`, `.hb-run-output`, `.hb-check` (then `data-check-status`),
`.hb-hint`, `.hb-solution` and `.hb-solution-text code`; the checklist's `.hb-record-export-json`
and `.hb-record-export-csv`, whose downloads are read from the folder chromium saved them in.

`practise(browser, tab, ksa, steps)` runs steps such as
    {"start": true}, {"run": "aws ..."}, {"check": true}, {"hint": true}, {"solution": true},
    {"answer": "..."} (typed into the answer's input), {"reset": true}
and returns what each showed, with the seconds it took. `axe(browser, tab)` runs the pinned
axe-core (handbook/npm.yml; injected into the page by the test, never part of the site) and
returns its violations. `journey` is the whole of what the tests ask, served or from file://
(the exercise, the checklist's status and exports, the record page, axe over each page);
`instant` moves to a second page as a reader clicks a link and Runs there.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from handbook.runtime.check import axe  # noqa: F401  (one axe driver; the tests call it from here too)

BOX = "document.querySelector('[data-exercise=\"{ksa}\"]')"
SHOWN = """(() => {{ const box = {box}; const text = (s) => (box.querySelector(s) || {{}}).textContent || '';
  return {{run: box.dataset.runStatus || '', check: box.dataset.checkStatus || '', note: text('.hb-run-output .hb-run-note'),
          stdout: text('.hb-run-stdout'), stderr: text('.hb-run-stderr'), result: text('.hb-check-result'),
          hints: [...box.querySelectorAll('.hb-hints > li:not([hidden])')].map(h => h.textContent.trim()),
          solution: box.querySelector('.hb-solution-text').hidden ? [] :
                    [...box.querySelectorAll('.hb-solution-text code')].map(c => c.textContent),
          history: [...box.querySelectorAll('.hb-history-list code')].map(c => c.textContent),
          status: box.querySelector('.hb-exercise-status').dataset.status,
          markup: box.querySelectorAll('.hb-run-output *:not(p):not(pre)').length}} }})()"""


def _click(browser, tab: str, ksa: str, selector: str) -> None:
    browser.evaluate(tab, f"{BOX.format(ksa=ksa)}.querySelector({json.dumps(selector)}).click()")


def _wait(browser, tab: str, ksa: str, timeout: float) -> None:
    """Until the box is no longer running (its buttons enabled again)."""
    box = BOX.format(ksa=ksa)
    browser.wait_for(tab, f"{box}.dataset.runStatus !== 'running' && !{box}.querySelector('.hb-run').disabled",
                     timeout=timeout)


def practise(browser, tab: str, ksa: str, steps: list[dict], *, timeout: float = 180) -> list[dict]:
    """Each step in the box of `ksa`, in order: what the box showed after it, and its seconds."""
    box = BOX.format(ksa=ksa)
    out = []
    for step in steps:
        began = time.perf_counter()
        if step.get("start"):
            browser.evaluate(tab, f"{box}.dataset.runStatus = 'running'")
            _click(browser, tab, ksa, ".hb-practise")
        elif "run" in step:
            browser.evaluate(tab, f"{box}.querySelector('textarea.hb-run-command').value = {json.dumps(step['run'])}")
            _click(browser, tab, ksa, ".hb-run")
        elif step.get("check"):
            browser.evaluate(tab, f"delete {box}.dataset.checkStatus")
            _click(browser, tab, ksa, ".hb-check")
            browser.wait_for(tab, f"{box}.dataset.checkStatus || {box}.dataset.runStatus === 'error'", timeout=timeout)
        elif "answer" in step:
            browser.evaluate(tab, f"{box}.querySelector('.hb-answer-input').value = {json.dumps(step['answer'])}")
        elif step.get("hint"):
            _click(browser, tab, ksa, ".hb-hint")
        elif step.get("solution"):
            _click(browser, tab, ksa, ".hb-solution")
        elif step.get("reset"):
            _click(browser, tab, ksa, ".hb-exercise-reset")
        _wait(browser, tab, ksa, timeout)
        shown = browser.evaluate(tab, SHOWN.format(box=box))
        shown["seconds"] = time.perf_counter() - began
        shown["step"] = step
        out.append(shown)
    return out


def downloads(browser, folder: Path) -> None:
    """Let the tab's downloads land in `folder` (chromium names them as the page asks)."""
    folder.mkdir(parents=True, exist_ok=True)
    browser.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(folder), eventsEnabled=True)


def export(browser, tab: str, folder: Path, which: str = "json", timeout: float = 30) -> Path:
    """Click the checklist's export button and return the file it downloaded into `folder`."""
    seen = {p.name for p in folder.iterdir()}
    browser.evaluate(tab, f"document.querySelector('.hb-record-export-{which}').click()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p.name not in seen and p.suffix == f".{which}"]
        if new:
            browser.settle(0.2)
            return new[0]
        browser.settle(0.1)
    raise TimeoutError(f"no .{which} download in {folder} after {timeout:.0f} s")


def journey(browser, base: str, plan: dict, folder: Path) -> dict:
    """The exercise of `plan` on its page, then the checklist (trainee named, status read, JSON and
    CSV exported into `folder`), the record page and `plan["axe"]`'s other pages, axe on each."""
    downloads(browser, folder)
    out: dict = {"axe": {}}
    tab = browser.open(base + plan["page"])
    out["steps"] = practise(browser, tab, plan["ksa"], plan["steps"])
    out["axe"][plan["page"]] = axe(browser, tab)
    browser.navigate(tab, base + "ksa/checklist.html")
    browser.evaluate(tab, f"""(() => {{ const i = document.querySelector('.hb-record-trainee');
        i.value = {json.dumps(plan.get("trainee", ""))}; i.dispatchEvent(new Event('change')); }})()""")
    item = f"document.querySelector('li[data-ksa=\"{plan['ksa']}\"]')"
    out["checklist"] = browser.evaluate(tab, f"{item}.querySelector('.hb-record-status').textContent")
    out["checklist status"] = browser.evaluate(tab, f"{item}.querySelector('.hb-record-status').dataset.status")
    out["json"] = export(browser, tab, folder, "json").read_text(encoding="utf-8")
    out["csv"] = export(browser, tab, folder, "csv").read_text(encoding="utf-8")
    out["axe"]["ksa/checklist.html"] = axe(browser, tab)
    browser.call("Emulation.setEmulatedMedia", tab, media="print")
    out["printed statuses"] = browser.evaluate(tab, """[...document.querySelectorAll('.hb-record-status, .hb-record-tools')]
        .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length).length""")
    browser.call("Emulation.setEmulatedMedia", tab, media="")
    browser.navigate(tab, base + "ksa/record.html")
    row = f"document.querySelector('tr[data-ksa=\"{plan['ksa']}\"]')"
    out["record"] = browser.evaluate(tab, f"""({{status: {row}.querySelector('.hb-record-status').dataset.status,
        commands: [...{row}.querySelectorAll('.hb-record-commands code')].map(c => c.textContent),
        summary: document.querySelector('.hb-record-summary').textContent}})""")
    out["axe"]["ksa/record.html"] = axe(browser, tab)
    for page in plan.get("axe") or []:
        browser.navigate(tab, base + page)
        browser.settle(0.2)
        out["axe"][page] = axe(browser, tab)
    browser.call("Target.closeTarget", targetId=browser.call("Target.getTargetInfo", tab)["targetInfo"]["targetId"])
    return out


def instant(browser, base: str, first: str, second: str, *, timeout: float = 180) -> dict:
    """Run the first example of `first`, click the link to `second` as a reader does, Run its first
    example: whether the page was replaced without a load (instant navigation), whether the runtime
    was downloaded again, and the seconds of each Run."""
    from handbook.runtime.check import BOXES, click_run

    seen = len(browser.requests)
    tab = browser.open(base + first)
    one = click_run(browser, tab, 0, timeout=timeout)
    browser.evaluate(tab, "window.__hbSamePage = true")
    name = second.rsplit("/", 1)[-1]
    before = len(browser.events)
    browser.evaluate(tab, f"document.querySelector('.md-nav a[href$=\"{name}\"]').click()")
    browser.wait_for(tab, f"location.pathname.endsWith({json.dumps(name)}) && {BOXES}.length > 0 && "
                          f"{BOXES}[0].dataset.snippet !== {json.dumps(one.ref)} && "
                          f"{BOXES}[0].querySelector('.hb-run') !== null", timeout=60)
    kept = bool(browser.evaluate(tab, "window.__hbSamePage === true"))
    two = click_run(browser, tab, 0, timeout=timeout)
    # read after the second Run: a new document's boxes are ready before its load event (fonts, images)
    loaded = any(e["method"] == "Page.loadEventFired" and e.get("sessionId") == tab for e in browser.events[before:])
    runtime = [u for u in browser.requests[seen:] if u.endswith("assets/runtime/packages.js")]
    browser.call("Target.closeTarget", targetId=browser.call("Target.getTargetInfo", tab)["targetInfo"]["targetId"])
    return {"first": {"ref": one.ref, "status": one.status, "seconds": one.seconds},
            "second": {"ref": two.ref, "status": two.status, "seconds": two.seconds, "note": two.note},
            "page loaded": loaded, "same page": kept, "runtime downloads": len(runtime)}
