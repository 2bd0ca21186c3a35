"""MkDocs hooks for the offline kit's build only: inactive unless the offline plugin is enabled.

`make kit` enables Material's offline plugin and the print-site plugin (HANDBOOK_OFFLINE=true,
see mkdocs.yml). Then this adds what they lack, so the online site stays exactly as it was:
- the iframe-worker shim from the pinned npm tarball (handbook.kit.shim) as a polyfill, which
  also stops the offline plugin from adding its CDN <script> tag;
- keep-worker.js, before the shim: the browser's own Worker, which the shim replaces on file://
  and the in-page runtime needs (handbook/runtime/assets/run.js);
- kit.css: external links marked, print fixes for the PDF (handbook.kit.pdf opens collapsed
  blocks before printing; Material's print styles show every tab);
- `extra.kit` (version, date, commit) for the PDF's cover page.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from handbook.errors import HandbookError
from handbook.kit import shim, source

ROOT = Path(__file__).resolve().parents[2]
ASSETS = Path(__file__).parent / "assets"
SHIM = "assets/javascripts/iframe-worker/"
STYLE = "assets/stylesheets/kit.css"
KEEP_WORKER = "assets/javascripts/keep-worker.js"


def active(config) -> bool:
    offline = config.plugins.get("material/offline")
    return bool(offline and offline.config.enabled)


@event_priority(100)  # before the offline plugin, which adds a CDN tag unless a polyfill names iframe-worker
def on_config(config):
    if not active(config):
        return config
    # The shim replaces window.Worker on file://; the in-page runtime needs the browser's own.
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), KEEP_WORKER, SHIM + "shim.js"]
    config.extra_css.append(STYLE)
    found = source.read(ROOT)
    config.extra["kit"] = {"version": found.version, "date": found.day,
                           "commit": (found.commit or "unknown")[:12] + (" with local changes" if found.changed else "")}
    return config


def on_files(files, config):
    if not active(config):
        return files
    try:
        found = shim.files()
    except HandbookError as err:
        raise PluginError(str(err)) from None
    for name, content in found.items():
        files.append(File.generated(config, SHIM + name, content=content))
    files.append(File.generated(config, STYLE, abs_src_path=str(ASSETS / "kit.css")))
    files.append(File.generated(config, KEEP_WORKER, abs_src_path=str(ASSETS / "keep-worker.js")))
    return files
