"""What the pages show of training: the Practise box under a Skill, the checklist, the record page.

All of it is rendered when the site is built, from the exercise files and the KSA registry; the
page's scripts only fill it in (handbook/runtime/assets/practise.js runs the box, record.js
keeps the record in the browser's storage and shows it). So the box works from file:// (nothing
to fetch), the checklist prints blank (the status is script-filled and hidden in print), and a
check written without this code drives the box by the issue's contract:

- the box `[data-exercise="<ksa id>"]` holds `.hb-practise` (opens it), the task, Run's command
  box (`textarea.hb-run-command`, `.hb-run`, `.hb-run-output`), `.hb-check`, `.hb-hint`,
  `.hb-solution`, and the solution's commands as `code` elements in `.hb-solution-text`;
- the checklist's items carry `data-ksa`, `data-service`, `data-kind` and their text, which the
  CSV export reads; `.hb-record-export-json` and `.hb-record-export-csv` download the record.

Every control has a name a screen reader reads (a visible `<label>`; a button's own text, with
the exercise's id in a visually hidden span where several boxes share a page); element ids are
made from the KSA id, which the build already keeps unique on a page.
"""

from __future__ import annotations

import html
import re

import markdown

from handbook import ksa

def _text(value) -> str:
    return html.escape(str(value), quote=True)


def _inline(text: str) -> str:
    """A task's Markdown (code, emphasis, paragraphs) as HTML; the text is the project's own."""
    return markdown.markdown(str(text).strip(), extensions=["md_in_html"], output_format="html")


def _phrase(text: str) -> str:
    """A hint's Markdown as inline HTML (one paragraph's content, no <p>): a line of a list."""
    rendered = _inline(text)
    inner = rendered[3:-4] if rendered.startswith("<p>") and rendered.endswith("</p>") else rendered
    return rendered if "<p>" in inner else inner


def box(exercise, version: str) -> str:
    """The Practise box of one exercise, closed until `.hb-practise` opens it."""
    ident, answer, hints, solution = exercise.ksa, exercise.answer, exercise.hints, exercise.solution
    body = f"hb-exercise-{ident}"
    parts = [
        f'<div class="hb-exercise" data-exercise="{_text(ident)}" data-handbook="{_text(version)}" '
        f'data-kind="{"answer" if answer is not None else "check"}" data-hints="{len(hints)}">',
        f'<button type="button" class="md-button hb-practise" aria-expanded="false" aria-controls="{body}">'
        f'Practise<span class="hb-visually-hidden"> {_text(ident)}</span></button>',
        f'<span class="hb-exercise-status" data-status="" aria-live="polite"></span>',
        f'<section class="hb-exercise-body" id="{body}" aria-label="Exercise {_text(ident)}" hidden>',
        f'<div class="hb-exercise-task">{_inline(exercise.task)}</div>',
    ]
    if answer is not None:
        parts += [f'<div class="hb-answer"><label for="hb-answer-{ident}">{_text(answer.question)}</label>',
                  f'<input type="text" class="hb-answer-input" id="hb-answer-{ident}" autocomplete="off" '
                  f'spellcheck="false"></div>']
    parts += [
        f'<label class="hb-run-label" for="hb-command-{ident}">Command (Enter runs it; Up and Down recall '
        f'earlier ones; Shift+Enter starts a new line)</label>',
        f'<textarea class="hb-run-command" id="hb-command-{ident}" rows="2" spellcheck="false" '
        f'autocomplete="off" placeholder="aws ..."></textarea>',
        '<div class="hb-run-bar">',
        '<button type="button" class="md-button md-button--primary hb-run" '
        'title="Run the command in this exercise\'s own simulated account">Run</button>',
        '<button type="button" class="md-button hb-check" title="Check the account (and your answer) against '
        'the task">Check</button>',
        f'<button type="button" class="md-button hb-hint" title="Show the next hint"'
        f'{" disabled" if not hints else ""}>Hint</button>',
        '<button type="button" class="md-button hb-solution" title="Show one correct way; the exercise is then '
        'recorded as passed with the solution shown">Show solution</button>',
        '<button type="button" class="md-button hb-exercise-reset" title="A fresh account as the task starts, '
        f'and this exercise\'s record forgotten">Start over<span class="hb-visually-hidden"> {_text(ident)}</span>'
        '</button>',
        '</div>',
        '<div class="hb-run-progress" hidden><progress max="100" aria-label="Loading the in-page runtime">'
        '</progress><span class="hb-run-stage"></span></div>',
        '<div class="hb-run-output" aria-live="polite"></div>',
        '<div class="hb-check-result" aria-live="polite"></div>',
        f'<div class="hb-hints-box"><p class="hb-history-title" id="hb-hints-{ident}">Hints</p>'
        f'<ol class="hb-hints" aria-labelledby="hb-hints-{ident}">'
        + "".join(f'<li hidden>{_phrase(h)}</li>' for h in hints) + '</ol></div>',
        '<div class="hb-history" hidden><p class="hb-history-title">Commands run in this exercise</p>'
        '<ol class="hb-history-list"></ol></div>',
        '<div class="hb-solution-text" hidden><p>One correct way:</p><ol>'
        + "".join(f'<li><code>{_text(c)}</code></li>' for c in solution) + '</ol></div>',
        '</section>',
        '</div>',
    ]
    return "\n".join(parts)


