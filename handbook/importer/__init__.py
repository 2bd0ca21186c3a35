"""`handbook import`: a monolithic runbook in, pages and snippet files out.

repair (fence defects) -> read (markdown-it) -> split into pages -> write, all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from handbook import errata as errata_file
from handbook.importer import layout as layout_file
from handbook.importer.document import read
from handbook.importer.pages import Result, split
from handbook.importer.repair import repair
from handbook.importer.write import replace_tree


ERRATA_PAGE = """# Errata {#errata}

The handbook started as one Markdown file, kept verbatim in `source/td-ir-ksa-handbook.md`.
Where the site says something different from that file on purpose, the change is listed here
with its reason. Changes of layout only (pages, headings made linkable, code shown as blocks)
are not listed: their words are unchanged.

{{ errata() }}
"""


def convert(source: Path, layout: Path, errata: Path) -> tuple[dict[str, str], Result]:
    """Every file the import writes (relative path -> text), computed in memory."""
    text = Path(source).read_text(encoding="utf-8")
    fixed = errata_file.apply(text.splitlines(), errata_file.load(errata), source=source, errata=errata)
    rules = layout_file.load(layout)
    doc = read(repair("\n".join(fixed) + "\n"), rules.labels, rules.topics)
    result = split(doc, rules, str(source))
    files = {f"docs/{p.rule.page}": p.markdown for p in result.pages}
    if errata_file.load(errata):
        files["docs/errata.md"] = ERRATA_PAGE
    files.update({f"snippets/{ref}": code for ref, code in result.snippets.items()})
    return files, result


def run(source: Path, out: Path, *, layout: Path, errata: Path, force: bool = False) -> Result:
    files, result = convert(source, layout, errata)
    replace_tree(Path(out), files, folders=("docs", "snippets"), force=force)
    return result
