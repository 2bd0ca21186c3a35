"""The built handbook: strict, complete, and rendered the way its source reads."""

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from handbook import errata, snippets
from handbook.source import normal, units
from sitetext import read

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "td-ir-ksa-handbook.md"


@pytest.fixture(scope="module")
def site(handbook_site):
    assert handbook_site.code == 0, handbook_site.log
    return handbook_site.site


@pytest.fixture(scope="module")
def articles(site):
    return {p.relative_to(site).as_posix(): read(p.read_text()) for p in sorted(site.rglob("*.html")) if p.name != "404.html"}


def test_strict_build_has_no_warnings(handbook_site):
    assert handbook_site.code == 0, handbook_site.log
    assert not [line for line in handbook_site.log.splitlines() if "WARNING" in line]


def test_pages(articles):
    assert len(articles) >= 17
    for page in ["index.html", "analyst-questions.html", "appendix.html", "errata.html",
                 "playbooks/credential-compromise.html", "playbooks/s3-unintended-access.html"]:
        assert page in articles
    assert len([p for p in articles if p.startswith("services/") and p != "services/index.html"]) == 12


def test_every_analyst_question_link_lands_on_an_existing_heading(articles):
    links = [h for h in articles["analyst-questions.html"].links if h.startswith("services/")]
    assert len(links) == 19  # 15 different links, some asked for by several questions
    for href in links:
        page, _, anchor = href.partition("#")
        assert page in articles, href
        assert not anchor or anchor in articles[page].ids, href


def test_playbook_two_keeps_its_incident_response_process(articles):
    assert "pb2-p07" in articles["playbooks/s3-unintended-access.html"].ids  # Incident Response Process
    assert not any("incident-response-process" in p for p in articles)


def test_ticket_ids_on_every_service_page(articles):
    for page, article in articles.items():
        if page.startswith("services/") and page != "services/index.html":
            missing = {"govcloud", "knowledge", "skills", "abilities", "cli", "training", "documentation"} - article.ids
            assert not missing, f"{page} lacks {missing}"


def test_no_heading_inside_code_and_no_command_as_prose(articles):
    for page, article in articles.items():
        for block in article.code:
            assert not re.search(r"^#{1,6} [A-Z]", block, re.M), f"{page}: a heading inside code: {block[:80]}"
        for paragraph in article.paragraphs:
            assert not re.match(r"\s*aws [a-z0-9-]+ [a-z0-9-]+ ", paragraph), f"{page}: a command as prose: {paragraph[:80]}"


def test_every_snippet_is_shown_as_code(articles):
    code = "\n".join(block for article in articles.values() for block in article.code)
    for snippet in snippets.find(ROOT / "snippets"):
        first = snippet.text.strip().splitlines()[0].strip()
        assert normal(first) in normal(code), f"{snippet.ref} is not shown as code"


def commonmark_items(text: str) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").parse(text)
    items, depth = [], 0
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            depth += 1
            inline = next(t for t in tokens[i:] if t.type == "inline")
            items.append((depth, "".join(c.content for c in inline.children if c.type in ("text", "code_inline"))))
        elif tok.type == "list_item_close":
            depth -= 1
    return items


def without_admonitions(markdown: str) -> str:
    """An admonition's body as plain Markdown: CommonMark would read its indent as code."""
    out, inside = [], False
    for line in markdown.splitlines():
        if line.startswith("!!! "):
            inside = True
            continue
        if inside and line.strip() and not line.startswith("    "):
            inside = False
        out.append(line[4:] if inside else line)
    return "\n".join(out)


def words(text: str) -> str:
    text = re.sub(r"\{:?\s*#[\w-]+\s*\}", "", text)  # an attr_list id is not text
    return " ".join(re.findall(r"[A-Za-z0-9]+", text))[:40]


WRITTEN_LISTS = sorted(  # pages whose lists are written in Markdown, not made by a macro
    p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
    if not any(macro in p.read_text() for macro in ("{{ ksa_", "{{ drill_sheet", "{{ incident"))
)


@pytest.mark.parametrize("page", WRITTEN_LISTS)
def test_every_list_step_renders_under_its_parent_step(articles, page):
    """Python-Markdown nests lists only by four spaces; the page must render as CommonMark reads it."""
    want = [(d, words(t)) for d, t in commonmark_items(without_admonitions((ROOT / "docs" / page).read_text()))]
    got = [(d, words(t)) for d, t in articles[page.replace(".md", ".html")].items]
    assert got == want


def test_nothing_of_the_source_is_lost(articles):
    site = " \n ".join(normal("".join(a.text)) for a in articles.values())
    changed = errata.load(ROOT / "source" / "errata.yml")
    lost = [
        f"source line {u.line}: {u.text[:90]}"
        for u in units(SOURCE.read_text())
        if normal(u.text) not in site and not any(u.line <= e.line <= u.last for e in changed)
    ]
    assert not lost, "\n".join(lost)


def test_errata_page_lists_every_entry(articles):
    errata_text = normal("".join(articles["errata.html"].text))
    for entry in errata.load(ROOT / "source" / "errata.yml"):
        assert normal(entry.reason) in errata_text


def test_every_cli_example_shows_its_output_and_how_it_was_verified(site):
    from handbook.examples import status

    ran = not_run = 0
    for example in snippets.find(ROOT / "snippets"):
        state = status.of(example, example.declarations, snippets.model_only(ROOT / "snippets"))
        ran += state.key == "simulated"
        not_run += state.key in ("model-only", "unrecorded")
    assert not_run == 0  # every CLI example runs against simulated AWS and has its output recorded
    html = "".join(p.read_text() for p in (site / "services").glob("*.html"))
    html += "".join(p.read_text() for p in (site / "playbooks").glob("*.html"))
    assert html.count('class="example-status example-status--simulated"') == ran >= 40
    assert html.count(">Example output</label>") == ran
    logs = (site / "services" / "cloudwatch-logs.html").read_text()
    assert 'example-status--not-executed">Not executed: it downloads the CloudWatch Logs agent installer' in logs


def test_every_placeholder_is_shown_unchanged_and_marked(site):
    import re

    for example in snippets.find(ROOT / "snippets"):
        if example.kind not in ("cli", "sql"):
            continue
        for name in re.findall(r"<([A-Za-z][A-Za-z0-9_.-]*)>", example.text):
            page = next((site / p).read_text() for p in [f"services/{example.page}.html", f"playbooks/{example.page}.html"]
                        if (site / p).exists())
            assert f'<span class="placeholder" title="placeholder: replace with your value">&lt;{name}&gt;</span>' in page, \
                (example.ref, name)
