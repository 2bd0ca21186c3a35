"""The runtime's files as the site serves them: classic scripts, for the served site and file:// alike.

A page opened from file:// may load a classic <script> and nothing else (no fetch, no module,
no worker from a file), so every file the runtime needs travels in a script that hands it over:
`__hbRuntimePayload(name, encoding, data)`, text as a JSON string, binaries as base64. The page
loads them only on the first Run (assets/javascripts/run.js), passes them to a Web Worker made
from a blob (which file:// allows), and the worker answers the runtime's own fetches from them.
One way for both: the served site uses the same scripts.

    assets/runtime/index.js      what the others hold: names, stages, sizes (read first)
    assets/runtime/runtime.js    Pyodide's JavaScript, its lock file, the worker's code
    assets/runtime/wasm.js       the interpreter (base64 of gzip: 3.5 MB instead of 9.6)
    assets/runtime/stdlib.js     Python's standard library, as bytecode like the packages (base64 zip)
    assets/runtime/packages.js   the pinned packages (handbook/runtime/bundle.py, base64 zip)
    assets/runtime/handbook.js   the project's code and snippets (base64 zip)
    assets/runtime/sql-engine.js the SQL engine's worker: Apache Arrow, duckdb-wasm's blocking build,
                                 assets/sql-worker.js (one text)
    assets/runtime/duckdb.js     DuckDB's WebAssembly (base64 of gzip: 7.6 MB instead of 34 MB)
    assets/runtime/manifest.json what went in: names, versions, licences, bytes

The last two are the SQL engine (handbook/runtime/athena.py): loaded only when an SQL box first
runs, after the Python runtime, and never by a page without one.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
from pathlib import Path

from handbook import npm
from handbook.runtime import bundle, pyodide

FOLDER = "assets/runtime/"
ASSETS = Path(__file__).parent / "assets"
# script -> (stage of the progress bar, the files it hands over)
SCRIPTS = {
    "runtime.js": "runtime",
    "wasm.js": "runtime",
    "stdlib.js": "runtime",
    "packages.js": "packages",
    "handbook.js": "packages",
}
ENGINE = ("sql-engine.js", "duckdb.js")
DUCKDB = npm.pinned("@duckdb/duckdb-wasm")
ARROW = npm.pinned("apache-arrow")
# The blocking build is a CommonJS module whose one import is Apache Arrow, whose browser build
# sets the global Arrow: given a `module` and a `require`, both run as one classic script.
COMMONJS = ('var module = {exports: {}}, exports = module.exports;\n'
            'var require = (name) => { if (name === "apache-arrow") return self.Arrow; '
            'throw new Error(`the SQL engine carries no module ${name}`); };\n')


# What both workers share (their files, a fetch that answers only those), put before each.
PRELUDE = "worker-files.js"


def worker(name: str) -> str:
    """A worker's script as its blob holds it: the shared prelude, then the worker's own file."""
    return "\n".join((ASSETS / file).read_text(encoding="utf-8") for file in (PRELUDE, name))


def call(name: str, content: bytes | str) -> str:
    if isinstance(content, str):
        return f"__hbRuntimePayload({json.dumps(name)}, \"text\", {json.dumps(content)});\n"
    return f"__hbRuntimePayload({json.dumps(name)}, \"base64\", \"{base64.b64encode(content).decode()}\");\n"


def files(snippets_root: Path) -> dict[str, bytes]:
    """Every file of assets/runtime/: {path in the site: content}."""
    own = bundle.handbook_zip(snippets_root)
    commands = bundle.config()["commands"]
    out = {FOLDER + name: content for name, content in fixed().items()}
    out[FOLDER + "handbook.js"] = call("handbook.zip", own.data).encode()
    out.update({FOLDER + name: content for name, content in engine().items()})
    index = {"base": pyodide.BASE, "commands": commands,
             "scripts": [{"name": name, "stage": SCRIPTS[name], "bytes": len(out[FOLDER + name])} for name in SCRIPTS],
             "engine": {"base": ENGINE_BASE, "scripts": [{"name": name, "bytes": len(out[FOLDER + name])} for name in ENGINE]}}
    out[FOLDER + "index.js"] = f"__hbRuntimeIndex({json.dumps(index)});\n".encode()
    manifest = json.loads(out.pop(FOLDER + "manifest.json"))
    manifest["handbook"] = own.manifest
    manifest["scripts"] = {name: len(out[FOLDER + name]) for name in (*SCRIPTS, *ENGINE)}
    manifest["sql engine"] = {package.name: {"version": package.version, "license": license}
                              for package, license in ((DUCKDB, "MIT"), (ARROW, "Apache-2.0"))}
    out[FOLDER + "manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    return out


def fixed(cache: Path = bundle.CACHE) -> dict[str, bytes]:
    """The scripts that change only with the pins (Pyodide, the packages, the worker): built once, cached."""
    digest = hashlib.sha256(f"{pyodide.PACKAGE.integrity} {bundle.key()}".encode())
    for path in (ASSETS / "worker.js", ASSETS / PRELUDE, Path(__file__)):
        digest.update(path.read_bytes())
    names = [name for name in SCRIPTS if name != "handbook.js"] + ["manifest.json"]
    return _cached(cache / f"scripts-{digest.hexdigest()[:16]}", names, _fixed)


def _fixed() -> dict[str, bytes]:
    core = pyodide.files()
    packages = bundle.packages()
    scripts = {
        "runtime.js": call("pyodide.js", core["pyodide.js"].decode())
        + call("pyodide.asm.js", pyodide.classic(core["pyodide.asm.mjs"].decode()))
        + call("pyodide-lock.json", core["pyodide-lock.json"].decode())
        + call("worker.js", worker("worker.js")),
        "wasm.js": call("pyodide.asm.wasm.gz", gzip.compress(core["pyodide.asm.wasm"], 9, mtime=0)),
        "stdlib.js": call("python_stdlib.zip", bundle.compiled_zip(core["python_stdlib.zip"])),
        "packages.js": call("packages.zip", packages.data),
    }
    package_json = json.loads(core["package.json"])
    manifest = {
        "pyodide": {"version": package_json["version"], "license": package_json["license"],
                    "python": json.loads(core["pyodide-lock.json"])["info"]["python"],
                    "files": {name: len(core[name]) for name in ("pyodide.asm.wasm", "python_stdlib.zip",
                                                                 "pyodide.asm.mjs", "pyodide.js")}},
        "packages": packages.manifest,
    }
    found = {name: text.encode() for name, text in scripts.items()}
    found["manifest.json"] = json.dumps(manifest).encode()
    return found


def _cached(folder: Path, names, build) -> dict[str, bytes]:
    """`names` from `folder` (named by a digest of what they are made of), or `build()` them there,
    removing the folders earlier digests left."""
    if all((folder / name).is_file() for name in names):
        return {name: (folder / name).read_bytes() for name in names}
    found = build()
    prefix = folder.name.rsplit("-", 1)[0]
    for old in folder.parent.glob(f"{prefix}-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in found.items():
        bundle.write_whole(folder / name, content)
    return found


# The address the SQL engine believes it was loaded from (never fetched, as pyodide.BASE).
ENGINE_BASE = "https://runtime.invalid/duckdb/"


def engine(cache: Path = bundle.CACHE) -> dict[str, bytes]:
    """The SQL engine's two scripts, from the pinned duckdb-wasm and Arrow: built once, cached."""
    digest = hashlib.sha256(f"{DUCKDB.integrity} {ARROW.integrity}".encode())
    for path in (ASSETS / "sql-worker.js", ASSETS / PRELUDE, Path(__file__)):
        digest.update(path.read_bytes())
    return _cached(cache / f"engine-{digest.hexdigest()[:16]}", ENGINE, _engine)


def _engine() -> dict[str, bytes]:
    duckdb = npm.members(DUCKDB, ["package/dist/duckdb-browser-blocking.cjs", "package/dist/duckdb-eh.wasm"])
    arrow = npm.members(ARROW, ["package/Arrow.es2015.min.js"])["package/Arrow.es2015.min.js"].decode()
    script = "\n;\n".join([arrow, COMMONJS + duckdb["package/dist/duckdb-browser-blocking.cjs"].decode(),
                            "self.__hbDuckdb = module.exports;", worker("sql-worker.js")])
    found = {
        "sql-engine.js": call("sql-worker.js", script).encode(),
        "duckdb.js": call("duckdb-eh.wasm.gz", gzip.compress(duckdb["package/dist/duckdb-eh.wasm"], 9, mtime=0)).encode(),
    }
    return found
