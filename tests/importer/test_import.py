"""The import, one edge case of the source per fixture file."""

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from handbook.errors import HandbookError
from handbook.importer import convert, run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
LAYOUT = FIXTURES / "layout.yml"
TWO_PAGES = FIXTURES / "layout-two-pages.yml"
NO_ERRATA = FIXTURES / "no-errata.yml"


def imported(name: str, layout: Path = LAYOUT) -> dict[str, str]:
    files, _ = convert(FIXTURES / name, layout, NO_ERRATA)
    return files


def alpha(name: str) -> str:
    return imported(name)["docs/topics/alpha.md"]


def test_one_line_fence_becomes_a_snippet():
    files = imported("one-line-fence.md")
    assert files["snippets/alpha/list-buckets.sh"] == "aws s3 ls\n"
    assert '{{ snippet("alpha/list-buckets.sh") }}' in files["docs/topics/alpha.md"]


def test_code_on_the_opening_line_is_kept_and_later_headings_survive():
    files = imported("code-on-opening-line.md")
    assert files["snippets/alpha/create-ip-set.sh"] == "aws guardduty create-ip-set \\\n    --name new-ip-set\n"
    assert "## Alpha CheatSheet {#cli}" in files["docs/topics/alpha.md"]


def test_command_written_as_plain_text_becomes_a_snippet():
    files = imported("plain-command.md")
    assert files["snippets/alpha/set-alarm-state.sh"].startswith("aws cloudwatch set-alarm-state --alarm-name")
    assert "aws cloudwatch" not in files["docs/topics/alpha.md"]


def test_inline_triple_backticks_become_inline_code():
    assert "looks like this: `12abc34d567e8fa901bc2d34e56789f0`" in alpha("inline-triple-backticks.md")


def test_bullets_without_a_space_become_a_list():
    page = alpha("starless-bullet.md")
    assert "* Evaluate your AWS resource configurations." in page
    assert "* Get a snapshot of the current configurations." in page


def test_indented_prose_becomes_list_items_not_code():
    page = alpha("indented-prose.md")
    assert "* Diagnosing overly restrictive security group rules" in page
    assert "* Elastic Load Balancing" in page
    assert "    Diagnosing" not in page


def test_space_after_link_parenthesis_is_removed():
    assert "[Launch Templates](https://docs.aws" in alpha("spaced-link.md")


def test_pseudo_tag_is_shown_as_code_not_swallowed_as_html():
    assert "Input Template as `<variable-name>`." in alpha("pseudo-tag.md")


def test_list_nesting_is_written_with_four_spaces_a_level():
    page = alpha("list-indents.md")
    assert "2. Second step:\n    1. Sub-step indented by six" in page
    assert "9. Step after a tab:\n    1. Sub-step under the tab step\n        **A note" in page


def test_inline_command_in_a_list_step_becomes_a_snippet_under_the_step():
    files = imported("inline-command-in-list.md")
    page = files["docs/topics/alpha.md"]
    assert '    1. Determine which instances use the key pair: (Windows CMD example)\n\n        {{ snippet("alpha/' in page
    assert "| indent(8) }}" in page
    (ref,) = [f for f in files if f.startswith("snippets/")]
    assert files[ref].startswith("aws ec2 describe-instances --query")


def test_heading_links_resolve_to_page_and_anchor_and_prefix_matches_are_reported():
    files, result = convert(FIXTURES / "heading-links.md", TWO_PAGES, NO_ERRATA)
    page = files["docs/topics/alpha.md"]
    assert "[Beta page](beta.md)" in page
    assert "[Alpha cheat sheet](alpha.md#cli)" in page
    assert "[Alpha by prefix](alpha.md)" in page
    assert any("matched the heading 'Alpha' by its start" in note for note in result.notes)


def test_a_heading_not_in_the_layout_stays_on_its_page():
    files = imported("heading-links.md", TWO_PAGES)
    assert "## Incident Response Process {#incident-response-process}" in files["docs/topics/beta.md"]
    assert "Original: [Beta playbook](https://example.com/beta)" in files["docs/topics/beta.md"]


