/* Investigation mode for every drill: the briefing, the questions an IR lead asks, answered from
 * evidence the trainee finds with commands and Athena queries of their own, then the containment
 * verified on the account, and a score.
 *
 * A drill's panel (.hb-drill, made by run.js before a playbook's first drill step) becomes an
 * investigation panel; an incident page of the handbook's own (its static form, `.hb-incident
 * [data-investigation]`, handbook/training/incident.py) gets one before it. Start
 * (.hb-drill-start) replays the incident in a fresh account, then shows what the page's Python
 * gives (handbook/runtime/panel.py): the briefing, each question's wording and its number of
 * hints, never an answer. An answer is checked there too, as a person would compare it; the
 * recorded answer is shown only once found or given up on. Each hint taken costs points; the
 * containment is verified by the scenario's conditions on the account; the score (answers right,
 * hints taken, time from Start to containment) is handbook.training.investigation.score.
 * The guided form stays: the playbook's steps below, and the evidence they find, in a closed
 * <details>.
 *
 * Contract (keep it stable): the panel is .hb-investigation, started by .hb-drill-start; each
 * question is a [data-question="<id>"] element with an `input` and an .hb-answer button, and
 * data-answer-status="right" | "wrong" after an answer ("given-up" when given up on); the score
 * is in .hb-score. The panel's data-investigation-status is "started", then "contained".
 * The record: localStorage["handbook-record"].investigations[<name>] = {status, date, score,
 * answers: {<id>: {given, status}}, hints, seconds, commands}, the rest of the record kept.
 */
