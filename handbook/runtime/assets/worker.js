/* The in-page runtime's Web Worker: Python (Pyodide), the pinned packages and the handbook's
 * simulated account (handbook/account.py), away from the page so it never freezes.
 *
 * The page makes this worker from a blob holding Pyodide's classic scripts followed by this
 * file (handbook/runtime/payload.py), then sends every file the runtime needs. Nothing is
 * fetched: `fetch` answers the runtime's own file names from those bytes and refuses anything
 * else, so no request leaves the worker, served or from file://.
 *
 * Messages in:  {type: "boot", payloads, base, commands}, {type: "run", id, ref, command, key}
 *               (no command: a fresh account prepared by ref's setup, as "Start drill" asks),
 *               {type: "reset", id},
 *               {type: "practise", id, ksa, commands}, {type: "exercise", id, ksa, command, history},
 *               {type: "check", id, ksa, answer, history}   (the Practise box: handbook/training/practise.py),
 *               {type: "sql", id, ref, text, key} (what DuckDB runs for an
 *               SQL box: handbook/runtime/athena.py), {type: "sql-error", id, message, text},
 *               {type: "investigation", id, call, args} (the investigation panel: handbook/runtime/panel.py)
 * Messages out: {type: "stage", stage}, {type: "ready", seconds}, {type: "result", id, result},
 *               {type: "failed", id, message}
 */
"use strict";

const HOME = "/home/pyodide/handbook";
let python = null;

serveOnlyOwnFiles("the in-page runtime"); // assets/worker-files.js, put before this file

async function boot({ payloads, commands }) {
  const start = performance.now();
  postMessage({ type: "stage", stage: "runtime" });
  served["pyodide.asm.wasm"] = await gunzip(decode(payloads["pyodide.asm.wasm.gz"]));
  served["python_stdlib.zip"] = decode(payloads["python_stdlib.zip"]);
  python = await loadPyodide({
    indexURL: base,
    stdLibURL: base + "python_stdlib.zip",
    createPyodideModule: self._createPyodideModule,
    lockFileContents: payloads["pyodide-lock.json"],
    stdout: () => {},
    stderr: () => {},
  });
  postMessage({ type: "stage", stage: "packages" });
  const sitePackages = python.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  python.unpackArchive(decode(payloads["packages.zip"]), "zip", { extractDir: sitePackages });
  python.unpackArchive(decode(payloads["handbook.zip"]), "zip", { extractDir: HOME });
  python.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(HOME)})
from handbook.runtime import boot
boot.install_standin()
import handbook.account`);
  postMessage({ type: "stage", stage: "account" });
  python.globals.set("commands", python.toPy(commands));
  python.runPython(`account = boot.start(${JSON.stringify(HOME + "/snippets")}, commands)`);
  postMessage({ type: "ready", seconds: (performance.now() - start) / 1000 });
}

function run({ ref, command, key }) {
  const call = python.globals.get("boot").run;
  try {
    // undefined, not null, reaches Python as None (null is a JsNull there)
    return JSON.parse(call(python.globals.get("account"), ref, command, key || undefined));
  } finally {
    call.destroy();
  }
}

function pythonCall(name, ...args) { // boot.<name>(...args): JSON text or a string back
  const module = python.globals.get("boot");
  const call = module[name];
  try {
    return call(...args);
  } finally {
    call.destroy();
    module.destroy();
  }
}

function exercise(message) { // a Practise box's message (handbook/training/practise.py)
  const payload = python.toPy(message);
  try {
    return JSON.parse(pythonCall("exercise", python.globals.get("account"), HOME + "/snippets", payload));
  } finally {
    payload.destroy();
  }
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      base = data.base;
      await boot(data);
    } else if (data.type === "run") {
      postMessage({ type: "result", id: data.id, result: run(data) });
    } else if (["practise", "exercise", "check"].includes(data.type)) {
      postMessage({ type: "result", id: data.id, result: exercise(data) });
    } else if (data.type === "sql") {
      const result = JSON.parse(pythonCall("sql", python.globals.get("account"), data.ref, data.text, data.key || undefined));
      postMessage({ type: "result", id: data.id, result });
    } else if (data.type === "sql-error") {
      postMessage({ type: "result", id: data.id, result: pythonCall("sql_error", data.message, data.text) });
    } else if (data.type === "investigation") {
      const args = python.toPy(data.args);
      try {
        const result = JSON.parse(pythonCall("investigation", python.globals.get("account"), data.call, args));
        postMessage({ type: "result", id: data.id, result });
      } finally {
        args.destroy();
      }
    } else if (data.type === "reset") {
      python.runPython("account.reset()");
      postMessage({ type: "result", id: data.id, result: null });
    }
  } catch (error) {
    postMessage({ type: "failed", id: data.id, message: String((error && error.message) || error) });
  }
};
