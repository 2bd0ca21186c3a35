"""The site's fonts, pinned: Roboto and Roboto Mono from the npm registry's @fontsource packages.

Material's default fonts come from Google Fonts, which a kit with no network cannot reach, and
with `font: false` every machine draws the site and prints the PDF with whatever fonts it has
(on a fresh Debian machine DejaVu, whose ligatures put "ﬁ" for "fi" in the PDF's text). So the
site serves the fonts itself: the faces Material asks Google for, in the Latin subsets, taken
from the pinned tarballs (handbook.npm) into assets/fonts/ with their licence, and a generated
assets/stylesheets/fonts.css of @font-face rules with relative URLs, which work online, from
file:// and in print. Each rule's unicode-range is the package's own, so a browser downloads a
subset only when a page uses it. The build fails when a tarball is not in the cache.

Nothing may fall back to a font of the reader's machine, so the build also fails on a page
whose text holds a character the pinned fonts lack (`uncovered`): prose must be in Roboto,
code in Roboto Mono. The characters each face has are read from the package's WOFF twin of
the WOFF2 file the site serves (the same font; fontTools reads WOFF with zlib alone).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from handbook import npm
from handbook.errors import HandbookError

FONTS = "assets/fonts/"
STYLESHEET = "assets/stylesheets/fonts.css"
SUBSETS = ("latin", "latin-ext")  # every character of the pages, as tests/test_fonts.py checks


@dataclass(frozen=True)
class Family:
    package: str  # the pinned npm package
    name: str  # the CSS family, and the start of every embedded font's name in the PDF ("RobotoMono-Bold")
    faces: tuple[tuple[int, str], ...]  # (weight, style)
    variable: str  # Material's custom property for it

    @property
    def stem(self) -> str:  # the files' prefix in the package: roboto-mono-latin-400-normal.woff2
        return self.package.split("/")[-1]


# The faces Material's own Google Fonts link asks for.
FAMILIES = (
    Family("@fontsource/roboto", "Roboto",
           ((300, "normal"), (300, "italic"), (400, "normal"), (400, "italic"), (700, "normal"), (700, "italic")),
           "--md-text-font"),
    Family("@fontsource/roboto-mono", "Roboto Mono",
           ((400, "normal"), (400, "italic"), (700, "normal"), (700, "italic")), "--md-code-font"),
)

FACE_RULE = re.compile(r"@font-face\s*\{([^}]*)\}")
PROPERTY = re.compile(r"([a-z-]+)\s*:\s*([^;]+);")


def face_file(family: Family, subset: str, weight: int, style: str) -> str:
    return f"{family.stem}-{subset}-{weight}-{style}.woff2"


def unicode_ranges(css: str) -> dict[str, str]:
    """{file name: unicode-range} of the @font-face rules of one of the package's stylesheets."""
    found = {}
    for rule in FACE_RULE.findall(css):
        props = dict(PROPERTY.findall(rule))
        woff2 = re.search(r"url\(\./files/([^)]+\.woff2)\)", props.get("src", ""))
        if woff2 and "unicode-range" in props:
            found[woff2[1]] = props["unicode-range"].strip()
    return found


def files() -> dict[str, bytes]:
    """Every file the site serves for its fonts: {path in the site: content}."""
    out: dict[str, bytes] = {}
    rules = [f"/* The site's own fonts (handbook/fonts.py): {', '.join(f.name for f in FAMILIES)}; "
             "licences in ../fonts/. Generated at build time. */",
             ":root { " + " ".join(f'{f.variable}: "{f.name}";' for f in FAMILIES) + " }"]
    for family in FAMILIES:
        package = npm.pinned(family.package)
        stylesheets = sorted({f"package/{w}{'-italic' if s == 'italic' else ''}.css" for w, s in family.faces})
        wanted = [f"package/files/{face_file(family, subset, w, s)}" for w, s in family.faces for subset in SUBSETS]
        found = npm.members(package, ["package/LICENSE", *stylesheets, *wanted])
        ranges = {}
        for sheet in stylesheets:
            ranges.update(unicode_ranges(found[sheet].decode()))
        out[f"{FONTS}LICENSE-{family.stem}.txt"] = found["package/LICENSE"]
        for weight, style in family.faces:
            for subset in SUBSETS:
                name = face_file(family, subset, weight, style)
                out[FONTS + name] = found[f"package/files/{name}"]
                if name not in ranges:
                    raise HandbookError(package.tarball(), None, f"{package.spec} declares no unicode-range for {name}")
                rules.append(f'@font-face {{ font-family: "{family.name}"; font-style: {style}; font-weight: {weight}; '
                             f'font-display: swap; src: url("../fonts/{name}") format("woff2"); '
                             f"unicode-range: {ranges[name]}; }}")
    out[STYLESHEET] = ("\n".join(rules) + "\n").encode()
    return out


@cache
def _served(family_name: str) -> tuple:
    """The served faces of a family as fontTools reads them, in every served subset."""
    from fontTools.ttLib import TTFont  # only the checks need it

    [family] = [f for f in FAMILIES if f.name == family_name]
    woffs = [f"package/files/{face_file(family, subset, w, s)[:-1]}" for w, s in family.faces for subset in SUBSETS]
    return tuple(TTFont(io.BytesIO(content)) for content in npm.members(npm.pinned(family.package), woffs).values())


def characters(family_name: str) -> frozenset[int]:
    """Every code point the served faces of a family draw."""
    return frozenset(code for face in _served(family_name) for code in face.getBestCmap())


def postscript_names() -> frozenset[str]:
    """The names of the served faces as a PDF embeds them: "Roboto-Light", "RobotoMono-BoldItalic", ..."""
    return frozenset(face["name"].getDebugName(6) for family in FAMILIES for face in _served(family.name))


class _Text(HTMLParser):
    """The characters a page shows, each with whether it is in code, and the first line of each."""

    CODE = {"code", "pre", "kbd", "samp"}
    UNSHOWN = {"script", "style", "svg", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.code = self.unshown = 0
        self.found: dict[tuple[str, bool], int] = {}  # (character, in code) -> first line in the HTML

    def handle_starttag(self, tag, attrs):
        self.code += tag in self.CODE
        self.unshown += tag in self.UNSHOWN

    def handle_endtag(self, tag):
        self.code -= tag in self.CODE and self.code > 0
        self.unshown -= tag in self.UNSHOWN and self.unshown > 0

    def handle_data(self, data):
        if self.unshown:
            return
        line = self.getpos()[0]
        for char in set(data):
            if not char.isspace():
                self.found.setdefault((char, self.code > 0), line)


def uncovered(html: str) -> list[tuple[str, bool, int]]:
    """What of the HTML's text the pinned fonts cannot draw: (character, in code, line in the HTML)."""
    text = _Text()
    text.feed(html)
    text.close()
    prose, code = characters(FAMILIES[0].name), characters(FAMILIES[1].name)
    return sorted((char, in_code, line) for (char, in_code), line in text.found.items()
                  if ord(char) not in (code if in_code else prose))


def describe(char: str, in_code: bool) -> str:
    family = FAMILIES[1 if in_code else 0].name
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}) is not in {family}, the site's " \
           f"{'code' if in_code else 'text'} font, so each reader's machine would draw it in a font of its own"
