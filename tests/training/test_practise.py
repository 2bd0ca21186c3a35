"""The Practise box's two halves without a browser: the markup the build renders
(handbook.training.page) and the worker's Python (handbook.training.practise, via boot.exercise)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handbook import hooks
from handbook.account import Account
from handbook.examples.verify import simulation_runner
from handbook.runtime import boot
from handbook.site import Site, by_service
from handbook.training import exercise, page

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
WRONG = "aws cloudtrail update-trail --name org-audit --no-enable-log-file-validation"
RIGHT = "aws cloudtrail update-trail --name org-audit --enable-log-file-validation"


class Controls(HTMLParser):
    """Every input, textarea and button, with what names it for a screen reader."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "textarea", "button"):
            self.controls.append({"tag": tag, **attrs, "text": ""})
            self._button = self.controls[-1] if tag == "button" else None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None

    def unnamed(self) -> list[dict]:
        return [c for c in self.controls
                if not (c.get("aria-label") or c.get("aria-labelledby") or c.get("id") in self.labels
                        or (c["tag"] == "button" and c["text"].strip()))]


def controls(markup: str) -> Controls:
    found = Controls()
    found.feed(markup)
    return found


@pytest.fixture(scope="module")
def ct_s08():
    return exercise.collect(ROOT)["ct-s08"]


def test_the_box_carries_the_contract_and_hides_hints_and_solution_until_asked(ct_s08):
    box = page.box(ct_s08, "0.1.0")
    assert 'data-exercise="ct-s08"' in box and 'data-handbook="0.1.0"' in box
    for name in ("hb-practise", "hb-check", "hb-hint", "hb-solution", "hb-run", "hb-run-output", "hb-solution-text"):
        assert re.search(rf'class="[^"]*(?<![\w-]){name}(?![\w-])', box), name
    assert re.search(r'<textarea class="hb-run-command"', box)
    assert len(re.findall(r"<li hidden>", box)) == len(ct_s08.hints)
    assert '<div class="hb-solution-text" hidden>' in box
    assert [f"<code>{c}</code>" in box for c in ct_s08.solution] == [True] * len(ct_s08.solution)
    assert "<code>org-audit</code>" in box  # the task's Markdown, rendered


def test_every_control_of_the_box_the_checklist_and_the_record_has_a_name(ct_s08):
    site = Site(ROOT)
    groups = by_service(site.registry)
    for markup in (page.box(ct_s08, "0.1.0"), page.checklist(groups, {"ct-s08": ct_s08}, "0.1.0"),
                   page.record_page(groups, {"ct-s08": ct_s08}, "0.1.0")):
        found = controls(markup)
        assert found.controls and found.unnamed() == []
    checkboxes = [c for c in controls(page.checklist(groups, {}, "0.1.0")).controls if c.get("type") == "checkbox"]
    assert len(checkboxes) == len(site.registry.items)


def test_the_name_check_fails_on_an_unlabelled_control():
    found = controls('<label for="a">A</label><input id="a"><input type="checkbox" id="b"><button type="button"></button>')
    assert [c["tag"] for c in found.unnamed()] == ["input", "button"]


def test_the_box_goes_after_its_skill_and_nowhere_else(ct_s08):
    html = ('<ul><li><p id="ct-s07">Enable log encryption</p></li>\n'
            '<li><p id="ct-s08"><button class="ksa-link">ct-s08</button>Enable log file integrity</p></li></ul>')
    done = page.with_boxes(html, {"ct-s08": ct_s08}, "0.1.0", hooks.KSA_ELEMENT)
    assert done.count("data-exercise=") == 1
    assert done.index('data-exercise="ct-s08"') > done.index("Enable log file integrity</p>")
    assert done.index('data-exercise="ct-s08"') < done.index("</li></ul>")
    assert page.with_boxes(html, {}, "0.1.0", hooks.KSA_ELEMENT) == html


def test_the_checklist_keeps_one_item_per_ksa_id_with_what_the_csv_export_reads(ct_s08):
    site = Site(ROOT)
    markup = page.checklist(by_service(site.registry), {"ct-s08": ct_s08}, "0.1.0")
    items = re.findall(r'<li class="task-list-item" data-ksa="([^"]+)" data-service="[^"]+" data-kind="[^"]+"', markup)
    assert items == [i.id for i in site.registry.items]
    assert markup.count("data-exercise-link") == 1
    assert "## AWS CloudTrail" in markup  # a Markdown heading: the page's table of contents lists it


@pytest.fixture()
def account():
    found = Account(SNIPPETS, commands=frozenset({"cloudtrail", "s3", "s3api", "iam"}), runner=simulation_runner())
    yield found
    found.reset()


