"""`handbook kit` on bad input: it says what to install or what failed, and leaves no partial kit."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from handbook import kit as kit_module
from handbook.errors import HandbookError
from handbook.kit import shim

from .conftest import FIXTURES, NAME, ROOT, handbook_kit


def leftovers(out):
    return sorted(p.name for p in out.iterdir())


def stale_kit(out):
    (out / NAME).mkdir(parents=True)
    (out / NAME / "stale.txt").write_text("from an earlier build")


def test_without_chromium_it_says_what_to_install_and_builds_nothing(tmp_path):
    done = handbook_kit("--out", str(tmp_path / "dist"), env={"HANDBOOK_CHROMIUM": str(tmp_path / "no-chromium")})
    assert done.returncode == 1
    assert "chromium is not installed (Debian: apt-get install chromium); no kit was built" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_an_existing_kit_is_replaced_whole(mini_kit):
    out = mini_kit.folder.parent
    assert leftovers(out) == [NAME, f"{NAME}.zip"]  # no temporary folder left
    assert not (mini_kit.folder / "stale.txt").exists()
    assert sorted(p.name for p in mini_kit.folder.iterdir()) == ["SHA256SUMS", "handbook.pdf", "manifest.json", "site"]
    assert zipfile.is_zipfile(mini_kit.zip)


def test_when_printing_fails_the_previous_kit_stays(tmp_path, monkeypatch, cached_shim):
    stale_kit(tmp_path)
    monkeypatch.setenv("HANDBOOK_CHROMIUM", shutil.which("false"))  # "installed", but dies at once
    with pytest.raises(HandbookError, match="chromium exited unexpectedly"):
        kit_module.build(out=tmp_path, config=FIXTURES / "minisite" / "mkdocs.yml", fetch=False)
    assert leftovers(tmp_path) == [NAME]
    assert leftovers(tmp_path / NAME) == ["stale.txt"]


def test_when_the_site_does_not_build_the_previous_kit_stays(tmp_path, browser, cached_shim):
    site = tmp_path / "minisite"
    shutil.copytree(FIXTURES / "minisite", site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../../", f"{ROOT}/"))
    (site / "docs" / "index.md").write_text("# Mini kit\n\nSee [nothing](page.md#nowhere).\n")
    stale_kit(tmp_path / "dist")
    with pytest.raises(HandbookError, match="the offline build of the site failed; no kit was built") as failed:
        kit_module.build(out=tmp_path / "dist", config=config, fetch=False)
    assert "#nowhere" in str(failed.value)
    assert leftovers(tmp_path / "dist") == [NAME]
    assert leftovers(tmp_path / "dist" / NAME) == ["stale.txt"]


def test_a_character_that_falls_back_to_a_machine_font_stops_the_kit(tmp_path, browser, cached_shim):
    """The site build checks the pages' text; the cover is a template of its own, printed only in the kit."""
    site = tmp_path / "minisite"
    shutil.copytree(FIXTURES / "minisite", site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../../handbook/kit/assets/cover.tpl", "cover.tpl")
                      .replace("../../../../", f"{ROOT}/"))
    cover = (ROOT / "handbook" / "kit" / "assets" / "cover.tpl").read_text()
    (site / "cover.tpl").write_text(cover.replace("</h1>", " \u2713</h1>"))  # a check mark, in no pinned font
    stale_kit(tmp_path / "dist")
    with pytest.raises(HandbookError, match=r"print_page.html: the PDF would embed .*not only the site's pinned fonts"):
        kit_module.build(out=tmp_path / "dist", config=config, fetch=False)
    assert leftovers(tmp_path / "dist") == [NAME]
    assert leftovers(tmp_path / "dist" / NAME) == ["stale.txt"]


def test_a_shim_missing_from_the_cache_says_how_to_fetch_it(tmp_path):
    with pytest.raises(HandbookError, match=r"python -m handbook.npm.*apt-get install npm"):
        shim.verified(tmp_path)


def test_a_shim_that_is_not_the_pinned_one_is_refused(tmp_path):
    shim.PACKAGE.tarball(tmp_path).write_bytes(b"not the iframe-worker tarball")
    with pytest.raises(HandbookError, match="is not the pinned sha512-roeaaI"):
        shim.verified(tmp_path)


def test_the_pinned_shim_and_its_licence_come_from_the_tarball(cached_shim):
    files = shim.files()
    assert sorted(files) == ["LICENSE", "shim.js"]
    assert b"IFrameWorker" in files["shim.js"] and b"Permission is hereby granted" in files["LICENSE"]


def test_the_findings_of_handbook_check_are_counted_for_the_manifest():
    assert kit_module.read_summary(FIXTURES / "check-findings.json") == {"findings": 3, "ok": 2, "skipped": 1}
    assert kit_module.read_summary(FIXTURES / "examples-summary.json")["ok"] == 139  # an object is kept as it is
    assert kit_module.read_summary(FIXTURES / "no-such-summary.json") is None


def test_a_summary_that_is_not_json_names_its_file(tmp_path):
    (tmp_path / "summary.json").write_text('{"ok": 3,\n oops}\n')
    with pytest.raises(HandbookError, match=r"summary.json:2: the example-verification summary is not JSON"):
        kit_module.read_summary(tmp_path / "summary.json")