def test_link_to_nothing_stops_the_import_naming_file_and_line(tmp_path):
    with pytest.raises(HandbookError, match=r"broken-heading-link.md:5: link \[the missing section\]\(## Gamma\) points at no heading"):
        run(FIXTURES / "broken-heading-link.md", tmp_path, layout=LAYOUT, errata=NO_ERRATA)
    assert list(tmp_path.iterdir()) == []


def test_duplicate_heading_id_is_an_error_naming_the_line():
    with pytest.raises(HandbookError, match=r"duplicate-id.md:7: heading id 'cli' is used twice"):
        imported("duplicate-id.md")


def test_text_before_the_first_page_is_an_error():
    with pytest.raises(HandbookError, match=r"text-before-first-page.md:1: this text comes before"):
        imported("text-before-first-page.md")


def test_labels_become_headings_and_govcloud_an_admonition():
    page = alpha("labels-and-govcloud.md")
    assert "## How Alpha Differs for AWS GovCloud (US) {#govcloud}\n\n!!! warning" in page
    assert "    * Only the differences are listed here." in page
    assert "### Knowledge {#knowledge}" in page


def test_every_page_parses_with_no_heading_inside_code():
    for name in ("code-on-opening-line.md", "one-line-fence.md", "plain-command.md"):
        for path, text in imported(name).items():
            if path.endswith(".md"):
                tokens = MarkdownIt("commonmark").parse(text)
                assert not any(t.type in ("fence", "code_block") and "\n#" in "\n" + t.content for t in tokens)


def test_import_is_deterministic_and_atomic(tmp_path):
    source = FIXTURES / "heading-links.md"
    run(source, tmp_path / "a", layout=TWO_PAGES, errata=NO_ERRATA)
    run(source, tmp_path / "b", layout=TWO_PAGES, errata=NO_ERRATA)
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and a
    before = {p: p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    with pytest.raises(HandbookError, match="only with --force"):
        run(source, tmp_path / "a", layout=TWO_PAGES, errata=NO_ERRATA)
    with pytest.raises(HandbookError):
        run(FIXTURES / "broken-heading-link.md", tmp_path / "a", layout=LAYOUT, errata=NO_ERRATA, force=True)
    after = {p: p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    assert after == before


def test_in_page_links_lead_to_the_page_their_heading_landed_on():
    files, result = convert(FIXTURES / "in-page-links.md", TWO_PAGES, NO_ERRATA)
    index = files["docs/index.md"]
    assert "[containment](topics/alpha.md#part-3-contain)" in index
    assert "[Beta playbook](topics/beta.md)" in index
    assert "[the handbook](../index.md)" in files["docs/topics/alpha.md"]


def test_links_to_files_beside_the_source_are_reported_plainly():
    _, result = convert(FIXTURES / "in-page-links.md", TWO_PAGES, NO_ERRATA)
    said = "\n".join(result.notes)
    assert "in-page-links.md:4: the link to collect.sh names a file beside the source (it is there)" in said
    assert "the link to images/flow.png names a file beside the source (it is not there either)" in said


def test_a_bash_fence_that_starts_with_a_comment_is_a_shell_snippet():
    files, _ = convert(FIXTURES / "in-page-links.md", TWO_PAGES, NO_ERRATA)
    [ref] = [name for name in files if name.startswith("snippets/beta/")]
    assert ref == "snippets/beta/list-actor-s-keys.sh"  # .sh, not .txt; named by the lead, as every snippet
    assert files[ref].startswith("# run this as the responder")


def test_an_in_page_link_to_no_heading_stops_the_import_at_its_line():
    with pytest.raises(HandbookError, match=r"broken-in-page-link.md:3: the link to #part-9--contain points at no heading"):
        convert(FIXTURES / "broken-in-page-link.md", TWO_PAGES, NO_ERRATA)