def _skill_end(page_html: str, match: re.Match) -> int | None:
    """Where the box goes: after the closing tag of the element a KSA id opens (a paragraph or
    heading), or inside a list item, before its end."""
    tag = match.group(1)
    close = page_html.find(f"</{tag}>", match.end())
    if close < 0 or tag == "li":
        return None if close < 0 else close
    return close + len(f"</{tag}>")


def with_boxes(page_html: str, exercises: dict, version: str, element: re.Pattern) -> str:
    """The page with each exercise's box after its Skill's element (`element`: hooks.KSA_ELEMENT)."""
    inserts = []
    for match in element.finditer(page_html):
        found = exercises.get(match["id"])
        if found is not None and (end := _skill_end(page_html, match)) is not None:
            inserts.append((end, box(found, version)))
    for end, markup in reversed(inserts):
        page_html = page_html[:end] + "\n" + markup + "\n" + page_html[end:]
    return page_html


def _tools(version: str) -> str:
    """The trainee's name, shared by the checklist and the record page."""
    return (f'<div class="hb-record-tools" data-handbook="{_text(version)}">'
            '<p><label for="hb-record-trainee">Trainee\'s name</label> '
            '<input type="text" id="hb-record-trainee" class="hb-record-trainee" autocomplete="name"></p>'
            '<p class="hb-record-storage" aria-live="polite"></p>')


def checklist(groups: list[tuple[str, list[ksa.Item]]], exercises: dict, version: str) -> str:
    """The JQS checklist (Markdown with HTML blocks): a labelled box per item, the record's status beside it
    (script-filled)."""
    out = [_tools(version),
           '<p class="hb-record-buttons">'
           '<button type="button" class="md-button hb-record-export-json">Export the record (JSON)</button> '
           '<button type="button" class="md-button hb-record-export-csv">Export the checklist (CSV)</button> '
           '<button type="button" class="md-button hb-record-reset-all">Forget every exercise</button></p>',
           '</div>']
    for title, items in groups:
        out += ["", f"## {title}", ""]  # Markdown: the page's table of contents lists each service
        out.append('<ul class="task-list hb-checklist">')
        for i in items:
            kind = ksa.KINDS[i.kind]
            practise = ' data-exercise-link=""' if i.id in exercises else ""
            out.append(
                f'<li class="task-list-item" data-ksa="{_text(i.id)}" data-service="{_text(title)}" '
                f'data-kind="{_text(kind)}"{practise}>'
                f'<input type="checkbox" id="checklist-{_text(i.id)}" disabled> '
                f'<label for="checklist-{_text(i.id)}"><code>{_text(i.id)}</code> {_text(kind)}: '
                f'<span class="hb-checklist-text">{_text(i.text)}</span></label> '
                f'<span class="hb-record-status" data-status=""></span></li>')
        out += ["</ul>", ""]
    return "\n".join(out)


def record_page(groups: list[tuple[str, list[ksa.Item]]], exercises: dict, version: str) -> str:
    """The printable record: every Skill with an exercise, its status, date, hints and commands."""
    rows = []
    for title, items in groups:
        for i in items:
            if i.id in exercises:
                rows.append(f'<tr data-ksa="{_text(i.id)}"><td><a href="../{_text(i.page.removesuffix(".md"))}.html#'
                            f'{_text(i.id)}"><code>{_text(i.id)}</code></a></td><td>{_text(title)}: {_text(i.text)}</td>'
                            '<td class="hb-record-status" data-status=""></td><td class="hb-record-date"></td>'
                            '<td class="hb-record-hints"></td><td class="hb-record-commands"></td>'
                            f'<td class="hb-record-actions"><button type="button" class="md-button hb-record-reset" '
                            f'aria-label="Forget {_text(i.id)}">Forget</button></td></tr>')
    return "\n".join([
        _tools(version),
        '<p class="hb-record-buttons"><button type="button" class="md-button hb-record-print">Print this record'
        '</button> <button type="button" class="md-button hb-record-reset-all">Forget every exercise</button></p>',
        '</div>',
        '<p class="hb-record-summary" aria-live="polite"></p>',
        '<table class="hb-record"><caption>Exercises of this handbook and what this browser recorded</caption>',
        '<thead><tr><th scope="col">Id</th><th scope="col">Skill</th><th scope="col">Status</th>'
        '<th scope="col">Date</th><th scope="col">Hints</th><th scope="col">Commands run</th>'
        '<th scope="col"><span class="hb-visually-hidden">Reset</span></th></tr></thead>',
        "<tbody>", *rows, "</tbody></table>",
    ])
