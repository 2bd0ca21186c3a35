"""The errata still apply to the source, and re-importing it gives the maintained snippets."""

from pathlib import Path

from handbook import errata, snippets
from handbook.importer import convert

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source"


def test_reimporting_the_source_gives_every_maintained_snippet_byte_for_byte():
    files, _ = convert(SOURCE / "td-ir-ksa-handbook.md", SOURCE / "import.yml", SOURCE / "errata.yml")
    imported = {name.removeprefix("snippets/"): text for name, text in files.items() if name.startswith("snippets/")}
    maintained = {s.ref: s.text for s in snippets.find(ROOT / "snippets")}
    assert {ref: text for ref, text in imported.items() if maintained.get(ref) != text} == {}


def test_a_snippet_the_source_lacks_is_noted_in_the_errata():
    files, _ = convert(SOURCE / "td-ir-ksa-handbook.md", SOURCE / "import.yml", SOURCE / "errata.yml")
    added = {s.ref for s in snippets.find(ROOT / "snippets")} - {n.removeprefix("snippets/") for n in files}
    notes = " ".join(e.reason for e in errata.load(SOURCE / "errata.yml") if e.site is None)
    assert added, "the site adds examples the source lacks (recordingGroup.json, add-partition.sql)"
    assert [ref for ref in added if Path(ref).name not in notes] == []
