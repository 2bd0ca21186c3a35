/* Athena in the page: every SQL example gets Run and Edit, and its query runs in DuckDB (WebAssembly)
 * over the trail log files delivered in a simulated account: an incident's when the box belongs to
 * a drill, else the sample records the handbook's checks use.
 *
 * Run asks the runtime's Python (handbook/runtime/athena.py, through run.js's worker) for the
 * statements: the SQL parsed as Athena SQL and translated to DuckDB's, the tables it reads created
 * and filled from the account's delivered log files. The SQL engine (assets/runtime/sql-engine.js
 * and duckdb.js, 11 MB) is loaded only when an SQL box first runs, with a progress bar, in a worker
 * made from a blob as the runtime is, so it works from file:// too. The result is a table of text
 * (never markup); a failing query says why in Athena's words.
 *
 * Contract (keep it stable): an SQL box has data-sql="<page>/<name>.sql" (or a data-account
 * naming the drill whose account it reads), Run is .hb-run, the result is a `table` inside
 * .hb-run-output, data-run-status is "running", then "ok" or "error". Timings the benchmark
 * reads: data-run-seconds (click to result), data-seconds (DuckDB's part), data-engine-seconds
 * (the engine's load, on the Run that loaded it). `window.hbSql.attach(box,
 * text)` makes any element such a box (the investigation panel's Athena box).
 */
