"""`handbook kit`: the kit's files, manifest, checksums and zip, the same for the same commit."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from handbook.kit import archive, pdf, scan, source
from handbook.kit import site as offline_site

from .conftest import FIXTURES, NAME, ROOT


def test_the_kit_holds_the_site_the_pdf_the_manifest_and_checksums(kit):
    assert sorted(p.name for p in kit.folder.iterdir()) == ["SHA256SUMS", "handbook.pdf", "manifest.json", "site"]
    assert (kit.site / "index.html").is_file() and (kit.site / "search" / "search_index.js").is_file()
    assert f"kit {kit.folder}" in kit.log and "pages" in kit.log and "bookmarks" in kit.log
    assert not [p for p in kit.folder.parent.iterdir() if p.name.startswith(".")], "the build left its temporary folder"


def test_the_manifest_names_version_date_commit_and_the_example_summary(kit):
    found = source.read(ROOT)
    facts = kit.manifest
    assert facts["version"] == found.version
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", facts["build_date"])
    assert re.fullmatch(r"[0-9a-f]{40}", facts["source_commit"])
    assert facts["examples"] == {"examples": 143, "ok": 139, "skipped": 4, "errors": 0}  # the fixture, verbatim
    assert facts["pdf"]["pages"] > 0 and facts["tools"]["iframe-worker"] == "1.0.4"


def test_sha256sums_verifies(kit):
    assert archive.check_sums(kit.folder) == []
    listed = [line.split("  ", 1)[1] for line in (kit.folder / "SHA256SUMS").read_text().splitlines()]
    assert "handbook.pdf" in listed and "manifest.json" in listed and "site/index.html" in listed
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=kit.folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_zip_holds_the_kit_under_its_name_sorted_with_one_timestamp(kit):
    with zipfile.ZipFile(kit.zip) as z:
        entries = z.infolist()
        names = [e.filename for e in entries]
        assert names == sorted(names)
        assert names == [f"{NAME}/{name}" for name in archive.files(kit.folder)]
        assert len({e.date_time for e in entries}) == 1
        assert z.read(f"{NAME}/SHA256SUMS") == (kit.folder / "SHA256SUMS").read_bytes()


def test_the_offline_site_fetches_nothing_from_the_network(kit):
    assert scan.external_references(kit.site) == []
    page = (kit.site / "index.html").read_text()
    assert 'src="assets/javascripts/iframe-worker/shim.js"' in page and "unpkg.com" not in page
    assert (kit.site / "assets/javascripts/iframe-worker/LICENSE").read_text().startswith("Copyright (c) 2020-2022 Martin Donath")
    assert "fonts.googleapis.com" not in page


def test_the_aws_documentation_links_stay(kit):
    page = (kit.site / "services" / "guardduty.html").read_text()
    assert 'href="https://docs.aws.amazon.com/guardduty/' in page


def test_the_online_site_stays_as_it_was(handbook_site, kit):
    assert handbook_site.code == 0, handbook_site.log
    online = set(archive.files(handbook_site.site))
    assert "print_page.html" not in online and "search/search_index.js" not in online
    assert not [name for name in online if "iframe-worker" in name or name.endswith("kit.css")]
    assert "print_page.html" in set(archive.files(kit.site))
    assert {n for n in online if n.endswith(".html")} <= set(archive.files(kit.site))


def test_the_same_commit_gives_the_same_site_and_pdf(kit, tmp_path, browser):
    """A second offline build and print with the kit's date: the site byte for byte what the kit
    holds; the PDF the same metadata, pages, text and bookmarks. (Its bytes have matched in every
    run but one, which no one could reproduce: chromium does not promise byte-stable PDFs.)"""
    epoch = int(datetime.strptime(kit.manifest["build_date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())
    offline_site(ROOT / "mkdocs.yml", tmp_path / "site", epoch)
    pdf.print_site(tmp_path / "site", tmp_path / "handbook.pdf", version=kit.manifest["version"], epoch=epoch, binary=browser)
    shutil.copy(kit.folder / "SHA256SUMS", tmp_path / "SHA256SUMS")
    shutil.copy(kit.folder / "manifest.json", tmp_path / "manifest.json")
    assert [p for p in archive.check_sums(tmp_path) if not p.startswith("handbook.pdf:")] == []
    assert pdf_differences(kit.pdf, tmp_path / "handbook.pdf") == ""


def test_pdf_differences_are_found(kit, mini_kit):
    found = pdf_differences(kit.pdf, mini_kit.folder / "handbook.pdf")
    assert "metadata" in found and "pages !=" in found and "page 1 text differs" in found


def outline(reader: PdfReader, items=None) -> list:
    items = reader.outline if items is None else items
    return [outline(reader, i) if isinstance(i, list) else (i.title, reader.get_destination_page_number(i)) for i in items]


def drawn(page) -> tuple:
    """What fixes a page's text: its content stream and its fonts' maps to Unicode. Equal, the text is
    equal, without pypdf's slow extraction (about 0.1 s a page)."""
    fonts = (page.get("/Resources") or {}).get("/Font") or {}
    maps = tuple(sorted((name, font.get_object()["/ToUnicode"].get_object().get_data())
                        for name, font in fonts.items() if "/ToUnicode" in font.get_object()))
    return page.get_contents().get_data(), maps


