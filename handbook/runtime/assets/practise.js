/* The Practise box under a Skill: the task, an account of its own, and Check, Hint, Show solution.
 *
 * The box's markup is the build's (handbook/training/page.py); this script only runs it. The
 * account lives in the in-page runtime of run.js (window.hbRuntime: one worker, one queue, one
 * account at a time). An exercise's account is keyed "exercise:<id>" and is prepared by the
 * exercise's `start` (the worker's "practise" message). Its state is the start plus the commands
 * the record holds for the exercise, in order: when another box has used the account meanwhile,
 * or after a reload, the worker prepares it again and replays them before the next command, so
 * the trainee finds the account as they left it.
 *
 * What is recorded (window.hbRecord, record.js): each command that ran (a refused one runs
 * nothing and is not recorded), the hints taken, the answer given, and once Check passes,
 * "passed", or "passed-with-solution" when the solution was shown first. Start over forgets the
 * exercise's record and starts a fresh account.
 *
 * Keys in the command box: Enter runs, Shift+Enter starts a new line, Up and Down (on the first
 * or last line) recall the commands run before. Output is set as text, never as markup.
 */
(() => {
  "use strict";

  const WORDS = { "": "not started", practised: "practised", passed: "passed",
                  "passed-with-solution": "passed with the solution shown" };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const record = () => window.hbRecord;

  function unavailable(box, why) {
    box.querySelector(".hb-run-output").replaceChildren(element("p", "hb-run-note", why));
    box.dataset.runStatus = "error";
  }

  // One message to the worker, in run.js's queue (commands of every box share one account).
  function ask(box, message, done) {
    const runtime = window.hbRuntime;
    if (!runtime) {
      unavailable(box, "The in-page runtime is not loaded on this page, so the exercise cannot run here.");
      return Promise.resolve();
    }
    box.dataset.runStatus = "running";
    for (const b of box.querySelectorAll(".hb-run, .hb-check")) b.disabled = true;
    return runtime.queue(async () => {
      try {
        let call;
        try {
          call = await runtime.load(runtime.progressOf(box));
        } catch (error) {
          unavailable(box, `The in-page runtime could not start: ${error.message}. The rest of the page works as before.`);
          return;
        } finally {
          box.querySelector(".hb-run-progress").hidden = true;
        }
        try {
          await done(await call({ ...message, ksa: box.dataset.exercise }));
        } catch (error) {
          unavailable(box, `The in-page runtime stopped: ${error.message}. Run again to start a new one.`);
        }
      } finally {
        for (const b of box.querySelectorAll(".hb-run, .hb-check")) b.disabled = false;
      }
    });
  }

  function ran(id) {
    const entry = record() && record().exercise(id);
    return entry ? entry.commands.slice() : [];
  }

  function showStatus(box) {
    const entry = record() && record().exercise(box.dataset.exercise);
    const status = entry ? entry.status : "";
    const mark = box.querySelector(".hb-exercise-status");
    mark.dataset.status = status;
    mark.textContent = status ? `${WORDS[status]}${entry.date ? `, ${entry.date.slice(0, 10)}` : ""}` : "";
    const list = box.querySelector(".hb-history-list");
    const commands = entry ? entry.commands : [];
    list.replaceChildren(...commands.map((c) => { const li = element("li"); li.append(element("code", "", c)); return li; }));
    box.querySelector(".hb-history").hidden = commands.length === 0;
    const hints = [...box.querySelectorAll(".hb-hints > li")];
    const taken = Math.max(entry ? entry.hints : 0, hints.filter((h) => !h.hidden).length);
    hints.forEach((h, i) => { h.hidden = i >= taken; });
    const hintButton = box.querySelector(".hb-hint");
    hintButton.disabled = taken >= hints.length;
    const answer = box.querySelector(".hb-answer-input");
    if (answer && entry && entry.answer && !answer.value) answer.value = entry.answer;
  }

  function prepare(box) {
    const commands = ran(box.dataset.exercise);
    return ask(box, { type: "practise", commands }, (result) => {
      window.hbRuntime.show(box, result);
    });
  }

  function run(box) {
    const area = box.querySelector("textarea.hb-run-command");
    const command = area.value.replace(/\s+$/, "");
    const id = box.dataset.exercise;
    if (!command.trim()) {
      unavailable(box, "Nothing to run: type an aws command.");
      return Promise.resolve();
    }
    box.recall = { list: null, at: -1 };
    return ask(box, { type: "exercise", command, history: ran(id) }, (result) => {
      window.hbRuntime.show(box, result);
      if (result.ran) {
        record().update(id, (entry) => { entry.commands.push(command); });
        area.value = "";
      }
      showStatus(box);
    });
  }

  function conditionItem(condition) {
    const item = element("li", condition.holds ? "hb-holds" : "hb-fails");
    item.append(element("strong", "", condition.holds ? "Holds: " : "Does not hold: "),
                condition.holds ? condition.that : `${condition.that}. ${condition.detail || ""}`.trim());
    return item;
  }

  function check(box) {
    const id = box.dataset.exercise;
    const input = box.querySelector(".hb-answer-input");
    const answer = input ? input.value : undefined;
    return ask(box, { type: "check", answer, history: ran(id) }, (verdict) => {
      const out = box.querySelector(".hb-check-result");
      const list = element("ul", "hb-conditions");
      list.append(...(verdict.conditions || []).map(conditionItem));
      out.replaceChildren(element("p", "hb-check-summary",
        verdict.holds ? "Check passed: every condition of the task holds." : "Check failed: not every condition holds yet."), list);
      if (verdict.note) out.append(element("p", "hb-run-note", verdict.note));
      box.dataset.checkStatus = verdict.holds ? "pass" : "fail";
      box.dataset.runStatus = verdict.holds ? "ok" : "error";
      record().update(id, (entry) => {
        if (answer !== undefined && answer.trim()) entry.answer = answer.trim();
        if (verdict.holds && !entry.status.startsWith("passed")) {
          entry.status = record().solutionShown(id) ? "passed-with-solution" : "passed";
        }
      });
      showStatus(box);
    });
  }

  function hint(box) {
    const next = box.querySelector(".hb-hints > li[hidden]");
    if (!next) return;
    next.hidden = false;
    const taken = box.querySelectorAll(".hb-hints > li:not([hidden])").length;
    record().update(box.dataset.exercise, (entry) => { entry.hints = Math.max(entry.hints, taken); }, { touch: false });
    showStatus(box);
    next.setAttribute("tabindex", "-1");
    next.focus();
  }

  function solution(box) {
    const shown = box.querySelector(".hb-solution-text");
    shown.hidden = false;
    record().showSolution(box.dataset.exercise);
    shown.setAttribute("tabindex", "-1");
    shown.focus();
  }

  function startOver(box) {
    record().forget(box.dataset.exercise);
    box.querySelector(".hb-solution-text").hidden = true;
    for (const h of box.querySelectorAll(".hb-hints > li")) h.hidden = true;
    box.querySelector(".hb-check-result").replaceChildren();
    delete box.dataset.checkStatus;
    const answer = box.querySelector(".hb-answer-input");
    if (answer) answer.value = "";
    showStatus(box);
    return prepare(box);
  }

  // Up and Down recall the commands run before, as a shell does, when the caret is on the first
  // (Up) or last (Down) line; Enter runs, Shift+Enter is a new line.
  function keys(box, event) {
    const area = event.target;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      run(box);
      return;
    }
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const before = area.value.slice(0, area.selectionStart);
    const after = area.value.slice(area.selectionEnd);
    if ((event.key === "ArrowUp" && before.includes("\n")) || (event.key === "ArrowDown" && after.includes("\n"))) return;
    const recall = box.recall && box.recall.list ? box.recall : { list: ran(box.dataset.exercise), at: -1, draft: area.value };
    if (!recall.list.length) return;
    event.preventDefault();
    if (recall.at === -1) { recall.at = recall.list.length; recall.draft = area.value; }
    recall.at += event.key === "ArrowUp" ? -1 : 1;
    recall.at = Math.max(0, Math.min(recall.at, recall.list.length));
    area.value = recall.at === recall.list.length ? recall.draft : recall.list[recall.at];
    area.setSelectionRange(area.value.length, area.value.length);
    box.recall = recall;
  }

  function toggle(box) {
    const button = box.querySelector(".hb-practise");
    const body = box.querySelector(".hb-exercise-body");
    const opening = body.hidden;
    body.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (!opening) return;
    showStatus(box);
    box.querySelector("textarea.hb-run-command").focus();
    if (!box.dataset.started) {
      box.dataset.started = "";
      prepare(box);
    }
  }

  function setup(box) {
    box.dataset.practiseReady = "";
    const on = (selector, action) => box.querySelector(selector).addEventListener("click", () => action(box));
    on(".hb-practise", toggle);
    on(".hb-run", run);
    on(".hb-check", check);
    on(".hb-hint", hint);
    on(".hb-solution", solution);
    on(".hb-exercise-reset", startOver);
    box.querySelector("textarea.hb-run-command").addEventListener("keydown", (event) => keys(box, event));
    const answer = box.querySelector(".hb-answer-input");
    if (answer) answer.addEventListener("keydown", (event) => { if (event.key === "Enter") check(box); });
    if (record()) showStatus(box);
  }

  function scan() {
    for (const box of document.querySelectorAll("[data-exercise]:not([data-practise-ready])")) setup(box);
  }

  window.addEventListener("hb-record-change", () => {
    for (const box of document.querySelectorAll("[data-exercise][data-practise-ready]")) showStatus(box);
  });

  // Scanned now, and again for each page Material's instant navigation brings in (document$, on the
  // served site; from file:// Material may never emit it). The scan skips what it has done.
  scan();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(scan);
})();
