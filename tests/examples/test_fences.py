"""Fences of a Markdown page, found with markdown-it, with their declarations."""

from pathlib import Path

import markdown
import pytest

from handbook.examples import fences

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


@pytest.fixture(scope="module")
def found():
    return fences.fences((PAGES / "fences.md").read_text())


def test_every_fence_is_found_with_its_line_and_language(found):
    assert [(f.line, f.last_line, f.language) for f in found] == [
        (5, 7, "bash"), (11, 13, "json"), (17, 19, "bash"), (22, 24, "text"), (28, 30, "yaml"), (34, 36, "text")]


def test_declarations_come_from_either_form_of_info_string(found):
    assert found[1].declarations == {"schema": "config:PutConfigRule.ConfigRule"}
    assert found[2].declarations == {"setup": [{"call": "s3.create_bucket", "args": {"Bucket": "ir-evidence"}}]}
    assert found[3].declarations == {"format": "vpc-flow-log"}
    assert found[0].declarations == {} and found[2].text == "aws s3 ls s3://ir-evidence\n"


def test_fences_in_admonitions_and_tabs_are_found_as_python_markdown_reads_them(found):
    assert found[3].text.startswith("2 123456789010 eni-1235b8ca123456789")
    assert found[4].text == "not: an example\n"


def test_a_fence_spans_its_opening_and_closing_lines():
    text = (PAGES / "fences.md").read_text()
    first = fences.fences(text)[0]
    assert text[first.start:first.end] == "```bash\naws cloudtrail describe-trails\n```"


def test_an_unreadable_declaration_is_a_problem_not_a_crash():
    [fence] = fences.fences((PAGES / "unreadable-attribute.md").read_text())
    assert fence.declarations == {}
    assert fence.problems[0].startswith("the fence attribute schema='[unclosed' is not readable as YAML")


def test_presentational_attributes_are_not_declarations():
    info = fences.parse_info('{.bash .wide #cmd title="x.sh" linenums="1" schema="s"}')
    assert info.language == "bash" and info.declarations == {"schema": "s"}
    assert info.presentation == {"classes": ["wide"], "id": "cmd", "title": "x.sh", "linenums": "1"}


def test_the_build_strips_declarations_so_superfences_renders_the_block():
    text = (PAGES / "fences.md").read_text()
    stripped = fences.strip_declarations(text)
    assert 'schema=' not in stripped and "setup=" not in stripped and "format=" not in stripped
    assert 'title="list.sh"' in stripped
    html = markdown.markdown(stripped, extensions=["pymdownx.superfences", "pymdownx.highlight", "attr_list",
                                                   "admonition", "pymdownx.tabbed"])
    assert html.count('<div class="highlight">') == 6 and "<code>json" not in html
    bare = '```json schema="config:ConfigRule"\n{}\n```\n'  # attributes without braces
    assert markdown.markdown(bare, extensions=["pymdownx.superfences"]).startswith("<p><code>json schema=")
    assert markdown.markdown(fences.strip_declarations(bare), extensions=["pymdownx.superfences"]).startswith(
        '<div class="highlight">')