def pdf_differences(one, two) -> str:
    """Where two PDFs differ in what a reader sees: metadata, page count, text, bookmarks."""
    a, b = PdfReader(one), PdfReader(two)
    found = [f"metadata {a.metadata} != {b.metadata}"] if a.metadata != b.metadata else []
    found += [f"{len(a.pages)} pages != {len(b.pages)} pages"] if len(a.pages) != len(b.pages) else []
    found += [f"page {n + 1} text differs" for n, (x, y) in enumerate(zip(a.pages, b.pages))
              if drawn(x) != drawn(y) and x.extract_text() != y.extract_text()][:5]
    found += ["the bookmarks differ"] if outline(a) != outline(b) else []
    return "; ".join(found)


def test_the_same_folder_zips_to_the_same_bytes(tmp_path):
    folder = tmp_path / NAME
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "b.html").write_text("b")
    (folder / "a.txt").write_text("a")
    archive.write_zip(folder, tmp_path / "one.zip", 1_700_000_000)
    (folder / "a.txt").touch()  # a new mtime changes nothing
    archive.write_zip(folder, tmp_path / "two.zip", 1_700_000_000)
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    archive.write_zip(folder, tmp_path / "old.zip", 0)  # before 1980, which a zip cannot hold
    assert zipfile.ZipFile(tmp_path / "old.zip").infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_check_sums_reports_changed_missing_and_unlisted_files(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>kit</p>")
    (tmp_path / "handbook.pdf").write_text("pdf")
    archive.write_sums(tmp_path)
    assert archive.check_sums(tmp_path) == []
    (tmp_path / "handbook.pdf").write_text("changed")
    (tmp_path / "site" / "index.html").unlink()
    (tmp_path / "extra.txt").write_text("x")
    assert sorted(archive.check_sums(tmp_path)) == ["extra.txt: not listed", "handbook.pdf: checksum differs",
                                                   "site/index.html: missing"]


def test_the_scan_finds_every_kind_of_fetch_and_spares_links(tmp_path):
    shutil.copytree(FIXTURES / "external", tmp_path / "site")
    found = {(r.file, r.what, r.url) for r in scan.external_references(tmp_path / "site")}
    assert found == {
        ("page.html", "<script src>", "https://cdn.example.com/app.js"),
        ("page.html", "<link href>", "https://fonts.googleapis.com/css?family=Roboto"),
        ("page.html", "<img src>", "//images.example.com/logo.png"),
        ("page.html", "<img srcset>", "https://images.example.com/logo-2x.png"),
        ("page.html", "<div style> url()", "https://images.example.com/bg.png"),
        ("page.html", "<style> url()", "http://images.example.com/inline.png"),
        ("page.html", "<style> url()", "https://fonts.example.com/import.css"),
        ("style.css", "css url()/@import", "https://fonts.example.com/font.woff2"),
        ("style.css", "css url()/@import", "//cdn.example.com/more.css"),
    }


@pytest.mark.parametrize("url", ["assets/x.png", "data:image/svg+xml;base64,AAAA", "#top", "../page.html"])
def test_local_references_are_not_external(url):
    assert not scan.EXTERNAL.match(url)