(() => {
  "use strict";

  const runtime = window.hbRuntime;
  if (!runtime) return;
  const { element, button, progressBar } = runtime;
  const STARTER = "SELECT eventtime, eventname, useridentity.accesskeyid, sourceipaddress\n" +
                  "FROM cloudtrail_logs\nORDER BY eventtime\nLIMIT 20";

  // The record (record.js, loaded before this script) keeps the investigation beside the exercises.
  function keep(name, entry) {
    if (window.hbRecord) window.hbRecord.investigation(name, entry);
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function prose(text) { // a paragraph of the scenario's text: `names` in code, the rest as text, never markup
    const paragraph = element("p");
    text.split("`").forEach((part, i) => paragraph.append(i % 2 ? element("code", "", part) : part));
    return paragraph;
  }

  // ---------------------------------------------------------------- one investigation

  class Investigation {
    constructor(panel, name, prepared) {
      this.panel = panel;
      this.name = name;
      this.key = `drill:${name}`;
      this.prepared = prepared; // a drill step's Start prepares the account itself (run.js)
      this.reset();
    }

    reset() {
      this.started = null;
      this.seconds = null;
      this.answers = {};
      this.hints = {};
      this.commands = [];
    }

    call(name, args) {
      return runtime.load(runtime.progressOf(this.panel)).then((call) =>
        call({ type: "investigation", call: name, args: { name: this.name, ...args } }));
    }

    start() {
      const panel = this.panel;
      const clicked = performance.now();
      panel.dataset.runStatus = "running";
      return runtime.queue(async () => {
        const note = panel.querySelector(".hb-drill-note");
        try {
          const found = await this.call("start", { prepared: this.prepared });
          if (found.error) throw new Error(found.error);
          this.reset();
          this.started = Date.now();
          this.show(found);
          if (found.note) note.textContent = found.note;
          this.score = 0; // nothing answered, no hint, not contained: no need to ask
          panel.querySelector(".hb-score").textContent = `Score: 0 of 100: 0 of ${found.questions.length} questions ` +
            "answered right, 0 hints taken, not contained yet.";
          panel.dataset.runStatus = "ok";
          panel.dataset.investigationStatus = "started";
          panel.dataset.startSeconds = ((performance.now() - clicked) / 1000).toFixed(3);
          this.save();
          panel.querySelector(".hb-briefing-title").focus();
        } catch (error) {
          note.textContent = `The investigation could not start: ${error.message}.`;
          panel.dataset.runStatus = "error";
        } finally {
          panel.querySelector(".hb-run-progress").hidden = true;
        }
      });
    }

    show(found) {
      const body = this.panel.querySelector(".hb-investigation-body");
      const title = element("h3", "hb-briefing-title", `Briefing: ${found.title}`);
      title.tabIndex = -1;
      const briefing = element("div", "hb-briefing");
      for (const paragraph of found.briefing.trim().split(/\n\s*\n/)) briefing.append(prose(paragraph.replace(/\s*\n\s*/g, " ")));
      const list = element("ol", "hb-questions");
      for (const question of found.questions) list.append(this.question(question));
      const parts = [title, briefing, element("p", "hb-investigation-meta",
        `Tactics: ${found.tactics.join(", ")}. KSA: ${found.ksa.join(", ")}.`),
        element("h3", "", "Questions"), list, element("h3", "", "Commands of your own"), this.console()];
      if (found.questions.some((q) => q.sql) && window.hbSql) {
        const athena = element("div", "hb-athena");
        athena.dataset.account = this.key;
        parts.push(element("h3", "", "Athena: the trail's log files"),
                   element("p", "", "Query the table cloudtrail_logs, which the Athena page creates, over the log files the trail delivered."),
                   window.hbSql.attach(athena, STARTER));
      }
      const conditions = element("p", "hb-containment", `Contain the incident with commands of your own. ` +
        `${found.containment} conditions are verified on the account; each is named once every question is ` +
        "answered or given up on (their words could give an answer away).");
      const verify = button("Verify containment", "hb-contain-check", "Check the containment's conditions on the account",
                            () => this.contain());
      const verdict = element("div", "hb-containment-result");
      verdict.setAttribute("aria-live", "polite");
      const score = element("p", "hb-score");
      score.setAttribute("aria-live", "polite");
      parts.push(element("h3", "", "Is it contained?"), conditions, verify, verdict, score);
      body.replaceChildren(...parts);
      body.hidden = false;
    }

    question(asked) {
      const item = element("li", "hb-question");
      item.dataset.question = asked.id;
      const id = `hb-q-${this.name}-${asked.id}`;
      const label = element("label");
      label.append(...prose(asked.ask).childNodes);
      label.htmlFor = id;
      const input = element("input", "hb-answer-input");
      input.id = id;
      input.type = "text";
      input.autocomplete = "off";
      input.spellcheck = false;
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); this.answer(item); }
      });
      const note = element("p", "hb-question-note");
      note.setAttribute("aria-live", "polite");
      const hints = element("ul", "hb-hints");
      const row = element("div", "hb-question-row");
      row.append(input,
        button("Answer", "md-button--primary hb-answer", `Check this answer: ${asked.ask}`, () => this.answer(item)),
        button("Hint", "hb-hint", `A hint for: ${asked.ask} (each hint costs 5 points)`, () => this.hint(item)),
        button("Give up", "hb-give-up", `Show the answer and what finds it: ${asked.ask} (the question earns nothing)`,
               () => this.giveUp(item)));
      item.dataset.hints = asked.hints;
      if (!asked.hints) row.querySelector(".hb-hint").disabled = true;
      item.append(label, row, note, hints);
      return item;
    }

    answer(item) {
      const id = item.dataset.question;
      const given = item.querySelector("input").value;
      const note = item.querySelector(".hb-question-note");
      return runtime.queue(async () => {
        const found = await this.call("answer", { question: id, given });
        if (found.error) { note.textContent = found.error; return; }
        if (found.status === "empty") { note.textContent = "Type an answer first."; return; }
        this.answers[id] = { given, status: found.status };
        item.dataset.answerStatus = found.status;
        if (found.status === "right") {
          note.textContent = `Right: ${found.answer}.`;
          this.close(item);
        } else {
          note.textContent = `Not right: "${given}" is not the answer. Look again at the evidence (a wrong answer costs nothing).`;
        }
        await this.update();
      });
    }

    hint(item) {
      const id = item.dataset.question;
      const number = (this.hints[id] || 0) + 1;
      return runtime.queue(async () => {
        const found = await this.call("hint", { question: id, number });
        if (found.error || !found.hint) return;
        this.hints[id] = number;
        const shown = prose(found.hint);
        const line = element("li");
        line.append(...shown.childNodes);
        item.querySelector(".hb-hints").append(line);
        if (number >= Number(item.dataset.hints)) item.querySelector(".hb-hint").disabled = true;
        await this.update();
      });
    }

    giveUp(item) {
      const id = item.dataset.question;
      return runtime.queue(async () => {
        const found = await this.call("give-up", { question: id });
        if (found.error) return;
        this.answers[id] = { given: item.querySelector("input").value, status: "given-up" };
        item.dataset.answerStatus = "given-up";
        const note = item.querySelector(".hb-question-note");
        note.textContent = `Given up: the answer is ${found.answer}.`;
        const how = element("div", "hb-found-by");
        if (found.found_by.length) {
          how.append(element("p", "", "These commands find it:"));
          for (const command of found.found_by) how.append(element("pre", "", command));
        }
        if (found.sql) how.append(element("p", "", "This Athena query finds it:"), element("pre", "", found.sql));
        for (const pre of how.querySelectorAll("pre")) pre.tabIndex = 0;
        note.after(how);
        this.close(item);
        await this.update();
      });
    }

    close(item) {
      item.querySelector("input").readOnly = true;
      for (const control of item.querySelectorAll("button")) control.disabled = true;
    }

    console() {
      const box = element("div", "hb-console");
      box.dataset.account = this.key;
      const area = element("textarea", "hb-run-command");
      area.rows = 2;
      area.spellcheck = false;
      area.placeholder = "aws cloudtrail lookup-events --max-results 5";
      area.setAttribute("aria-label", "An aws command of your own, run in the incident's account");
      const run = () => this.command(box);
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
      });
      const bar = element("div", "hb-run-bar");
      bar.append(button("Run", "md-button--primary hb-run", "Run this command in the incident's account (Ctrl+Enter)", run));
      const output = element("div", "hb-run-output");
      output.setAttribute("aria-live", "polite");
      box.append(area, bar, progressBar(), output);
      return box;
    }

    command(box) {
      const command = box.querySelector("textarea").value;
      box.dataset.runStatus = "running";
      return runtime.queue(async () => {
        try {
          const call = await runtime.load(runtime.progressOf(box));
          const result = await call({ type: "run", command, key: this.key });
          runtime.show(box, result);
          if (result.status === "ok" || result.exit_code !== 2) this.ran(command);
        } catch (error) {
          runtime.show(box, { status: "error", note: `The in-page runtime stopped: ${error.message}.` });
        } finally {
          box.querySelector(".hb-run-progress").hidden = true;
        }
      });
    }

    ran(command) {
      if (this.started === null) return;
      this.commands.push(command.trim());
      this.save();
    }

    contain() {
      const panel = this.panel;
      const shown = panel.querySelector(".hb-containment-result");
      return runtime.queue(async () => {
        const settled = [...panel.querySelectorAll("[data-question]")].every((q) =>
          ["right", "given-up"].includes(q.dataset.answerStatus));
        const found = await this.call("contained", { reveal: settled });
        if (found.error) { shown.textContent = found.error; return; }
        const list = element("ul");
        for (const c of found.conditions) {
          const line = element("li", c.holds ? "hb-holds" : "hb-fails", `${c.holds ? "Holds" : "Does not hold"}: ${c.that}.`);
          if (!c.holds && c.detail) line.append(" ", element("span", "hb-detail", c.detail));
          list.append(line);
        }
        shown.replaceChildren(element("p", "", found.holds ? `Contained: every condition holds.${found.conditions.length ? "" : ` ${found.message}`}` :
                                      found.conditions.length ? "Not contained yet." : `Not contained yet: ${found.message}`), list);
        if (found.holds && this.seconds === null && this.started !== null) {
          this.seconds = Math.round((Date.now() - this.started) / 1000);
          panel.dataset.investigationStatus = "contained";
        }
        await this.update();
      });
    }

    async update() {
      const right = Object.values(this.answers).filter((a) => a.status === "right").length;
      const hints = Object.values(this.hints).reduce((sum, n) => sum + n, 0);
      const found = await this.call("score", { right, hints, seconds: this.seconds });
      const total = this.panel.querySelectorAll("[data-question]").length;
      const time = this.seconds === null ? "not contained yet" :
        `contained ${Math.floor(this.seconds / 60)} min ${this.seconds % 60} s after Start`;
      this.score = found.score;
      this.panel.querySelector(".hb-score").textContent = `Score: ${found.score} of 100: ${right} of ${total} ` +
        `questions answered right, ${hints} hint${hints === 1 ? "" : "s"} taken, ${time}.`;
      this.save();
    }

    save() {
      if (this.started === null) return;
      const hints = Object.values(this.hints).reduce((sum, n) => sum + n, 0);
      keep(this.name, { status: this.seconds === null ? "started" : "contained", date: now(), score: this.score ?? 0,
                        answers: this.answers, hints, seconds: this.seconds, commands: this.commands });
    }
  }

  // ---------------------------------------------------------------- the panels

  function body() {
    const made = element("div", "hb-investigation-body");
    made.hidden = true;
    return made;
  }

  function fromDrill(panel) { // a playbook's drill panel (run.js): Start drill starts the investigation too
    const name = panel.dataset.drill.replace(/^drill:/, "");
    panel.classList.add("hb-investigation");
    panel.dataset.investigation = name;
    const guided = element("details", "hb-guided");
    guided.append(element("summary", "", "Guided form: the playbook's steps below, and the evidence they find"));
    for (const part of panel.querySelectorAll(".hb-drill-count, .hb-drill-evidence")) guided.append(part);
    panel.querySelector(".hb-drill-title").textContent = "Investigation: this playbook's incident, in a simulated account";
    panel.querySelector(".hb-drill-note").textContent = "Start, then answer the questions from evidence you find with " +
      "commands and queries of your own, and contain the incident. The playbook's steps below stay as a guide.";
    panel.append(body(), guided);
    const investigation = new Investigation(panel, name, true);
    panel.querySelector(".hb-drill-start").addEventListener("click", () => investigation.start());
    watch(investigation);
  }

  function fromPlaceholder(panel) { // an incident page of its own
    const name = panel.dataset.investigation;
    panel.classList.add("hb-drill");
    panel.dataset.drill = `drill:${name}`;
    const investigation = new Investigation(panel, name, false);
    panel.replaceChildren(
      element("p", "hb-drill-title", "Investigation: this incident, in a simulated account"),
      button("Start investigation", "md-button--primary hb-drill-start", "Replay the incident in a fresh simulated account",
             () => investigation.start()),
      element("p", "hb-drill-note", "Start, then answer the questions from evidence you find with commands and " +
              "queries of your own, and contain the incident."),
      progressBar(), body());
    watch(investigation);
  }

  function watch(investigation) { // the drill steps' commands count as the trainee's too
    document.addEventListener("click", (event) => {
      const run = event.target.closest && event.target.closest(".hb-run");
      const box = run && run.closest(`[data-snippet][data-account="${investigation.key}"]`);
      if (!box) return;
      const edited = box.querySelector("textarea.hb-run-command");
      investigation.ran(edited ? edited.value : box.dataset.command);
    });
  }

  function scan() {
    for (const panel of document.querySelectorAll(".hb-drill[data-drill]:not([data-investigation])")) fromDrill(panel);
    for (const page of document.querySelectorAll(".hb-incident[data-investigation]:not([data-panel])")) {
      page.dataset.panel = "";
      const panel = element("div", "hb-investigation");
      panel.dataset.investigation = page.dataset.investigation;
      page.before(panel);
      fromPlaceholder(panel);
    }
  }

  // now, and again on each page Material's instant navigation brings (the scan skips what it did)
  scan();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(scan);
})();
