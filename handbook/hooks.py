"""MkDocs hooks: the site's own fonts, and checks on the rendered pages that Python-Markdown does not make itself."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from handbook import fonts, ksa, runtime, site
from handbook.errors import HandbookError
from handbook.examples import fences
from handbook.training import page as training

ID = re.compile(r'\sid="([^"]+)"')
KSA_ELEMENT = re.compile(r'<(h[1-6]|li|p)(\s[^>]*?)?\sid="(?P<id>[a-z][a-z0-9]{0,3}-[ksap]\d{2,3})"([^>]*)>')
_registry: ksa.Registry | None = None


def contract_path(config) -> Path:
    return Path(config.config_file_path).parent / "ksa.yml"


def on_config(config):
    """The pinned fonts' stylesheet comes first, so the site's own CSS may build on it; then Run in the page."""
    config.extra_css.insert(0, fonts.STYLESHEET)
    if runnable(config):
        config.extra_css += [runtime.STYLE, runtime.TRAINING_STYLE]
        config.extra_javascript.insert(0, runtime.TRAINING_SCRIPTS[0])  # the record, before what reads it
        config.extra_javascript += [runtime.SCRIPT, *runtime.EXTRA, *runtime.TRAINING_SCRIPTS[1:]]
    return config


def runnable(config) -> bool:
    """A site with snippets has examples a reader can run in the page."""
    return (Path(config.config_file_path).parent / "snippets").is_dir()


def on_files(files, config):
    """The font files and their stylesheet (handbook.fonts); the in-page runtime (handbook.runtime)."""
    try:
        found = fonts.files()
        if runnable(config):
            found.update(runtime.files(Path(config.config_file_path).parent / "snippets"))
    except HandbookError as err:
        raise PluginError(str(err)) from None
    for path, content in found.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_pre_build(config, **_) -> None:
    """Every KSA item has an id in the scheme, published once and never reused."""
    global _registry
    _sites.clear()  # `mkdocs serve` rebuilds: read the exercises again
    path = contract_path(config)
    if not path.exists():
        _registry = None
        return
    _registry, problems = ksa.load(Path(config.docs_dir), path)
    if problems:
        raise PluginError("\n".join(str(p) for p in problems))


def copy_button(match: re.Match, page, config) -> str:
    ksa_id = match["id"]
    link = _registry.link(ksa_id, config.site_url) if _registry and _registry.find(ksa_id) else None
    if link is None:
        return match[0]
    label = f"Copy link to {ksa_id}"
    return (f'{match[0]}<button type="button" class="ksa-link" data-clipboard-text="{link}" '
            f'title="{label}" aria-label="{label}">{ksa_id}</button>')


def on_page_markdown(markdown: str, page, config, **_) -> str:
    """An inline example's declarations (fence attributes) are for the checks, not for superfences."""
    return fences.strip_declarations(markdown)


def on_page_content(html: str, page, config, **_) -> str:
    """Two elements with one id: a ticket link would land on the first only."""
    html = practise_boxes(html, config)  # first: what the boxes add is checked as the rest is
    twice = sorted(i for i, n in Counter(ID.findall(html)).items() if n > 1)
    if twice:
        source = page.file.content_string.splitlines()
        places = []
        for anchor in twice:
            lines = [n for n, line in enumerate(source, start=1) if f"#{anchor}" in line or f'id="{anchor}"' in line]
            places.append(f"docs/{page.file.src_uri}:{lines[-1] if lines else '?'}: id {anchor!r} is used twice on this page")
        raise PluginError("; ".join(places))
    if lacking := fonts.uncovered(html):
        raise PluginError("; ".join(f"{where(page, char)}: {fonts.describe(char, in_code)}" for char, in_code, _ in lacking))
    return site.mark_placeholders(KSA_ELEMENT.sub(lambda m: copy_button(m, page, config), html))


def practise_boxes(html: str, config) -> str:
    """Under each Skill that has an exercise, its Practise box (handbook.training.page)."""
    found = _site(config)
    if found is None or not KSA_ELEMENT.search(html):
        return html
    try:
        exercises = found.exercises
    except HandbookError as err:
        raise PluginError(str(err)) from None
    return training.with_boxes(html, exercises, found.version, KSA_ELEMENT) if exercises else html


_sites: dict[str, site.Site] = {}


def _site(config) -> site.Site | None:
    """The project's Site (its exercises), when it has a snippets folder."""
    if not runnable(config):
        return None
    root = str(Path(config.config_file_path).parent)
    if root not in _sites:
        _sites[root] = site.Site(Path(root))
    return _sites[root]


def where(page, char: str) -> str:
    """The page's source file and the first line holding `char` (none: it came from a snippet or macro)."""
    lines = [n for n, line in enumerate(page.file.content_string.splitlines(), start=1) if char in line]
    return f"docs/{page.file.src_uri}:{lines[0]}" if lines else f"docs/{page.file.src_uri} (in an included snippet)"


def on_post_build(config, **_) -> None:
    """Exports (ksa.json, ksa.csv) and short links ksa/<id>.html, for published and retired ids."""
    if _registry is None:
        return
    site = Path(config.site_dir)
    from handbook.training import coverage

    skills = [i.id for i in _registry.items if i.kind == "s"]
    rows = ksa.export_rows(_registry, config.site_url, coverage.table(skills, Path(config.config_file_path).parent))
    (site / "ksa.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "service", "kind", "text", "link"], lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    (site / "ksa.csv").write_text(out.getvalue(), encoding="utf-8")
    (site / "ksa").mkdir(exist_ok=True)
    for ksa_id in list(_registry.contract.published) + list(_registry.contract.retired):
        target = "../" + _registry.link(ksa_id)
        (site / "ksa" / f"{ksa_id}.html").write_text(ksa.redirect_page(target, ksa_id), encoding="utf-8")
