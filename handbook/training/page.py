"""An incident's page, rendered from its scenario: the static form of an investigation.

`docs/playbooks/<name>.md` holds a title and `{{ incident("<name>") }}`; this module writes the
rest from `scenarios/<name>.yml` (handbook.training.investigation), so the page can never say
something the suite did not prove. The page shows, in order:

- that the incident is the handbook's own addition (as the drill steps are marked), with its
  ATT&CK tactics and the KSA ids it exercises (each linked to its short link);
- the briefing;
- each question, with its hints and its answer in collapsed blocks (closed until the reader
  opens them: nothing is revealed until found or given up on), the answer followed by the
  commands and the Athena SQL that find it;
- the containment, a line per condition, and one way to contain it, collapsed too.

The interactive panel (`.hb-investigation`, answers checked in the page) is rendered over this
by the page's script; the printed page and the PDF keep this form. `incidents()` lists every
incident for the Playbooks index and the Errata page.
"""

from __future__ import annotations

import html
from pathlib import Path

from handbook.training import investigation as investigations

ADDED = ("**Added by the handbook**, not in the source: an incident of the handbook's own, replayed in a "
         "simulated account by `handbook drill {name}` and in the page; every answer below is proven by the "
         "suite to be found by the commands shown.")


def incident(name: str, root: Path) -> str:
    """The Markdown of incident `name`'s page, after its title."""
    inv = investigations.load(name, root)
    ksa_links = ", ".join(f'<a href="../ksa/{k}.html"><code>{k}</code></a>' for k in inv.ksa)
    out = [ADDED.format(name=name), "{: .hb-added }", "",
           f"**ATT&CK tactics:** {', '.join(inv.tactics)}. **KSA:** {ksa_links}.", "",
           f'<div class="hb-incident" data-investigation="{html.escape(name)}" markdown>', "",
           "## Briefing {#briefing}", "", inv.briefing, "",
           "## Questions {#questions}", "",
           "Answer each from evidence you find with commands of your own (Run, in the boxes of the "
           "handbook's pages, or `handbook drill` in a terminal). Open a hint only when stuck, and the "
           "answer only once you have one.", ""]
    for number, q in enumerate(inv.questions, 1):
        out += [f"### {number}. {q.ask} {{#q-{q.id}}}", ""]
        for h, text in enumerate(q.hints, 1):
            out += [f'??? tip "Hint {h}"', "", f"    {text}", ""]
        out += ['??? success "Answer"', "", f"    {_answer(q)}", ""]
        if q.found_by:
            out += ["    Found by:", "", "    ```sh"] + [f"    {c}" for c in q.found_by] + ["    ```", ""]
        if q.sql:
            out += ["    Found with Athena, over the trail's log files (the table the Athena page creates):", "",
                    "    ```sql"] + [f"    {line}" for line in q.sql.strip().splitlines()] + ["    ```", ""]
    out += ["## Containment {#containment}", "", "The incident is contained when all of these hold:", ""]
    out += [f"- {c.that}" for c in inv.containment] + [""]
    out += ['??? success "One way to contain it"', "", "    ```sh"] + [f"    {c}" for c in inv.contain]
    out += ["    ```", "", "</div>", ""]
    return "\n".join(out)


def _answer(q: investigations.Question) -> str:
    expect = q.expect if isinstance(q.expect, list) else [q.expect]
    shown = ", ".join(f"`{e}`" for e in expect)
    return (f"{shown} (any order)" if q.kind == "list" else shown if len(expect) == 1
            else f"{shown} (any of these)")


def incidents(root: Path, *, link_from: str = "") -> str:
    """A table of the incidents the handbook adds (scenarios without a playbook of the source)."""
    rows = ["| Incident | ATT&CK tactics | Scenario |", "|---|---|---|"]
    for name in investigations.names(root):
        inv = investigations.load(name, root)
        if inv.scenario.playbook:
            continue
        rows.append(f"| [{inv.title}]({link_from}{name}.md) | {', '.join(inv.tactics)} | `scenarios/{name}.yml` |")
    return "\n".join(rows)
