"""KSA ids: one stable id for every Knowledge topic, Skill, Ability and playbook part.

An id is `<code>-<kind><nn>`: the page's code (ksa.yml), k/s/a/p, and a number that is never
reused (`ct-s03` is CloudTrail's third skill as first numbered, wherever it moves). Ids are
written in the page source: `#### What is CloudTrail? {#ct-k01}` on a topic heading, and a
line `{: #ct-s03 }` right after a skill, an ability or a knowledge paragraph.

ksa.yml is the contract: the page codes, every published id, and retired ids with where they
went. The build fails on an item without an id, an id outside the scheme, a duplicate, a
published id that vanished, a new id not yet published, and a retired id used again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from handbook.errors import HandbookError

SCHEME = re.compile(r"^(?P<code>[a-z][a-z0-9]{0,3})-(?P<kind>[ksap])(?P<number>\d{2,3})$")
KINDS = {"k": "Knowledge", "s": "Skill", "a": "Ability", "p": "Playbook part"}
SECTIONS = {"knowledge": "k", "skills": "s", "abilities": "a"}
ATTR = re.compile(r"\s*\{:?\s*#(?P<id>[A-Za-z0-9_-]+)\s*\}\s*$")


@dataclass(frozen=True)
class Item:
    id: str | None
    kind: str  # k, s, a, p
    page: str  # docs path: services/cloudtrail.md
    line: int  # line of the item in the page
    end: int  # last line of the item's own text (where an id line goes)
    heading: bool  # a heading (id written inline) or a block (id on the next line)
    text: str
    title: str  # the page's title

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}"


@dataclass
class Contract:
    path: Path
    codes: dict[str, str]  # docs page -> code
    published: list[str]
    retired: dict[str, str]  # retired id -> id it went to

    @classmethod
    def load(cls, path: Path) -> "Contract":
        path = Path(path)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(path, dict(data.get("codes") or {}), list(data.get("published") or []), dict(data.get("retired") or {}))

    def save(self) -> None:
        head = self.path.read_text(encoding="utf-8").split("\ncodes:", 1)[0]
        body = yaml.safe_dump({"codes": self.codes, "published": self.published, "retired": self.retired},
                              sort_keys=False, default_flow_style=False, width=100)
        self.path.write_text(head.rstrip("\n") + "\n" + body, encoding="utf-8")


def plain(inline) -> str:
    text = "".join(c.content for c in inline.children if c.type in ("text", "code_inline", "softbreak"))
    return ATTR.sub("", " ".join(text.split())).strip()


def own_id(inline) -> str | None:
    m = ATTR.search(inline.content.splitlines()[-1] if inline.content else "")
    return m["id"] if m else None


def heading_id(inline) -> str | None:
    m = ATTR.search(inline.content)
    return m["id"] if m else None


def read_page(text: str, page: str, *, playbook: bool) -> list[Item]:
    """The KSA items of one page: under Knowledge, Skills and Abilities, or a playbook's parts."""
    tokens = MarkdownIt("commonmark").parse(text)
    title = ""
    items: list[Item] = []
    section, section_level, topics = None, 0, False
    depth = 0  # list nesting
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level, inline = int(tok.tag[1]), tokens[i + 1]
            hid = heading_id(inline)
            if level == 1:
                title = plain(inline)
            if playbook and level == 2:
                items.append(Item(hid, "p", page, tok.map[0] + 1, tok.map[0] + 1, True, plain(inline), title))
            if section and level > section_level and section == "k":
                topics = True
                items.append(Item(hid, "k", page, tok.map[0] + 1, tok.map[0] + 1, True, plain(inline), title))
            elif hid in SECTIONS:
                section, section_level, topics = SECTIONS[hid], level, False
            elif section and level <= section_level:
                section = None
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline" and section and tokens[i - 1].type == "paragraph_open":
            in_item = depth == 1 and tokens[i - 2].type == "list_item_open"
            top = depth == 0
            if section == "k" and (topics or not top):
                continue
            if section == "s" and not in_item:
                continue
            if (top or in_item) and section in "ksa":
                items.append(Item(own_id(tok), section, page, tok.map[0] + 1, tok.map[1], False, plain(tok), title))
    if not title and items:
        raise HandbookError(f"docs/{page}", 1, "a page with KSA items needs a title heading")
    return [item for item in items if item.text]


@dataclass
class Registry:
    items: list[Item]
    contract: Contract

    def find(self, ksa_id: str) -> Item | None:
        return next((i for i in self.items if i.id == ksa_id), None)

    def link(self, ksa_id: str, site_url: str | None = None) -> str:
        """The item's link: absolute under site_url when it is set, else from the site's root."""
        target = ksa_id
        while target in self.contract.retired:
            target = self.contract.retired[target]
        item = self.find(target)
        if item is None:
            raise HandbookError(self.contract.path, None, f"there is no KSA item {ksa_id!r}")
        href = f"{item.page[:-3]}.html#{item.id}"
        return (site_url.rstrip("/") + "/" + href) if site_url else href


