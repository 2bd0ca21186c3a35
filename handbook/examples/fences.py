"""Fenced code blocks of a Markdown page, as markdown-it reads them, with their declarations.

A fence left inline in a page is an example like a snippet file. What a snippet's `<name>.yml`
would declare is written as attributes of the fence's info string, in either form:

    ```json {schema="guardduty:Finding[]"}
    ```{.bash setup="[{call: s3.create_bucket, args: {Bucket: my-bucket}}]"}

Attribute values are read as YAML, so lists and mappings can be given inline. Presentational
attributes (`title`, `linenums`, `hl_lines`, classes and ids) are not declarations.

Fences are found with markdown-it's fence tokens, so a fence with attributes is found too
(sybil's CodeBlockParser skips those). CommonMark reads the body of an admonition or a
content tab (`!!! note`, `=== "Tab"`, indented by four spaces) as an indented code block or
paragraph text; `fences` first lifts such bodies out (line numbers kept), as Python-Markdown
reads them (a tab in a body's indentation counts as four spaces, as Python-Markdown expands
it). `strip_declarations` removes the declarations before the build, because
pymdownx.superfences refuses a fence whose info string carries attributes it does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt

PRESENTATION = {"title", "linenums", "hl_lines", "anchor_linenums", "line_spans", "line_anchors"}
CONTAINER = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===)\s")
ATTRIBUTE = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
LEADING = re.compile(r"^[ \t]+")
OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence
    last_line: int  # 1-based line of the closing fence (or of the page's last line)
    start: int  # character offsets of the whole fence in the page
    end: int
    language: str  # "" when the fence names none
    text: str  # the content, without the fence lines and the indentation
    declarations: dict = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # attributes that could not be read
    indented: bool = False  # an indented code block: no fence lines, `line` is its first line

    @property
    def first_line(self) -> int:
        """The page line of the content's first line."""
        return self.line if self.indented else self.line + 1


@dataclass(frozen=True)
class Info:
    language: str
    presentation: dict  # title, linenums, ... and "classes", "id"
    declarations: dict
    problems: tuple[str, ...]


def parse_info(info: str) -> Info:
    """The language, presentational attributes and declarations of a fence's info string."""
    text = info.strip()
    language = ""
    if text and not text.startswith("{"):
        language, _, text = text.partition(" ")
        language = language.strip()
        text = text.strip()
    body = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    presentation: dict = {}
    declarations: dict = {}
    problems = []
    classes = []
    for word in re.sub(ATTRIBUTE, " ", body).split():
        if word.startswith("."):
            classes.append(word[1:])
        elif word.startswith("#"):
            presentation["id"] = word[1:]
    if not language and classes:
        language = classes.pop(0)
    if classes:
        presentation["classes"] = classes
    for match in ATTRIBUTE.finditer(body):
        key = match.group("key")
        raw = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
        if key in PRESENTATION:
            presentation[key] = raw
            continue
        try:
            declarations[key] = yaml.safe_load(raw) if raw.strip() else raw
        except yaml.YAMLError as err:
            problems.append(f"the fence attribute {key}={raw!r} is not readable as YAML: {str(err).splitlines()[0]}")
    return Info(language, presentation, declarations, tuple(problems))


def lift_containers(markdown: str) -> str:
    """The page with admonition and content-tab bodies dedented, every line where it was."""
    lines = markdown.split("\n")
    changed = True
    while changed:
        changed = False
        out = []
        body_indent = None
        for line in lines:
            if body_indent is not None:
                line = LEADING.sub(lambda m: m.group(0).expandtabs(4), line)  # a tab indents as 4 spaces
                if not line.strip() or line.startswith(body_indent):
                    out.append(line[4:] if line.strip() else line)
                    changed = True
                    continue
                body_indent = None
            match = CONTAINER.match(line)
            if match:
                body_indent = match.group("indent") + "    "
                out.append("")  # the marker line: kept as a line, so line numbers hold
                changed = True
                continue
            out.append(line)
        lines = out
    return "\n".join(lines)


def fences(markdown: str, *, indented: bool = False) -> list[Fence]:
    """Every fenced block of the page, in order, with its declarations; with `indented`, the
    indented code blocks too (older runbooks write commands that way), as blocks with no language."""
    offsets = [0]
    for line in markdown.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    lifted = lift_containers(markdown)
    found = []
    for token in MarkdownIt("commonmark").parse(lifted):
        if token.type == "code_block" and indented and token.map is not None:
            begin, end = token.map
            found.append(Fence(line=begin + 1, last_line=end, start=offsets[begin],
                               end=min(offsets[end] - 1, len(markdown)), language="", text=token.content,
                               indented=True))
        if token.type != "fence" or token.map is None:
            continue
        begin, end = token.map  # 0-based, end exclusive
        info = parse_info(token.info)
        last = min(end, len(offsets) - 1)
        found.append(Fence(
            line=begin + 1,
            last_line=last,
            start=offsets[begin],
            end=min(offsets[last] - 1, len(markdown)) if last > begin else len(markdown),
            language=info.language.lower(),
            text=token.content,
            declarations=info.declarations,
            problems=info.problems,
        ))
    return found


def strip_declarations(markdown: str) -> str:
    """The page with every fence's declarations removed from its info string (for the build)."""
    lines = markdown.split("\n")
    for fence in fences(markdown):
        if not fence.declarations and not fence.problems:
            continue
        match = OPENING.match(lines[fence.line - 1])
        if not match:
            continue
        info = parse_info(match.group("info"))
        kept = [f".{info.language}"] if info.language else []
        kept += [f".{c}" for c in info.presentation.get("classes", [])]
        kept += [f"#{info.presentation['id']}"] if "id" in info.presentation else []
        kept += [f'{k}="{v}"' for k, v in info.presentation.items() if k in PRESENTATION]
        lines[fence.line - 1] = f"{match.group('indent')}{match.group('fence')}" + (
            " { " + " ".join(kept) + " }" if kept else "")
    return "\n".join(lines)
