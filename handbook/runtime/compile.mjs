// Compiles a folder of Python sources to the bytecode of the browser's Python, with that Python:
// the pinned Pyodide, run by Node. Importing from bytecode spares the reader's browser most of
// its start-up (compiling awscli and moto's sources took three quarters of it).
//     node compile.mjs PYODIDE_DIR SOURCE_DIR
// Each x.py gets x.pyc beside it (sourceless, unchecked hash: no dates, the same bytes each time).
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, sourceDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const python = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: (line) => console.error(line) });
python.FS.mkdirTree("/sources");
python.FS.mount(python.FS.filesystems.NODEFS, { root: path.resolve(sourceDir) }, "/sources");
python.runPython(`
import compileall, py_compile, sys
if not compileall.compile_dir("/sources", quiet=1, legacy=True, workers=1,
                              invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH):
    sys.exit("some sources did not compile")
`);
