"""What the pages call through mkdocs-macros: snippets shown as fenced blocks, the errata.

Text returned here is not rendered again as Jinja, so a snippet's `{{` or `{#` stays as written.

A CLI example run against simulated AWS is shown in two content tabs, "Command" and "Example
output" (its recorded `<name>.output`); every example is followed by a one-line status saying
how it is verified (handbook.examples.status). `<placeholders>` in commands and SQL are wrapped
in `<span class="placeholder">` after rendering (`mark_placeholders`, called by hooks.py): the
reader sees and copies them unchanged.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

from handbook import errata as errata_file
from handbook import ksa, snippets
from handbook.errors import HandbookError
from handbook.examples import recording, status
from handbook.training import page as training_page


class Site:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.snippets = self.root / "snippets"
        self.errata = self.root / "source" / "errata.yml"
        self.included: set[str] = set()

    def snippet(self, ref: str, *, page_path: str, markdown: str) -> str:
        line = next((call.line for call in snippets.calls(markdown) if call.ref == ref), None)
        found = snippets.load(self.snippets, ref, where=(f"docs/{page_path}", line))
        self.included.add(found.ref)
        return example(found, self.model_only)

    @functools.cached_property
    def model_only(self) -> dict[str, str]:
        return snippets.model_only(self.snippets)

    def orphans(self) -> list[str]:
        """Snippet files that no page includes: examples nobody sees, or a forgotten rename."""
        return [s.ref for s in snippets.find(self.snippets) if s.ref not in self.included]

    @functools.cached_property
    def registry(self) -> ksa.Registry:
        registry, _ = ksa.load(self.root / "docs", self.root / "ksa.yml")  # problems fail the build in hooks.py
        return registry

    def ksa_index(self) -> str:
        """Every KSA id with its kind, text and link, grouped by service."""
        out = []
        for title, items in by_service(self.registry):
            out += [f"## {title}", "", "| Id | Kind | Item |", "|---|---|---|"]
            for i in items:
                # The short link is made by the build, so it is plain HTML that MkDocs does not validate.
                short = f'<a href="{i.id}.html"><code>{i.id}</code></a>'
                out.append(f"| {short} | {ksa.KINDS[i.kind]} | [{cell(i.text)}](../{i.page}#{i.id}) |")
            out.append("")
        return "\n".join(out)

    def ksa_checklist(self) -> str:
        """A labelled box per item, to print and tick during qualification; on screen, the record's status."""
        return training_page.checklist(by_service(self.registry), self.exercises, self.version)

    def qualification_record(self) -> str:
        """The printable record of the exercises done in this browser (filled by record.js)."""
        return training_page.record_page(by_service(self.registry), self.exercises, self.version)

    @functools.cached_property
    def exercises(self) -> dict:
        """Every exercise of the project, by KSA id (handbook.training.exercise)."""
        from handbook.training import exercise

        return exercise.collect(self.root)

    @functools.cached_property
    def version(self) -> str:
        """The handbook's version (pyproject.toml), which the record carries; "" for a site without one."""
        import tomllib

        project = self.root / "pyproject.toml"
        return tomllib.loads(project.read_text(encoding="utf-8"))["project"]["version"] if project.is_file() else ""

    def exercises_none(self) -> str:
        """The Skills without an exercise, each with the reason (snippets/exercises-none.yml)."""
        from handbook.training import coverage

        skills = [i for i in self.registry.items if i.kind == "s"]
        table = coverage.table([i.id for i in skills], self.root)
        missing = [i for i in skills if not table[i.id]["exercise"]]
        out = [f"{len(skills) - len(missing)} of the {len(skills)} Skills have an exercise: **Practise** under the "
               "Skill opens it. " + ("Every Skill has one." if not missing else "These have none, and why:"), ""]
        if missing:
            out += ["| Id | Skill | Why there is no exercise |", "|---|---|---|"]
            out += [f"| `{i.id}` | [{cell(i.text)}](../{i.page}#{i.id}) | {cell(table[i.id]['reason'] or 'No reason given.')} |"
                    for i in missing]
        return "\n".join(out) + "\n"

    def errata_table(self) -> str:
        rows = ["| Source line | The source said | The site says | Why |", "|---|---|---|---|"]
        for e in sorted(errata_file.load(self.errata), key=lambda e: e.line):
            site = "(removed)" if e.site == "" else "(see the page)" if e.site is None else code(e.site)
            rows.append(f"| {e.line} | {code(e.source)} | {site} | {cell(e.reason)} |")
        added = [(s, s.declarations["added"]) for s in snippets.find(self.snippets)
                 if s.kind == "cli" and s.declarations.get("added")]
        if added:
            rows += ["", "### Additions", "", "Commands the handbook adds to the source's text, each marked "
                     "\"Added by the handbook\" where it is shown.", "", "| Example | Page | Why |", "|---|---|---|"]
            rows += [f"| `{s.ref}` | {s.page} | {cell(str(why))} |" for s, why in added]
        from handbook.training import incident as incident_page

        rows += ["", "### Incidents the handbook adds", "", "Incident pages of the handbook's own, beside the "
                 "source's two playbooks: each a scenario replayed in a simulated account, its questions' answers "
                 "proven by the suite, each page marked \"Added by the handbook\".", "",
                 incident_page.incidents(self.root, link_from="playbooks/")]
        return "\n".join(rows)


def by_service(registry: ksa.Registry) -> list[tuple[str, list[ksa.Item]]]:
    groups: dict[str, list[ksa.Item]] = {}
    for item in registry.items:
        groups.setdefault(item.title, []).append(item)
    return list(groups.items())


PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.-]*)>")
NO_OUTPUT = "The command prints nothing when it succeeds."


def example(found: snippets.Snippet, model_only: dict[str, str]) -> str:
    """A snippet as the page shows it: the block (with its output in tabs), then its status."""
    declarations = found.declarations
    state = status.of(found, declarations, model_only)
    classes = ["example"]
    if found.kind in ("cli", "sql") and PLACEHOLDER.search(found.text):
        classes.append("has-placeholders")
    block = fenced(found.text, found.language, found.name, classes)
    line = f"{state.text}\n{{: .example-status .example-status--{state.key} }}"
    if declarations.get("added"):  # never passed off as the source's: marked here and on the Errata page
        line = f"**Added by the handbook**, not in the source: {declarations['added']}\n\n{line}"
    if found.kind == "sql":  # an SQL box the reader can run in the page (handbook/runtime/assets/sql.js)
        block = f'<div class="hb-example hb-sql" data-sql="{found.ref}" markdown>\n\n{block}\n\n</div>'
    if state.key != "simulated":
        return f"{block}\n\n{line}"
    output = recording.as_terminal_shows(recording.read(found.output)).strip("\n")
    shown = fenced(output, "json" if is_json(output) else "text", None, ["example-output"]) if output else NO_OUTPUT
    # The container of an example the reader can run in the page (handbook/runtime/assets/run.js).
    account = f' data-account="drill:{drill}"' if (drill := drill_of(declarations)) else ""
    if drill and declarations.get("reveals"):  # the evidence a drill step finds, for the page's checklist
        account += f' data-reveals="{html.escape(json.dumps([str(r) for r in declarations["reveals"]]), quote=True)}"'
    runnable = f'<div class="hb-example" data-snippet="{found.ref}"{account} markdown>'
    return f"{runnable}\n\n{tabs([('Command', block), ('Example output', shown)])}\n\n</div>\n\n{line}"


def drill_of(declarations: dict) -> str | None:
    """The playbook whose drill a snippet is a step of (its setup replays that scenario), or None."""
    for step in declarations.get("setup") or []:
        if isinstance(step, dict) and step.get("fixture") == "scenario":
            return str((step.get("args") or {}).get("name"))
    return None


def tabs(items: list[tuple[str, str]]) -> str:
    """pymdownx.tabbed content tabs, one per (label, Markdown)."""
    out = []
    for label, body in items:
        out += [f'=== "{label}"', ""] + [f"    {line}" if line else "" for line in body.splitlines()] + [""]
    return "\n".join(out).rstrip()


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def fenced(text: str, language: str, title: str | None, classes: list[str] = ()) -> str:
    """A fenced block that no backticks inside the text can close early."""
    fence = "```"
    while fence in text:
        fence += "`"
    attributes = " ".join([f".{language}", *(f".{c}" for c in classes)] + ([f'title="{title}"'] if title else []))
    return f"{fence} {{ {attributes} }}\n{text.rstrip()}\n{fence}"


def mark_placeholders(html: str) -> str:
    """Each `<name>` in a rendered example block wrapped in a span, styled as a placeholder."""
    def block(match: re.Match) -> str:
        return re.sub(r"&lt;([A-Za-z][A-Za-z0-9_.-]*)&gt;",
                      r'<span class="placeholder" title="placeholder: replace with your value">&lt;\1&gt;</span>',
                      match.group(0))
    return re.sub(r'<div class="[^"]*\bhas-placeholders\b[^"]*">.*?</div>', block, html, flags=re.S)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    return f"{ticks} {cell(text)} {ticks}"


def define_env(env) -> None:
    site = Site(Path(env.conf["config_file_path"]).parent)
    env.variables["handbook_site"] = site

    @env.macro
    def snippet(ref: str) -> str:
        """A snippet file as a fenced block titled with its name."""
        return site.snippet(ref, page_path=env.page.file.src_uri, markdown=env.markdown)

    @env.macro
    def ksa_index() -> str:
        """The KSA index: every id, grouped by service."""
        return site.ksa_index()

    @env.macro
    def ksa_checklist() -> str:
        """The printable JQS checklist."""
        return site.ksa_checklist()

    @env.macro
    def qualification_record() -> str:
        """The printable qualification record (exercises done in this browser)."""
        return site.qualification_record()

    @env.macro
    def exercises_none() -> str:
        """The Skills without an exercise, with the reasons."""
        return site.exercises_none()

    @env.macro
    def drill_sheet(playbook: str) -> str:
        """The printable drill sheet of a playbook (handbook.training.drill)."""
        from handbook.training import drill

        return drill.sheet(drill.load(playbook, site.root))

    @env.macro
    def incident(name: str) -> str:
        """An incident's page from its scenario: briefing, questions, hints, answers, containment."""
        from handbook.training import incident as incident_page

        return incident_page.incident(name, site.root)

    @env.macro
    def incidents() -> str:
        """The table of the incidents the handbook adds."""
        from handbook.training import incident as incident_page

        return incident_page.incidents(site.root)

    @env.macro
    def errata() -> str:
        """The table of every deliberate difference from the source handbook."""
        return site.errata_table()


def on_post_build(env) -> None:
    """Fail the build on snippet files that no page includes."""
    site = env.variables.get("handbook_site")
    if site is not None and (orphans := site.orphans()):
        raise HandbookError(site.snippets, None, f"{len(orphans)} snippet file(s) are included by no page: {', '.join(orphans)}")