def load(docs: Path, contract_path: Path) -> tuple[Registry, list[HandbookError]]:
    """Every item of the pages the contract names, and every problem found."""
    contract = Contract.load(contract_path)
    items: list[Item] = []
    problems: list[HandbookError] = []
    for page, code in contract.codes.items():
        path = Path(docs) / page
        if not path.exists():
            problems.append(HandbookError(contract.path, None, f"page {page} (code {code}) does not exist"))
            continue
        for item in read_page(path.read_text(encoding="utf-8"), page, playbook=page.startswith("playbooks/")):
            items.append(item)
            problems += item_problems(item, code, contract)
    seen: dict[str, Item] = {}
    for item in items:
        if item.id and item.id in seen:
            problems.append(HandbookError(f"docs/{item.page}", item.line, f"KSA id {item.id!r} is already used at {seen[item.id].where}"))
        elif item.id:
            seen[item.id] = item
    for gone in set(contract.published) - set(seen) - set(contract.retired):
        problems.append(HandbookError(contract.path, None, f"published KSA id {gone!r} is on no page; put it back, or retire it under `retired:` with the id it went to"))
    return Registry(items, contract), problems


def item_problems(item: Item, code: str, contract: Contract) -> list[HandbookError]:
    what = KINDS[item.kind].lower()
    where = (f"docs/{item.page}", item.line)
    if not item.id:
        return [HandbookError(*where, f"this {what} has no KSA id; `handbook ksa number` gives it the next free one")]
    m = SCHEME.match(item.id)
    if not m or m["code"] != code or m["kind"] != item.kind:
        return [HandbookError(*where, f"KSA id {item.id!r} is outside the scheme: a {what} on this page is {code}-{item.kind}NN")]
    if item.id in contract.retired:
        return [HandbookError(*where, f"KSA id {item.id!r} was retired (it went to {contract.retired[item.id]}); a new item takes a new number")]
    if item.id not in contract.published:
        return [HandbookError(*where, f"KSA id {item.id!r} is not in {contract.path.name}; `handbook ksa number` publishes it")]
    return []


def number(docs: Path, contract_path: Path) -> list[str]:
    """Give every item without an id the next free number of its page and kind, and publish it."""
    registry, _ = load(docs, contract_path)
    contract = registry.contract
    used = set(contract.published) | set(contract.retired) | {i.id for i in registry.items if i.id}
    given: list[str] = []
    by_page: dict[str, list[Item]] = {}
    for item in registry.items:
        by_page.setdefault(item.page, []).append(item)
    for page, items in by_page.items():
        code = contract.codes[page]
        path = Path(docs) / page
        lines = path.read_text(encoding="utf-8").split("\n")
        inserts: dict[int, str] = {}
        for item in items:
            if item.id:
                if item.id not in contract.published and SCHEME.match(item.id):
                    contract.published.append(item.id)
                continue
            n = 1
            while f"{code}-{item.kind}{n:02d}" in used:
                n += 1
            new = f"{code}-{item.kind}{n:02d}"
            used.add(new)
            given.append(new)
            contract.published.append(new)
            if item.heading:
                lines[item.line - 1] = lines[item.line - 1].rstrip() + f" {{#{new}}}"
            else:
                inserts[item.end] = f"{{: #{new} }}"  # unindented: attr_list gives it to the item above
        for at in sorted(inserts, reverse=True):
            lines.insert(at, inserts[at])
        path.write_text("\n".join(lines), encoding="utf-8")
    contract.save()
    return given


def export_rows(registry: Registry, site_url: str | None, exercises: dict[str, dict] | None = None) -> list[dict]:
    """The JQS checklist: one row per item, in page order; a Skill's row also says whether it has an
    exercise (`exercises`: handbook.training.coverage.table), and if not, why."""
    return [
        {"id": i.id, "service": i.title, "kind": KINDS[i.kind], "text": i.text, "link": registry.link(i.id, site_url),
         **((exercises or {}).get(i.id) or {})}
        for i in registry.items
    ]


def redirect_page(target: str, ksa_id: str) -> str:
    """A short link: lands on the item's page and anchor, online and from file://."""
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{ksa_id}</title><meta http-equiv=\"refresh\" content=\"0; url={target}\">"
        f"<link rel=\"canonical\" href=\"{target}\"></head>"
        f"<body><p><a href=\"{target}\">{ksa_id}</a></p></body></html>\n"
    )
