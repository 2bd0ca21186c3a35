/* The qualification record in the browser, and the pages that show it.
 *
 * One document in localStorage["handbook-record"], the shape the export has and
 * `handbook qualify verify` reads (handbook/training/record.py):
 *   {format: "handbook-record", version: 1, handbook, trainee, exported,
 *    exercises: {<ksa id>: {status, date, hints, commands, answer}}, investigations: {...}}
 * An id absent from `exercises` is not started. `investigations` belongs to the drills' panel:
 * kept as it is found, whoever writes it. Which exercises had their solution shown before they
 * passed is kept beside it, in localStorage["handbook-record-solutions"] (a list of ids), so that
 * a later pass is recorded as passed with the solution shown, even after a reload.
 *
 * Storage: from the served site, the site's origin keeps it. From file://, Chromium gives every
 * file: page one origin, so the kit's pages share one record (measured by tests/kit); a browser
 * that gives each file its own storage, or none, keeps a record per page or only until the page
 * closes, which the pages say (`.hb-record-storage`). A stored record this script cannot read is
 * kept aside under "handbook-record-unreadable", never overwritten.
 *
 * window.hbRecord: read(), exercise(id), update(id, change), investigation(name, entry) (a drill's
 * investigation, written by investigation.js), forget(id), forgetAll(), showSolution(id),
 * solutionShown(id), trainee(name), json(), csv(), storage. Every change
 * dispatches "hb-record-change" on window. On the checklist page it fills each item's status and
 * wires the exports; on the record page it fills the table.
 */