(() => {
  "use strict";

  const runtime = window.hbRuntime;
  if (!runtime) return;
  const { element, button, progressBar } = runtime;
  let engine = null; // the promise of the SQL engine's call function, once first asked for

  function bar(box) {
    const shown = box.querySelector(".hb-run-progress");
    return (label, value) => {
      shown.hidden = false;
      shown.querySelector("progress").value = value;
      shown.querySelector(".hb-run-stage").textContent = `${label}…`;
    };
  }

  async function startEngine(progress) {
    const index = runtime.index();
    const scripts = index.engine.scripts;
    const total = scripts.reduce((sum, s) => sum + s.bytes, 0);
    let loaded = 0;
    progress("SQL engine: loading DuckDB", 0);
    await Promise.all(scripts.map((s) => runtime.script(s.name).then(() => {
      loaded += s.bytes;
      progress("SQL engine: loading DuckDB", 80 * loaded / total);
    })));
    progress("SQL engine: starting DuckDB", 85);
    const code = runtime.payloads["sql-worker.js"];
    const wasm = runtime.payloads["duckdb-eh.wasm.gz"];
    delete runtime.payloads["sql-worker.js"];
    delete runtime.payloads["duckdb-eh.wasm.gz"];
    const Native = window.__hbWorker || window.Worker;
    const worker = new Native(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    const waiting = new Map();
    let next = 0;
    await new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve();
        else if (data.type === "failed" && data.id === undefined) reject(new Error(data.message));
        else if (waiting.has(data.id)) {
          const { resolve: done, reject: fail } = waiting.get(data.id);
          waiting.delete(data.id);
          if (data.type === "failed") fail(new Error(data.message));
          else done(data.result);
        }
      };
      worker.onerror = (event) => reject(new Error(event.message || "the SQL engine's worker stopped"));
      worker.postMessage({ type: "boot", wasm, base: index.engine.base });
    });
    return (message) => new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  function loadEngine(progress) {
    if (!engine) {
      engine = startEngine(progress);
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  function text(box) {
    const edited = box.querySelector("textarea.hb-sql-text");
    return edited ? edited.value : box.dataset.sqlText;
  }

  function show(box, status, note, result) {
    const output = box.querySelector(".hb-run-output");
    output.replaceChildren();
    if (result && result.columns && result.columns.length) {
      const table = element("table", "hb-sql-result");
      const head = element("tr");
      for (const name of result.columns) {
        const cell = element("th", "", name);
        cell.scope = "col";
        head.append(cell);
      }
      const thead = element("thead");
      thead.append(head);
      const body = element("tbody");
      for (const row of result.rows) {
        const line = element("tr");
        for (const value of row) line.append(element("td", value === null ? "hb-sql-null" : "", value === null ? "NULL" : value));
        body.append(line);
      }
      table.append(element("caption", "", `${result.rows.length} row${result.rows.length === 1 ? "" : "s"}`), thead, body);
      output.append(table);
    }
    if (note) output.append(element("p", status === "error" ? "hb-run-note hb-sql-error" : "hb-run-note", note));
    box.dataset.runStatus = status;
  }

  // One Run: the Python runtime plans, the SQL engine runs, an error goes back to Python to be
  // said in Athena's words. Returns what the box shows, for the investigation panel.
  function run(box) {
    const go = box.querySelector(".hb-run");
    box.dataset.runStatus = "running";
    go.disabled = true;
    const progress = bar(box);
    const clicked = performance.now();
    return runtime.queue(async () => {
      let result = null;
      try {
        const call = await runtime.load(runtime.progressOf(box));
        const query = text(box);
        const plan = await call({ type: "sql", ref: box.dataset.sql || "athena/create-cloudtrail-table.sql",
                                  text: query, key: box.dataset.account || box.dataset.sql });
        if (plan.error) {
          show(box, "error", plan.error);
        } else {
          const loading = engine ? null : performance.now();
          const sql = await loadEngine(progress);
          if (loading !== null) box.dataset.engineSeconds = ((performance.now() - loading) / 1000).toFixed(3);
          box.querySelector(".hb-run-progress").hidden = true;
          const started = performance.now();
          result = await sql({ type: "run", setup: plan.setup, query: plan.query, key: plan.key });
          box.dataset.seconds = ((performance.now() - started) / 1000).toFixed(3);
          if (result.error) {
            show(box, "error", await call({ type: "sql-error", message: result.error, text: query }));
            result = null;
          } else {
            show(box, "ok", plan.query ? plan.note : "Query successful.", result);
          }
        }
      } catch (error) {
        show(box, "error", `The SQL engine could not run this: ${error.message}.`);
      } finally {
        box.querySelector(".hb-run-progress").hidden = true;
        go.disabled = false;
        box.dataset.runSeconds = ((performance.now() - clicked) / 1000).toFixed(3); // click to result, in the page
      }
      return result;
    });
  }

  function edit(box, focus = true) {
    let area = box.querySelector("textarea.hb-sql-text");
    if (!area) {
      const shown = box.querySelector(".highlight pre");
      area = element("textarea", "hb-run-command hb-sql-text");
      area.value = box.dataset.sqlText;
      area.spellcheck = false;
      area.rows = Math.max(3, area.value.split("\n").length + 1);
      area.setAttribute("aria-label", "The SQL query to run");
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(box); }
      });
      if (shown) {
        shown.after(area);
        shown.hidden = true;
      } else {
        box.prepend(area);
      }
    }
    if (focus) area.focus();
  }

  // A long query scrolls sideways: from the keyboard too. Material's code blocks drop the tabindex
  // of a block they judge not to overflow, as they mount; it is put back whenever it goes.
  function focusable(code) {
    code.tabIndex = 0;
    new MutationObserver(() => { if (code.tabIndex !== 0) code.tabIndex = 0; })
      .observe(code, { attributes: true, attributeFilter: ["tabindex"] });
  }

  function attach(box, initial) {
    if (box.querySelector(".hb-run-bar")) return box;
    const code = box.querySelector(".highlight code");
    if (code) focusable(code);
    box.dataset.sqlText = initial !== undefined ? initial : (code ? code.textContent.replace(/\n$/, "") : "");
    const controls = element("div", "hb-run-bar");
    controls.append(
      button("Run", "md-button--primary hb-run", "Run this query in the page, as Athena would, over the trail's log files",
             () => run(box)),
      button("Edit", "hb-run-edit", "Change the query, then Run it (Ctrl+Enter)", () => edit(box)),
    );
    const output = element("div", "hb-run-output");
    output.setAttribute("aria-live", "polite");
    box.append(controls, progressBar(), output);
    if (!code) edit(box, false);
    return box;
  }

  window.hbSql = { attach, run };
  const scan = () => { for (const box of document.querySelectorAll("[data-sql]")) attach(box); };
  // now, and again on each page Material's instant navigation brings (the scan skips what it did)
  scan();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(scan);
})();
