"""The pinned Pyodide (CPython for the browser) from the npm registry, made loadable from file://.

The npm package `pyodide` holds the core: the WebAssembly interpreter, its JavaScript and the
standard library. Opened from file://, a page may not import an ES module or fetch a file, so
the runtime never does either (handbook/runtime/payload.py delivers every file in a classic
script). For that, `pyodide.asm.mjs`, an ES module, is turned into a classic script here: its
default export becomes a global, passed to `loadPyodide` as `createPyodideModule`, and
`import.meta.url` becomes the runtime's fixed base address, which nothing ever fetches: the
worker answers the runtime's own file names from memory (handbook/runtime/assets/worker.js).
This depends on the exact text of the pinned file, so a file that does not have it is an error.
"""

from __future__ import annotations

from handbook import npm
from handbook.errors import HandbookError

PACKAGE = npm.pinned("pyodide")
# The base address the runtime believes it was loaded from: .invalid never resolves (RFC 6761).
BASE = "https://runtime.invalid/pyodide/"
MEMBERS = ("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
           "package.json")
EXPORT = "export default _createPyodideModule;"
GLOBAL = "globalThis._createPyodideModule = _createPyodideModule;"


def files() -> dict[str, bytes]:
    """The files of the pinned Pyodide the runtime uses: {name: content}."""
    found = npm.members(PACKAGE, [f"package/{name}" for name in MEMBERS])
    return {name.removeprefix("package/"): content for name, content in found.items()}


def classic(module: str) -> str:
    """`pyodide.asm.mjs` as a classic script defining `globalThis._createPyodideModule`."""
    if module.count(EXPORT) != 1 or "import.meta.url" not in module:
        raise HandbookError(PACKAGE.tarball(), None, f"pyodide.asm.mjs of {PACKAGE.spec} is not as expected "
                            f"(one `{EXPORT}` and `import.meta.url`); the runtime cannot load it from file://")
    script = module.replace(EXPORT, GLOBAL).replace("import.meta.url", repr(BASE + "pyodide.asm.mjs"))
    if "import.meta" in script:
        raise HandbookError(PACKAGE.tarball(), None, f"pyodide.asm.mjs of {PACKAGE.spec} uses import.meta "
                            "in a way the runtime does not replace")
    return script
