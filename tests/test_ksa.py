"""KSA ids: the scheme, the contract, numbering, links and exports."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from handbook import cli, ksa
from handbook.errors import HandbookError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "ksa"


@pytest.fixture
def pages(tmp_path) -> Path:
    shutil.copy(FIXTURES / "page.md", tmp_path / "page.md")
    shutil.copy(FIXTURES / "ksa.yml", tmp_path / "ksa.yml")
    return tmp_path


def problems(pages: Path) -> list[str]:
    return [str(p) for p in ksa.load(pages, pages / "ksa.yml")[1]]


def edit(pages: Path, old: str, new: str) -> None:
    page = pages / "page.md"
    text = page.read_text()
    assert old in text
    page.write_text(text.replace(old, new))


def test_fixture_is_clean_and_reads_every_kind(pages):
    registry, found = ksa.load(pages, pages / "ksa.yml")
    assert found == []
    assert [(i.id, i.kind, i.text) for i in registry.items] == [
        ("al-k01", "k", "What is Alpha?"), ("al-s01", "s", "Enable Alpha"),
        ("al-s02", "s", "Read Alpha logs"), ("al-a01", "a", "Ability to explain Alpha."),
    ]


def test_item_without_id(pages):
    edit(pages, "* Read Alpha logs\n{: #al-s02 }\n", "* Read Alpha logs\n")
    assert "docs/page.md:17: this skill has no KSA id; `handbook ksa number` gives it the next free one" in problems(pages)


def test_duplicate_id(pages):
    edit(pages, "{: #al-s02 }", "{: #al-s01 }")
    assert any("docs/page.md:17: KSA id 'al-s01' is already used at docs/page.md:15" in p for p in problems(pages))


def test_id_outside_the_scheme(pages):
    edit(pages, "{: #al-a01 }", "{: #al-s03 }")
    assert any("docs/page.md:22: KSA id 'al-s03' is outside the scheme: a ability on this page is al-aNN" in p for p in problems(pages))


def test_retired_id_reused(pages):
    edit(pages, "{: #al-s02 }", "{: #al-s09 }")
    assert any("KSA id 'al-s09' was retired (it went to al-s02)" in p for p in problems(pages))


def test_removed_published_id_breaks_the_contract(pages):
    edit(pages, "* Read Alpha logs\n{: #al-s02 }\n", "")
    assert any("published KSA id 'al-s02' is on no page" in p for p in problems(pages))


def test_unpublished_id(pages):
    edit(pages, "Ability to explain Alpha.\n{: #al-a01 }\n", "Ability to explain Alpha.\n{: #al-a01 }\n\nAbility to teach Alpha.\n{: #al-a02 }\n")
    assert any("KSA id 'al-a02' is not in ksa.yml" in p for p in problems(pages))


def test_number_gives_next_free_numbers_never_a_retired_one(pages):
    edit(pages, "* Read Alpha logs\n{: #al-s02 }\n", "* Read Alpha logs\n{: #al-s02 }\n* Export Alpha findings\n")
    edit(pages, "Ability to explain Alpha.\n{: #al-a01 }\n", "Ability to explain Alpha.\n{: #al-a01 }\n\nAbility to teach Alpha.\n")
    given = ksa.number(pages, pages / "ksa.yml")
    assert sorted(given) == ["al-a02", "al-s03"]
    assert problems(pages) == []
    assert "* Export Alpha findings\n{: #al-s03 }" in (pages / "page.md").read_text()
    assert "al-s03" in ksa.Contract.load(pages / "ksa.yml").published


def test_links_absolute_with_site_url_and_retired_ids_follow(pages):
    registry, _ = ksa.load(pages, pages / "ksa.yml")
    assert registry.link("al-s01") == "page.html#al-s01"
    assert registry.link("al-s01", "https://handbook.example/ir/") == "https://handbook.example/ir/page.html#al-s01"
    assert registry.link("al-s09") == "page.html#al-s02"
    with pytest.raises(HandbookError, match="there is no KSA item 'al-zz'"):
        registry.link("al-zz")


def test_handbook_link_command(capsys):
    assert cli.main(["link", "ct-s01"]) == 0
    assert capsys.readouterr().out.strip() == "services/cloudtrail.html#ct-s01"
    assert cli.main(["link", "ct-s99"]) == 1
    assert "there is no KSA item 'ct-s99'" in capsys.readouterr().err


def test_every_service_and_playbook_part_has_ids():
    registry, found = ksa.load(ROOT / "docs", ROOT / "ksa.yml")
    assert found == []
    pages = {i.page for i in registry.items}
    assert len(pages) == 14
    for page in pages:
        kinds = {i.kind for i in registry.items if i.page == page}
        assert kinds == ({"p"} if page.startswith("playbooks/") else {"k", "s", "a"}), page


def test_every_published_id_resolves_in_the_built_site(handbook_site):
    """The contract: each published id is an element of its page, and its short link lands there."""
    assert handbook_site.code == 0, handbook_site.log
    contract = ksa.Contract.load(ROOT / "ksa.yml")
    registry, _ = ksa.load(ROOT / "docs", ROOT / "ksa.yml")
    for ksa_id in contract.published:
        page, _, anchor = registry.link(ksa_id).partition("#")
        html = (handbook_site.site / page).read_text()
        assert f'id="{anchor}"' in html, ksa_id
        assert f'data-clipboard-text="{registry.link(ksa_id)}"' in html, ksa_id
        short = (handbook_site.site / "ksa" / f"{ksa_id}.html").read_text()
        assert f'url=../{page}#{anchor}"' in short


def test_exports(handbook_site):
    rows = json.loads((handbook_site.site / "ksa.json").read_text())
    assert [r["id"] for r in rows] == [i.id for i in ksa.load(ROOT / "docs", ROOT / "ksa.yml")[0].items]
    with open(handbook_site.site / "ksa.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert table == [{k: r[k] for k in ("id", "service", "kind", "text", "link")} for r in rows]
    assert set(rows[0]) == {"id", "service", "kind", "text", "link"}
    skills = [r for r in rows if r["kind"] == "Skill"]
    assert all(r["exercise"] is True or (r["exercise"] is False and r["reason"]) for r in skills)
    assert next(r for r in skills if r["id"] == "ct-s08")["exercise"] is True
    assert all("exercise" not in r for r in rows if r["kind"] != "Skill")
    checklist = (handbook_site.site / "ksa" / "checklist.html").read_text()
    assert checklist.count('class="task-list-item"') == len(rows)
