"""pytest + sybil collect every example as one item named by its file and line."""

from handbook import aws  # noqa: F401,I001  -- first: boto3 and moto must share awscli's botocore

from pathlib import Path

import pytest
from sybil import Document

from handbook import snippets
from handbook.examples import Finding, collect, verify

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "fixtures" / "verify" / "project"


def items(root: Path, path: Path):
    """The examples sybil makes of `path`, as the pytest hook would (the sybil that claims it)."""
    [claimed] = [s for s in collect.sybils(root) if s.should_parse(path)]
    document = claimed.parse(path)
    document.namespace[collect.PROJECT_FIXTURE] = verify.Project(root / "snippets", root / "docs")
    return claimed, list(document.examples())


def test_every_snippet_file_is_one_item_and_no_sidecar_is_one():
    [files, pages] = collect.sybils(ROOT)
    claimed = sorted(p.relative_to(ROOT / "snippets").as_posix()
                     for p in (ROOT / "snippets").rglob("*") if p.is_file() and files.should_parse(p))
    assert claimed == sorted(s.ref for s in snippets.find(ROOT / "snippets"))
    assert not any(p.suffix in (".yml", ".output") for p in map(Path, claimed))
    assert all(pages.should_parse(p) for p in (ROOT / "docs").rglob("*.md"))


def test_every_snippet_call_of_a_page_is_one_item_named_by_its_line():
    page = ROOT / "docs" / "services" / "cloudtrail.md"
    claimed, examples = items(ROOT, page)
    calls = snippets.calls(page.read_text())
    assert [e.line for e in examples] == [c.line for c in calls]
    assert claimed.identify(examples[0]) == f"sybil:page,line:{calls[0].line},column:1"


def test_a_snippet_item_is_named_by_its_file_and_first_line():
    claimed, [example] = items(ROOT, ROOT / "snippets" / "cloudtrail" / "create-trail.sh")
    assert (Path(example.path).name, claimed.identify(example)) == ("create-trail.sh", "sybil:snippet,line:1,column:1")


def test_a_page_calling_a_missing_snippet_fails_with_page_and_line():
    _, examples = items(PROJECT, PROJECT / "docs" / "page.md")
    results = [e.region.evaluator(e) for e in examples]
    assert results[:3] == [None, None, None]
    page = (PROJECT / "docs" / "page.md").relative_to(Path.cwd()) if PROJECT.is_relative_to(Path.cwd()) else PROJECT
    assert results[3].startswith(f"{page}:17: page: snippet 'demo/gone.txt' does not exist")


def test_a_snippet_no_page_includes_fails_its_item():
    _, [example] = items(PROJECT, PROJECT / "snippets" / "demo" / "orphan.log")
    assert "no page includes this example" in example.region.evaluator(example)


def test_fences_left_inline_in_a_page_are_items_too(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text('# P\n\n```json {schema="config:ConfigRule"}\n{"Source": {"Ownr": "AWS"}}\n```\n')
    _, [example] = items(tmp_path, page)
    assert example.line == 3
    failure = example.region.evaluator(example)
    assert failure.startswith(f"{page}:4: json: Unknown key 'Ownr' in `Source`"), failure


def test_an_item_fails_with_the_sentences_of_its_errors_and_skips_when_nothing_was_checked():
    error = Finding("x.sh", 3, "cli", "error", "the command starts with 'echo', not 'aws'.")
    assert collect.outcome([Finding("x.sh", 1, "cli", "ok", "fine."), error]) == \
        "x.sh:3: cli: the command starts with 'echo', not 'aws'."
    assert collect.outcome([Finding("x.sh", 1, "cli", "ok", "fine.")]) is None
    with pytest.raises(pytest.skip.Exception, match="a yaml block"):
        collect.outcome([Finding("p.md", 1, "text", "skipped", "a yaml block is not checked")])
    assert "no finding at all" in collect.outcome([])