(() => {
  "use strict";

  const KEY = "handbook-record";
  const SOLUTIONS = "handbook-record-solutions";
  const STATUSES = ["practised", "passed", "passed-with-solution"];
  const WORDS = { "": "not started", practised: "practised", passed: "passed",
                  "passed-with-solution": "passed with the solution shown" };
  const memory = {}; // when the browser gives this page no storage
  let storage = "local";

  function get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      storage = "memory";
      return key in memory ? memory[key] : null;
    }
  }

  function set(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) {
      storage = "memory";
      if (value === null) delete memory[key];
      else memory[key] = value;
    }
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function version() {
    const marked = document.querySelector("[data-handbook]");
    return marked ? marked.dataset.handbook : "";
  }

  function blank() {
    return { format: "handbook-record", version: 1, handbook: version(), trainee: "", exported: null,
             exercises: {}, investigations: {} };
  }

  function read() {
    const text = get(KEY);
    if (!text) return blank();
    let found;
    try {
      found = JSON.parse(text);
    } catch (error) {
      found = null;
    }
    if (!found || typeof found !== "object" || found.format !== "handbook-record" ||
        typeof found.exercises !== "object" || found.exercises === null) {
      if (!get(`${KEY}-unreadable`)) set(`${KEY}-unreadable`, text); // kept aside, never lost
      return blank();
    }
    for (const [id, entry] of Object.entries(found.exercises)) {
      if (!entry || !STATUSES.includes(entry.status) || !Array.isArray(entry.commands)) delete found.exercises[id];
    }
    found.investigations = found.investigations || {};
    return found;
  }

  function write(value) {
    const v = version();
    if (v) value.handbook = v;
    set(KEY, JSON.stringify(value));
    window.dispatchEvent(new CustomEvent("hb-record-change"));
  }

  function exercise(id) {
    return read().exercises[id] || null;
  }

  // change(entry) edits the exercise's entry, made when absent; the date is the last change's.
  function update(id, change, { touch = true } = {}) {
    const value = read();
    const entry = value.exercises[id] || { status: "practised", date: now(), hints: 0, commands: [], answer: null };
    change(entry);
    if (touch) entry.date = now();
    value.exercises[id] = entry;
    write(value);
    return entry;
  }

  // A drill's investigation: its entry replaced whole (investigation.js keeps its own score).
  function investigation(name, entry) {
    const value = read();
    value.investigations[name] = entry;
    write(value);
  }

  function solutions() {
    try {
      const list = JSON.parse(get(SOLUTIONS) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (error) {
      return [];
    }
  }

  function showSolution(id) {
    const list = solutions();
    if (!list.includes(id)) set(SOLUTIONS, JSON.stringify([...list, id]));
  }

  function solutionShown(id) {
    return solutions().includes(id);
  }

  function forget(id) {
    const value = read();
    delete value.exercises[id];
    set(SOLUTIONS, JSON.stringify(solutions().filter((s) => s !== id)));
    write(value);
  }

  function forgetAll() {
    const value = read();
    value.exercises = {};
    set(SOLUTIONS, null);
    write(value); // the trainee's name and the investigations stay
  }

  function trainee(name) {
    const value = read();
    value.trainee = name;
    write(value);
  }

  function json() {
    const value = read();
    value.exported = now();
    return JSON.stringify(value, null, 2) + "\n";
  }

  function cell(text) {
    const value = String(text === null || text === undefined ? "" : text);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }

  // The JQS columns, from the checklist's items (every KSA id) and the record.
  function csv() {
    const value = read();
    const rows = [["id", "service", "kind", "text", "status", "date"]];
    for (const item of document.querySelectorAll("li[data-ksa]")) {
      const entry = value.exercises[item.dataset.ksa];
      const practisable = item.hasAttribute("data-exercise-link");
      rows.push([item.dataset.ksa, item.dataset.service, item.dataset.kind,
                 item.querySelector(".hb-checklist-text").textContent,
                 entry ? WORDS[entry.status] : practisable ? WORDS[""] : "", entry ? entry.date : ""]);
    }
    return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
  }

  function download(name, type, text) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function day() {
    return now().slice(0, 10);
  }

  function storageNote() {
    if (storage === "memory") {
      return "This browser gives this page no storage: the record lasts until the page is closed. Export it before.";
    }
    if (location.protocol === "file:") {
      return "Kept in this browser's storage for pages opened from files. Chromium shares it across the kit's " +
             "pages; a browser that keeps one per file keeps a record per page. Export it to keep it safe.";
    }
    return "Kept in this browser's storage for this site, on this computer only. Export it to keep it safe.";
  }

  // --- the checklist and the record page -----------------------------------------------------

  function fill() {
    const value = read();
    for (const input of document.querySelectorAll(".hb-record-trainee")) {
      if (document.activeElement !== input) input.value = value.trainee || "";
    }
    for (const note of document.querySelectorAll(".hb-record-storage")) note.textContent = storageNote();
    const name = value.trainee ? ` by ${value.trainee}` : "";
    for (const item of document.querySelectorAll("li[data-ksa][data-exercise-link], tr[data-ksa]")) {
      const entry = value.exercises[item.dataset.ksa];
      const status = item.querySelector(".hb-record-status");
      status.dataset.status = entry ? entry.status : "";
      status.textContent = entry ? `${WORDS[entry.status]}${name}, ${entry.date.slice(0, 10)}` : WORDS[""];
      if (item.tagName === "TR") {
        status.textContent = entry ? WORDS[entry.status] : WORDS[""];
        item.querySelector(".hb-record-date").textContent = entry ? entry.date.replace("T", " ").replace("Z", " UTC") : "";
        item.querySelector(".hb-record-hints").textContent = entry ? String(entry.hints) : "";
        const commands = item.querySelector(".hb-record-commands");
        const list = document.createElement("ol");
        for (const c of entry ? entry.commands : []) {
          const li = document.createElement("li");
          const code = document.createElement("code");
          code.textContent = c;
          li.append(code);
          list.append(li);
        }
        commands.replaceChildren(...(entry && entry.commands.length ? [list] : []));
        item.querySelector(".hb-record-reset").disabled = !entry;
      }
    }
    const summary = document.querySelector(".hb-record-summary");
    if (summary) {
      const entries = Object.values(value.exercises);
      const passed = entries.filter((e) => e.status === "passed").length;
      const helped = entries.filter((e) => e.status === "passed-with-solution").length;
      summary.textContent = `${value.trainee || "Trainee not named"}: ${passed} passed, ${helped} passed with the ` +
        `solution shown, ${entries.length - passed - helped} practised, of ` +
        `${document.querySelectorAll("tr[data-ksa]").length} exercises (handbook ${value.handbook || version()}, ` +
        `printed ${day()}).`;
    }
  }

  function wire() {
    for (const input of document.querySelectorAll(".hb-record-trainee:not([data-record-ready])")) {
      input.dataset.recordReady = "";
      input.addEventListener("change", () => trainee(input.value.trim()));
    }
    const on = (selector, action) => {
      for (const button of document.querySelectorAll(`${selector}:not([data-record-ready])`)) {
        button.dataset.recordReady = "";
        button.addEventListener("click", () => action(button));
      }
    };
    on(".hb-record-export-json", () => download(`handbook-record-${day()}.json`, "application/json", json()));
    on(".hb-record-export-csv", () => download(`handbook-checklist-${day()}.csv`, "text/csv", csv()));
    on(".hb-record-reset-all", forgetAll);
    on(".hb-record-reset", (button) => forget(button.closest("[data-ksa]").dataset.ksa));
    on(".hb-record-print", () => window.print());
    fill();
  }

  window.hbRecord = { read, exercise, update, investigation, forget, forgetAll, showSolution, solutionShown, trainee, json, csv,
                      get storage() { return storage; } };
  window.addEventListener("hb-record-change", fill);
  window.addEventListener("storage", (event) => { // another tab changed it
    if (event.key === KEY) window.dispatchEvent(new CustomEvent("hb-record-change"));
  });

  // Scanned now, and again for each page Material's instant navigation brings in (document$, on the
  // served site; from file:// Material may never emit it). The scan skips what it has done.
  wire();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(wire);
})();
