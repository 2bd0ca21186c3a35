/* Run in the page: every CLI example with a recorded output gets Run, Edit and Reset, and runs in
 * a simulated AWS account inside the browser (handbook/account.py in Pyodide, in a Web Worker).
 *
 * A page view loads only this file. The first Run loads the runtime's scripts
 * (assets/runtime/, see handbook/runtime/payload.py) with a progress bar naming the stage, makes
 * the worker from a blob (the one way file:// allows) and hands it the files. Output is set as
 * text, never as markup.
 *
 * Contract the tests use (keep it stable): each runnable example's container has
 * data-snippet="<page>/<name>.sh"; its button has class hb-run; the output goes to an element
 * with class hb-run-output inside the container; the container's data-run-status is "running"
 * while it runs, then "ok" or "error". A container's data-account names an account several
 * examples share (default: each example its own).
 *
 * Other assets of the page (practise.js) use the same runtime and queue through window.hbRuntime.
 * With Material's instant navigation the page's content changes without a reload: each new page
 * is scanned again (document$), and the worker, its account and the loaded files stay.
 */
(() => {
  "use strict";

  const here = document.currentScript ? document.currentScript.src : location.href;
  const base = new URL("../runtime/", here).href;
  const STAGES = {
    download: ["Runtime: loading its files", 0],
    runtime: ["Runtime: starting Python", 35],
    packages: ["Packages: awscli, moto and the simulation", 55],
    account: ["Simulated account: preparing it", 90],
  };
  const NO_IMPORTS = 'self.importScripts = () => { throw new Error("the in-page runtime imports no scripts"); };';
  const payloads = {};
  let index = null;
  let runtime = null; // the promise of the worker, once the first Run asked for it
  let queue = Promise.resolve(); // one command at a time: they share one account

  window.__hbRuntimeIndex = (value) => { index = value; };
  window.__hbRuntimePayload = (name, encoding, data) => { payloads[name] = data; };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function script(name) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = base + name;
      tag.onload = () => { tag.remove(); resolve(); };
      tag.onerror = () => { tag.remove(); reject(new Error(`its file ${name} could not be loaded`)); };
      document.head.appendChild(tag);
    });
  }

  async function start(progress) {
    progress("download", 0);
    await script("index.js");
    const total = index.scripts.reduce((sum, s) => sum + s.bytes, 0);
    let loaded = 0;
    await Promise.all(index.scripts.map((s) => script(s.name).then(() => {
      loaded += s.bytes;
      progress("download", loaded / total);
    })));
    // Pyodide refuses a classic worker when importScripts works (it would import its module
    // with it); this worker imports nothing, so importScripts is shadowed before Pyodide looks.
    const code = [NO_IMPORTS, ...["pyodide.js", "pyodide.asm.js", "worker.js"].map((name) => payloads[name])].join("\n;\n");
    // The kit's iframe-worker shim replaces Worker on file://; keep-worker.js kept the browser's own.
    const Native = window.__hbWorker || window.Worker;
    const worker = new Native(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    const waiting = new Map();
    let next = 0;
    let failReady = () => {};
    const stop = (error) => { // the worker died, or Python failed beyond what boot.run reports
      worker.terminate();
      runtime = null; // the next Run starts a new one
      failReady(error);
      for (const { reject } of waiting.values()) reject(error);
      waiting.clear();
    };
    const ready = new Promise((resolve, reject) => {
      failReady = reject;
      worker.onmessage = ({ data }) => {
        if (data.type === "stage") progress(data.stage, 0);
        else if (data.type === "ready") resolve();
        else if (data.type === "failed") stop(new Error(data.message));
        else if (waiting.has(data.id)) {
          waiting.get(data.id).resolve(data.result);
          waiting.delete(data.id);
        }
      };
      worker.onerror = (event) => stop(new Error(event.message || "the worker stopped"));
    });
    const files = {};
    for (const name of ["pyodide.asm.wasm.gz", "python_stdlib.zip", "pyodide-lock.json", "packages.zip", "handbook.zip"]) {
      files[name] = payloads[name];
      delete payloads[name];
    }
    worker.postMessage({ type: "boot", payloads: files, base: index.base, commands: index.commands });
    await ready;
    return (message) => new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  function load(progress) {
    if (!runtime) {
      runtime = start(progress);
      runtime.catch(() => { runtime = null; }); // a later Run tries again
    }
    return runtime;
  }

  function show(box, result) {
    const output = box.querySelector(".hb-run-output");
    output.replaceChildren(element("p", "hb-run-note", result.note));
    if (result.stdout) output.append(element("pre", "hb-run-stdout", result.stdout));
    if (result.stderr) output.append(element("pre", "hb-run-stderr", result.stderr));
    for (const pre of output.querySelectorAll("pre")) pre.tabIndex = 0; // scrolled from the keyboard too
    if (result.exit_code !== undefined && !(result.exit_code === 2 && !result.stdout && !result.stderr)) {
      output.append(element("p", "hb-run-exit", `exit status ${result.exit_code}`));
    }
    box.dataset.runStatus = result.status;
  }

  function command(box) {
    const edited = box.querySelector("textarea.hb-run-command");
    return edited ? edited.value : box.dataset.command;
  }

  function progressOf(box) {
    const bar = box.querySelector(".hb-run-progress");
    return (stage, fraction) => {
      const [label, from] = STAGES[stage];
      const to = stage === "download" ? STAGES.runtime[1] : from + 10;
      bar.hidden = false;
      bar.querySelector("progress").value = from + (to - from) * fraction;
      bar.querySelector(".hb-run-stage").textContent = `${label}…`;
    };
  }

  function run(box) {
    const button = box.querySelector(".hb-run");
    box.dataset.runStatus = "running";
    button.disabled = true;
    queue = queue.then(async () => {
      let call;
      try {
        call = await load(progressOf(box));
      } catch (error) {
        show(box, { status: "error", note: `The in-page runtime could not start: ${error.message}. ` +
                    "The rest of the page works as before." });
        button.textContent = "Run unavailable";
        button.disabled = false;
        return;
      } finally {
        box.querySelector(".hb-run-progress").hidden = true;
      }
      try {
        const result = await call({ type: "run", ref: box.dataset.snippet, command: command(box),
                                    key: box.dataset.account || box.dataset.snippet });
        show(box, result);
        tick(box.dataset.account, result.stdout || "");
      } catch (error) {
        show(box, { status: "error", note: `The in-page runtime stopped: ${error.message}. ` +
                    "Run again to start a new one." });
      }
      button.textContent = "Run";
      button.disabled = false;
    });
    return queue;
  }

  function reset(box) {
    box.dataset.runStatus = "running";
    queue = queue.then(async () => {
      if (runtime) await (await runtime)({ type: "reset" });
      show(box, { status: "ok", note: "A fresh account: the next Run prepares it again." });
    }).catch(() => {});
  }

  function edit(box) {
    let area = box.querySelector("textarea.hb-run-command");
    if (!area) {
      const shown = box.querySelector(".tabbed-block .highlight pre"); // its file name stays above
      area = element("textarea", "hb-run-command");
      area.value = box.dataset.command;
      area.spellcheck = false;
      area.rows = Math.max(2, area.value.split("\n").length + 1);
      area.setAttribute("aria-label", "The command to run");
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(box); }
      });
      shown.after(area);
      shown.hidden = true;
    }
    area.focus();
  }

  function button(label, className, title, action) {
    const node = element("button", `md-button ${className}`, label);
    node.type = "button";
    node.title = title;
    node.addEventListener("click", action);
    return node;
  }

  // A drill: the boxes that share a "drill:" account (handbook/site.py) get, before the first of
  // them, Start drill (a fresh account with the drill's incident) and the checklist of the
  // evidence their steps reveal (their `reveals:`), ticked as any output in that account shows it.
  function tick(account, stdout) {
    const panel = account && document.querySelector(`.hb-drill[data-drill="${account}"]`);
    if (!panel) return;
    for (const item of panel.querySelectorAll("li[data-reveal]:not(.found)")) {
      if (stdout.includes(item.dataset.reveal)) {
        item.classList.add("found");
        item.querySelector("input").checked = true;
      }
    }
    const found = panel.querySelectorAll("li.found").length;
    panel.querySelector(".hb-drill-count").textContent =
      `${found} of ${panel.querySelectorAll("li[data-reveal]").length} pieces of evidence found`;
  }

  function startDrill(panel, first) {
    panel.dataset.runStatus = "running";
    queue = queue.then(async () => {
      const note = panel.querySelector(".hb-drill-note");
      try {
        const call = await load(progressOf(panel));
        const result = await call({ type: "run", ref: first.dataset.snippet, key: panel.dataset.drill });
        for (const item of panel.querySelectorAll("li.found")) {
          item.classList.remove("found");
          item.querySelector("input").checked = false;
        }
        tick(panel.dataset.drill, "");
        note.textContent = result.note;
        panel.dataset.runStatus = result.status;
      } catch (error) {
        note.textContent = `The in-page runtime could not start: ${error.message}.`;
        panel.dataset.runStatus = "error";
      } finally {
        panel.querySelector(".hb-run-progress").hidden = true;
      }
    });
  }

  function progressBar() {
    const progress = element("div", "hb-run-progress");
    progress.hidden = true;
    progress.append(element("progress"), element("span", "hb-run-stage"));
    progress.querySelector("progress").max = 100;
    return progress;
  }

  // What the page's other scripts use (practise.js, sql.js, investigation.js): the one runtime, its
  // queue, its progress bar and its parts.
  window.hbRuntime = {
    load, progressOf, progressBar, show,
    queue: (task) => { queue = queue.then(task).catch(() => {}); return queue; },
    script, payloads, index: () => index, element, button, // the SQL engine's loading (sql.js)
  };

  function scan() {
  const drills = new Map();
  for (const box of document.querySelectorAll('[data-snippet][data-account^="drill:"]:not([data-run-ready])')) {
    if (!drills.has(box.dataset.account)) drills.set(box.dataset.account, []);
    drills.get(box.dataset.account).push(box);
  }
  for (const [account, boxes] of drills) {
    const panel = element("div", "hb-drill");
    panel.dataset.drill = account;
    const list = element("ul", "hb-drill-evidence");
    for (const box of boxes) {
      for (const text of JSON.parse(box.dataset.reveals || "[]")) {
        const item = element("li");
        item.dataset.reveal = text;
        const mark = element("input");
        mark.type = "checkbox";
        mark.disabled = true;
        mark.setAttribute("aria-label", `Evidence found: ${text}`);
        item.append(mark, " ", element("code", "", text), ` (${box.dataset.snippet.split("/").pop()})`);
        list.append(item);
      }
    }
    panel.append(
      element("p", "hb-drill-title", "Drill: this playbook against a simulated incident"),
      button("Start drill", "md-button--primary hb-drill-start", "Load the incident into a fresh simulated account",
             () => startDrill(panel, boxes[0])),
      element("p", "hb-drill-note", "Start the drill, then run the steps below in order, or commands of your own: " +
              "the evidence they find is ticked here."),
      progressBar(), element("p", "hb-drill-count"), list,
    );
    boxes[0].before(panel);
    tick(account, "");
  }

  for (const box of document.querySelectorAll("[data-snippet]:not([data-run-ready])")) {
    const block = box.querySelector(".tabbed-block");
    const code = block && block.querySelector(".highlight code");
    if (!code) continue;
    box.dataset.runReady = "";
    box.dataset.command = code.textContent.replace(/\n$/, "");
    const bar = element("div", "hb-run-bar");
    bar.append(
      button("Run", "md-button--primary hb-run", "Run this command in a simulated AWS account, in this page",
             () => run(box)),
      button("Edit", "hb-run-edit", "Change the command, then Run it (Ctrl+Enter)", () => edit(box)),
      button("Reset", "hb-run-reset", "Start a fresh simulated account", () => reset(box)),
    );
    const progress = progressBar();
    const output = element("div", "hb-run-output");
    output.setAttribute("aria-live", "polite");
    block.append(bar, progress, output);
  }
  }

  // Scanned now, and again for each page Material's instant navigation brings in (document$, on the
  // served site; from file:// Material may never emit it). The scan skips what it has done.
  scan();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(scan);
})();