def ask(account, **message) -> dict:
    return json.loads(boot.exercise(account, str(SNIPPETS), message))


def test_practise_prepares_the_start_and_runs_commands_one_after_another(account):
    started = ask(account, type="practise", ksa="ct-s08", commands=[])
    assert started["status"] == "ok" and started["note"].startswith("A fresh simulated account for this exercise")
    wrong = ask(account, type="exercise", ksa="ct-s08", command=WRONG, history=[])
    assert wrong["ran"] and wrong["status"] == "ok" and '"LogFileValidationEnabled": false' in wrong["stdout"]
    failed = ask(account, type="check", ksa="ct-s08", history=[WRONG])
    assert failed["holds"] is False
    [validates, logging] = failed["conditions"]
    assert validates == {"that": "org-audit validates its log files", "holds": False,
                         "detail": validates["detail"]} and "LogFileValidationEnabled" in validates["detail"]
    assert logging["holds"] is True
    right = ask(account, type="exercise", ksa="ct-s08", command=RIGHT, history=[WRONG])
    assert right["ran"] and right["account"] == "same"
    assert ask(account, type="check", ksa="ct-s08", history=[WRONG, RIGHT])["holds"] is True


def test_a_refused_command_runs_nothing_and_is_not_counted_as_run(account):
    ask(account, type="practise", ksa="ct-s08", commands=[])
    for command in ("aws cloudtrail describe-trails | grep org", "aws s3 ls s3://$(whoami)",
                    "aws cloudtrail describe-trails --endpoint-url https://cloudtrail.example.com", "rm -rf /"):
        refused = ask(account, type="exercise", ksa="ct-s08", command=command, history=[])
        assert refused["ran"] is False and refused["status"] == "error" and refused["note"].startswith("Not run"), command


def test_after_another_box_the_account_is_prepared_again_with_the_commands_run_before(account):
    ask(account, type="practise", ksa="ct-s08", commands=[])
    ask(account, type="exercise", ksa="ct-s08", command=RIGHT, history=[])
    account.run("cloudtrail/describe-trails.sh", "aws cloudtrail describe-trails")  # another box takes the account
    again = ask(account, type="check", ksa="ct-s08", history=[RIGHT])
    assert again["holds"] is True and "your 1 earlier command ran again" in again["note"]
    account.run("cloudtrail/describe-trails.sh", "aws cloudtrail describe-trails")
    assert ask(account, type="check", ksa="ct-s08", history=[])["holds"] is False  # without it, the start


def test_a_reload_finds_the_account_as_the_record_left_it(account):
    started = ask(account, type="practise", ksa="ct-s08", commands=[WRONG, RIGHT])
    assert "your 2 earlier commands ran again in order" in started["note"]
    assert ask(account, type="check", ksa="ct-s08", history=[WRONG, RIGHT])["holds"] is True


def test_an_unknown_exercise_is_a_sentence_not_a_traceback(account):
    found = ask(account, type="practise", ksa="zz-s99", commands=[])
    assert found["status"] == "error" and found["note"] == "The exercise could not run this: LookupError: no exercise is named zz-s99"
    assert "Traceback" not in json.dumps(found)


PROJECT = ROOT / "tests" / "fixtures" / "exercises" / "project"  # a tiny project: an answer exercise in a scenario


def test_an_answer_exercise_has_an_input_labelled_by_its_question():
    found = exercise.collect(PROJECT)["ct-s01"]
    box = page.box(found, "0.1.0")
    assert 'data-kind="answer"' in box
    assert re.search(r'<label for="hb-answer-ct-s01">At what time \(UTC\) was logging of `management-events` stopped\?'
                     r'</label>\s*<input type="text" class="hb-answer-input" id="hb-answer-ct-s01"', box)
    assert controls(box).unnamed() == []


def test_an_answer_is_checked_in_the_scenarios_account_as_a_person_compares_it(account):
    root = str(PROJECT / "snippets")
    ask_here = lambda **m: json.loads(boot.exercise(account, root, m))  # noqa: E731
    assert ask_here(type="practise", ksa="ct-s01", commands=[])["status"] == "ok"
    shown = ask_here(type="exercise", ksa="ct-s01", history=[],
                     command="aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StopLogging")
    assert shown["ran"] and "2026-11-20T09:35:12" in shown["stdout"].replace(" ", "T")
    wrong = ask_here(type="check", ksa="ct-s01", answer="2026-11-20T09:14:03Z", history=[])
    assert wrong["holds"] is False and "is not the answer" in wrong["conditions"][-1]["detail"]
    right = ask_here(type="check", ksa="ct-s01", answer=" 2026-11-20 09:35:12 UTC ", history=[])
    assert right["holds"] is True
