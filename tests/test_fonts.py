"""The site's own fonts: served from its own files, pinned, and enough for every character it shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build
from handbook import fonts, npm
from handbook.errors import HandbookError

FIXTURES = Path(__file__).parent / "fixtures" / "fonts"


@pytest.fixture(scope="module")
def site(handbook_site) -> Path:
    assert handbook_site.code == 0, handbook_site.log
    return handbook_site.site


def test_every_page_loads_the_fonts_stylesheet_and_no_font_service(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "md-container" in html:  # not the bare redirects ksa/<id>.html
            assert "assets/stylesheets/fonts.css" in html, page
            assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page


def test_the_stylesheet_names_only_font_files_the_site_serves(site):
    css = (site / fonts.STYLESHEET).read_text()
    assert '--md-text-font: "Roboto"' in css and '--md-code-font: "Roboto Mono"' in css
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert len(urls) == sum(len(f.faces) for f in fonts.FAMILIES) * len(fonts.SUBSETS) == 20
    stylesheets = site / "assets" / "stylesheets"
    assert [url for url in urls if not url.startswith("../fonts/") or not (stylesheets / url).is_file()] == []
    assert sorted(p.name for p in (site / "assets" / "fonts").glob("LICENSE-*")) == ["LICENSE-roboto-mono.txt",
                                                                                      "LICENSE-roboto.txt"]


def test_every_character_of_every_page_is_in_the_pinned_fonts(site):
    """The whole page, the theme's header, navigation and footer included, not only the content."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    assert {page.relative_to(site).as_posix(): fonts.uncovered(page.read_text(encoding="utf-8"))
            for page in pages} == {page.relative_to(site).as_posix(): [] for page in pages}


def test_the_coverage_check_names_what_the_fonts_lack_in_prose_and_in_code():
    found = fonts.uncovered((FIXTURES / "lacking.html").read_text(encoding="utf-8"))
    assert found == [("→", True, 4), ("✓", False, 3)]  # quotes, dash and é are Roboto's; script and svg unshown
    assert "U+2713 CHECK MARK) is not in Roboto, the site's text font" in fonts.describe("✓", False)
    assert "is not in Roboto Mono, the site's code font" in fonts.describe("→", True)


def test_a_page_with_a_character_the_fonts_lack_fails_the_build_at_its_line(minisite):
    (minisite / "docs" / "index.md").write_text("# Mini handbook\n\nEvery example is checked.\n\nVerified ✓\n")
    result = build(minisite / "mkdocs.yml", minisite / "site")
    assert result.code != 0
    assert "docs/index.md:5: '✓' (U+2713 CHECK MARK) is not in Roboto" in result.log


def test_a_font_package_missing_from_the_cache_says_how_to_fetch_it(tmp_path):
    with pytest.raises(HandbookError, match=r"@fontsource/roboto@5\.3\.0 is not in the cache.*python -m handbook.npm"):
        npm.members(npm.pinned("@fontsource/roboto"), ["package/LICENSE"], tmp_path)


def test_a_font_package_that_is_not_the_pinned_one_is_refused(tmp_path):
    package = npm.pinned("@fontsource/roboto-mono")
    package.tarball(tmp_path).write_bytes(b"not the font package")
    with pytest.raises(HandbookError, match="is not the pinned sha512-yhwpl"):
        npm.verified(package, tmp_path)


def test_the_pinned_faces_are_named_as_a_pdf_embeds_them():
    assert fonts.postscript_names() == {"Roboto-Light", "Roboto-LightItalic", "Roboto-Regular", "Roboto-Italic",
                                        "Roboto-Bold", "Roboto-BoldItalic", "RobotoMono-Regular", "RobotoMono-Italic",
                                        "RobotoMono-Bold", "RobotoMono-BoldItalic"}
