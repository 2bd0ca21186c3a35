"""The build fails, naming the file and line, on each kind of bad input."""

from conftest import build


def broken(minisite, path: str, text: str):
    (minisite / path).write_text(text)
    result = build(minisite / "mkdocs.yml", minisite / "site")
    assert result.code != 0, result.log
    return result.log


def test_minisite_builds_clean(minisite):
    result = build(minisite / "mkdocs.yml", minisite / "site")
    assert result.code == 0, result.log
    assert "WARNING" not in result.log
    assert '<span class="filename">hello.sh<' in (minisite / "site" / "page.html").read_text()


def test_missing_snippet_names_page_and_line(minisite):
    log = broken(minisite, "docs/page.md", "# A page\n\ntext\n\n{{ snippet(\"demo/gone.sh\") }}\n")
    assert "docs/page.md:5: snippet 'demo/gone.sh' does not exist" in log


def test_undefined_macro_fails(minisite):
    log = broken(minisite, "docs/page.md", "# A page\n\n{{ snipet(\"demo/hello.sh\") }}\n")
    assert "'snipet' is undefined" in log and "page.md" in log


def test_broken_anchor_fails(minisite):
    log = broken(minisite, "docs/index.md", "# Mini handbook\n\nSee [nothing](page.md#nowhere).\n")
    assert "index.md" in log and "#nowhere" in log


def test_duplicate_explicit_id_names_page_and_line(minisite):
    log = broken(minisite, "docs/page.md", "# A page {#page}\n\n## Skills {#cli}\n\n## CheatSheet {#cli}\n\n{{ snippet(\"demo/hello.sh\") }}\n")
    assert "docs/page.md:5: id 'cli' is used twice on this page" in log


def test_orphan_snippet_fails(minisite):
    log = broken(minisite, "snippets/demo/unused.sh", "aws s3 ls\n")
    assert "included by no page: demo/unused.sh" in log


def test_attr_list_ids_do_not_start_jinja_comments_and_snippets_are_not_jinja(minisite):
    (minisite / "snippets" / "demo" / "hello.sh").write_text('echo "{{ not_a_macro }} {# not a comment"\n')
    result = build(minisite / "mkdocs.yml", minisite / "site")
    assert result.code == 0, result.log
    page = (minisite / "site" / "page.html").read_text()
    assert 'id="skills"' in page and "not_a_macro" in page
