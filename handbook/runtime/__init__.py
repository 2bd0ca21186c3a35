"""Run in the page: every CLI example runs in a simulated AWS account inside the reader's browser.

The same code and pinned versions as the suite, with no server and no network, served or from
file://: Pyodide (CPython in WebAssembly, handbook/runtime/pyodide.py) runs in a Web Worker the
pinned packages (bundle.py) and the handbook's own engine (handbook/account.py), started by
boot.py. payload.py makes the files the site serves; assets/run.js adds Run, Edit and Reset to
the examples; assets/worker.js is the worker; assets/practise.js runs the Practise boxes and
assets/record.js the qualification record (handbook/training/). `files()` is what the site build adds.
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
SCRIPT = "assets/javascripts/run.js"
# beside run.js, after it: Athena in the page (sql.js) and the drills' investigation panel
EXTRA = ("assets/javascripts/sql.js", "assets/javascripts/investigation.js")
STYLE = "assets/stylesheets/run.css"
# The Practise box and the qualification record (handbook/training/page.py renders their markup);
# record.js first: the others read the record as they scan the page.
TRAINING_SCRIPTS = ("assets/javascripts/record.js", "assets/javascripts/practise.js")
TRAINING_STYLE = "assets/stylesheets/practise.css"


def files(snippets_root: Path) -> dict[str, bytes]:
    """Every file the site serves for the runtime: {path in the site: content}."""
    from handbook.runtime import payload

    found = payload.files(snippets_root)
    found[SCRIPT] = (ASSETS / "run.js").read_bytes()
    for script in EXTRA:
        found[script] = (ASSETS / script.rsplit("/", 1)[1]).read_bytes()
    found[STYLE] = (ASSETS / "run.css").read_bytes()
    for path in (*TRAINING_SCRIPTS, TRAINING_STYLE):
        found[path] = (ASSETS / path.rsplit("/", 1)[1]).read_bytes()
    return found
