"""An investigation: an incident's questions, answered from evidence, and its containment, scored.

Every scenario (`scenarios/<name>.yml`, handbook.training.scenario) is also an investigation.
Beside the replay it declares what a trainee is told and asked:

    title: Leaked deployment key             # the incident page's title
    tactics: [Initial Access, Discovery]     # ATT&CK tactic names (the contract for outside checks)
    ksa: [ct-s01, gd-a03]                    # published KSA ids it exercises (ksa.yml)
    briefing: |                              # what the alert said and what the team knows; no answer
      ...
    questions:                               # the questions an IR lead asks, in order
      - id: credentials                      # stable: the page's [data-question] value
        ask: Which access key did the threat actor use?
        answer: {expect: AKIAZDRILLEXAMPLE001, kind: text}   # kind of handbook.training.answer
        hints: [..., ...]                    # in order, each a little more; each taken costs points
        found-by:                            # aws commands the hints lead to ...
          - aws cloudtrail lookup-events ...
        sql: SELECT ... FROM cloudtrail_logs ...   # ... and/or Athena SQL over the trail's log files
        wrong: [AKIAZDRILLEXAMPLE002]        # plausible wrong answers: each must be refused
    containment:                             # conditions (handbook.training.check) once contained
      - that: the leaked key is inactive
        call: iam.ListAccessKeys
        ...
    contain:                                 # one correct containment, aws commands in order
      - aws iam update-access-key ...

Every investigation asks the five questions an IR lead asks (`ASKED`: which credentials, from
where, when it started, what was created or changed, what data was read); the sixth, is it
contained, is answered by the account itself (`containment`). The suite proves for every
question that its recorded answer is in the output of its `found-by` commands (and of its `sql`
over the delivered trail files, in DuckDB) in a fresh replay, and that each `wrong` answer is
refused; and for the containment, that it does not hold after the replay and holds after
`contain`. `rehearse` does exactly that, for the suite and `handbook drill`.

The score, out of 100 (`score`): 80 points shared equally by the questions, each earned only
when answered right (a question given up on earns nothing); 20 for containment, less one per
started minute beyond 15 minutes from Start to containment (none when not contained); minus
5 per hint taken; never below 0. So a trainee who answers everything without hints and contains
the incident within a quarter of an hour scores 100.
"""

from __future__ import annotations

import dataclasses
import math
import re
import shlex
from pathlib import Path
from typing import Any

from handbook import aws  # first: awscli must be imported before boto3 and moto
from handbook.errors import HandbookError
from handbook.training import answer as answers
from handbook.training import scenario as scenarios

PROJECT = Path(__file__).resolve().parent.parent.parent
# The tactics of ATT&CK's cloud matrix, as ATT&CK names them.
TACTICS = ("Initial Access", "Execution", "Persistence", "Privilege Escalation", "Defense Evasion",
           "Credential Access", "Discovery", "Lateral Movement", "Collection", "Exfiltration", "Impact")
# The questions every investigation asks, by id; the sixth, "is it contained", is `containment`.
ASKED = {"credentials": "which credentials were used", "origin": "from where", "start": "when it started",
         "changes": "what was created or changed", "data": "what data was read"}
QUESTION_FIELDS = {"id", "ask", "answer", "hints", "found-by", "sql", "wrong"}
NEEDED = ("title", "tactics", "ksa", "briefing", "questions", "containment", "contain")
POINTS_FOR_ANSWERS, POINTS_FOR_CONTAINMENT, HINT_COST, PAR_MINUTES = 80, 20, 5, 15


@dataclasses.dataclass
class Question:
    id: str
    ask: str
    expect: Any
    kind: str
    hints: list[str]
    found_by: list[str]
    sql: str | None
    wrong: list[str]
    line: int | None


@dataclasses.dataclass
class Investigation:
    name: str
    scenario: scenarios.Scenario
    title: str
    tactics: list[str]
    ksa: list[str]
    briefing: str
    questions: list[Question]
    containment: list  # handbook.training.check.Condition
    contain: list[str]

    @property
    def path(self) -> Path:
        return self.scenario.path

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.name} has no question {question_id!r} (it asks {', '.join(q.id for q in self.questions)})")


def load(name: str, root: Path = PROJECT) -> Investigation:
    """The investigation of scenarios/<name>.yml, every field checked before anything runs."""
    return read(scenarios.load(scenarios.path_of(name, Path(root) / "scenarios")), root)


def collect(root: Path = PROJECT) -> dict[str, Investigation]:
    """Every scenario's investigation, by name."""
    return {p.stem: load(p.stem, root) for p in sorted((Path(root) / "scenarios").glob("*.yml"))}


def names(root: Path = PROJECT) -> list[str]:
    return sorted(p.stem for p in (Path(root) / "scenarios").glob("*.yml"))


def read(scenario: scenarios.Scenario, root: Path = PROJECT) -> Investigation:
    from handbook.training import check

    data, where, path = scenario.data, scenario.where, scenario.path
    for field in NEEDED:
        if not data.get(field):
            raise HandbookError(path, 1, f"the scenario lacks {field!r}: every scenario is an investigation "
                                         f"(see handbook/training/investigation.py)")
    tactics = _texts(data["tactics"], path, where, "tactics")
    for n, tactic in enumerate(tactics):
        if tactic not in TACTICS:
            raise HandbookError(path, where.get(("tactics", n), where.get(("tactics",))),
                                f"{tactic!r} is not an ATT&CK tactic; write one of {', '.join(TACTICS)}")
    ksa_ids = _texts(data["ksa"], path, where, "ksa")
    published = _published(Path(root) / "ksa.yml")
    for n, ksa_id in enumerate(ksa_ids):
        if ksa_id not in published:
            raise HandbookError(path, where.get(("ksa", n), where.get(("ksa",))),
                                f"{ksa_id!r} is no published KSA id (ksa.yml)")
    questions = [_question(item, path, where, n) for n, item in enumerate(_list(data["questions"], path, where, "questions"))]
    ids = [q.id for q in questions]
    for q in questions:
        if ids.count(q.id) > 1:
            raise HandbookError(path, q.line, f"two questions have the id {q.id!r}; a question's id is unique")
    missing = [f"{i} ({what})" for i, what in ASKED.items() if i not in ids]
    if missing:
        raise HandbookError(path, where.get(("questions",)), f"the investigation does not ask {', '.join(missing)}: "
                                                              "every investigation asks the five questions of an IR lead")
    actors = set(scenario.keys)
    containment = check.conditions(data["containment"], path, lines=where, at=("containment",), actors=actors)
    contain = _commands(data["contain"], path, where, ("contain",))
    return Investigation(scenario.name, scenario, str(data["title"]), tactics, ksa_ids, str(data["briefing"]).strip(),
                         questions, containment, contain)


def _question(item: Any, path: Path, where: dict, n: int) -> Question:
    at = ("questions", n)
    line = where.get(at)
    if not isinstance(item, dict):
        raise HandbookError(path, line, "a question is a mapping with id, ask, answer, hints, found-by or sql, wrong")
    for name in item:
        if name not in QUESTION_FIELDS:
            raise HandbookError(path, where.get(at + (name,), line), f"a question has no field {name!r}; "
                                                                    f"it may have {', '.join(sorted(QUESTION_FIELDS))}")
    for name in ("id", "ask", "answer", "hints", "wrong"):
        if not item.get(name):
            raise HandbookError(path, line, f"the question lacks {name!r}")
    if not item.get("found-by") and not item.get("sql"):
        raise HandbookError(path, line, "the question says neither how its answer is found (`found-by:` commands) "
                                        "nor the Athena query that finds it (`sql:`)")
    given = item["answer"]
    if not isinstance(given, dict) or set(given) - {"expect", "kind"} or "expect" not in given:
        raise HandbookError(path, where.get(at + ("answer",), line), "`answer` is {expect: ..., kind: ...}")
    kind = str(given.get("kind", "text"))
    if kind not in answers.KINDS:
        raise HandbookError(path, where.get(at + ("answer", "kind"), line), f"an answer's kind is one of "
                                                                           f"{', '.join(answers.KINDS)}, not {kind!r}")
    wrong = [str(w) for w in _list(item["wrong"], path, where, *at, "wrong")]
    for w in wrong:
        if answers.same(w, given["expect"], kind):
            raise HandbookError(path, where.get(at + ("wrong",), line), f"the wrong answer {w!r} is accepted as right")
    sql = item.get("sql")
    if sql is not None:
        from handbook.examples import sql as athena_sql

        try:
            athena_sql.parse(str(sql))
        except athena_sql.SqlProblem as problem:
            raise HandbookError(path, where.get(at + ("sql",), line), problem.message) from None
    return Question(str(item["id"]), str(item["ask"]).strip(), given["expect"], kind,
                    [str(h) for h in _list(item["hints"], path, where, *at, "hints")],
                    _commands(item.get("found-by") or [], path, where, at + ("found-by",)),
                    str(sql) if sql is not None else None, wrong, line)


def _commands(items: Any, path: Path, where: dict, at: tuple) -> list[str]:
    out = []
    for n, command in enumerate(items if isinstance(items, list) else [items]):
        text = str(command).strip()
        try:
            words = shlex.split(text)
        except ValueError as problem:
            raise HandbookError(path, where.get(at + (n,), where.get(at)), f"the command does not parse: {problem}") from None
        if not words or words[0] != "aws" or any(w in ("|", ";", "&&", ">") for w in words) or "$(" in text:
            raise HandbookError(path, where.get(at + (n,), where.get(at)), f"{text!r} is not one aws command")
        out.append(text)
    return out


def _list(value: Any, path: Path, where: dict, *at: Any) -> list:
    if not isinstance(value, list) or not value:
        raise HandbookError(path, where.get(tuple(at)), f"`{at[-1]}` must be a non-empty list")
    return value


def _texts(value: Any, path: Path, where: dict, field: str) -> list[str]:
    return [str(v) for v in _list(value, path, where, field)]


def _published(contract: Path) -> set[str]:
    import yaml

    data = yaml.safe_load(contract.read_text(encoding="utf-8")) if contract.exists() else {}
    return set((data or {}).get("published") or [])


# ---------------------------------------------------------------------------------------------
# What the page and the record call


def answer(investigation: Investigation, question_id: str, given: str) -> bool:
    """Whether `given` answers the question, compared as a person compares (handbook.training.answer)."""
    q = investigation.question(question_id)
    return answers.same(given, q.expect, q.kind)


def reveal(investigation: Investigation, question_id: str) -> str:
    """The recorded answer of a question given up on."""
    expect = investigation.question(question_id).expect
    return ", ".join(map(str, expect)) if isinstance(expect, list) else str(expect)


def hint(investigation: Investigation, question_id: str, number: int) -> str | None:
    """The `number`th hint (1-based) of a question, or None when it has no more."""
    hints = investigation.question(question_id).hints
    return hints[number - 1] if 1 <= number <= len(hints) else None


def public(investigation: Investigation) -> dict:
    """What the page shows before anything is found: never an answer, nor a hint not yet asked for."""
    return {"name": investigation.name, "title": investigation.title, "tactics": investigation.tactics,
            "ksa": investigation.ksa, "briefing": investigation.briefing,
            "questions": [{"id": q.id, "ask": q.ask, "kind": q.kind, "hints": len(q.hints),
                           "sql": q.sql is not None} for q in investigation.questions],
            "containment": [c.that for c in investigation.containment]}


def contained(investigation: Investigation, runner: aws.AwsCli):
    """The containment conditions evaluated in the current account (handbook.training.check.Verdict)."""
    from handbook.training import check

    return check.evaluate(investigation.containment, runner, keys=investigation.scenario.keys)


def score(investigation: Investigation, right: int, hints: int, seconds: float | None) -> int:
    """The score out of 100 (see the module's docstring); `seconds`: from Start to containment, None if not contained."""
    points = POINTS_FOR_ANSWERS * min(right, len(investigation.questions)) / len(investigation.questions)
    if seconds is not None:
        late = max(0, math.ceil((seconds - PAR_MINUTES * 60) / 60))
        points += max(0, POINTS_FOR_CONTAINMENT - late)
    return max(0, round(points - HINT_COST * hints))


# ---------------------------------------------------------------------------------------------
# The proof: every answer found by the commands the hints lead to, containment that holds


def shows(text: str, expect: Any, kind: str) -> bool:
    """Whether an output shows the answer: every accepted form's words, or (a time, a number) a token equal to it."""
    if kind == "list":
        return all(answers.normal_text(item) in answers.normal_text(text) for item in expect)
    options = expect if isinstance(expect, list) else [expect]
    if kind in ("text", "address"):
        return any(answers.normal_text(o) in answers.normal_text(text) for o in options)
    tokens = re.findall(r"[0-9][0-9:.TZ+\-]*[0-9Z]|[0-9]+", text)
    return any(answers.same(token, o, kind) for token in tokens for o in options)


@dataclasses.dataclass
class Found:
    question: str
    by: str  # the command, or "sql"
    output: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def rehearse(investigation: Investigation, runner: aws.AwsCli | None = None) -> dict:
    """Replay, find each answer by its commands and SQL, refuse each wrong answer, contain; a failure is a HandbookError."""
    from handbook.examples.verify import simulation_runner
    from handbook.training import athena

    runner = runner or simulation_runner()
    path, where = investigation.path, investigation.scenario.where
    found: list[Found] = []
    with aws.mock():
        scenarios.prepared(investigation.name, runner, investigation.path.parent)
        for n, q in enumerate(investigation.questions):
            at = ("questions", n)
            for c, command in enumerate(q.found_by):
                output = _run(command, runner, path, where.get(at + ("found-by", c)))
                if not shows(output, q.expect, q.kind):
                    raise HandbookError(path, where.get(at + ("found-by", c)), f"`{command}` does not show the "
                                        f"answer {q.expect!r} to {q.id!r}; it shows: {output.strip()[:300] or '(nothing)'}")
                found.append(Found(q.id, command, output))
            if q.sql:
                try:
                    output = athena.as_text(*athena.query(q.sql, athena.records()))
                except athena.AthenaError as problem:
                    raise HandbookError(path, where.get(at + ("sql",)), f"the query of {q.id!r} fails: {problem}") from None
                if not shows(output, q.expect, q.kind):
                    raise HandbookError(path, where.get(at + ("sql",)), f"the query of {q.id!r} does not show the "
                                                                        f"answer {q.expect!r}; it returns: {output[:300]}")
                found.append(Found(q.id, "sql", output))
            for w in q.wrong:
                if answer(investigation, q.id, w):
                    raise HandbookError(path, where.get(at + ("wrong",)), f"the wrong answer {w!r} is accepted")
        before = contained(investigation, runner)
        if before.holds:
            raise HandbookError(path, where.get(("containment",)), "the containment holds before anything is done: "
                                                                  "its conditions cannot tell a contained incident")
        for c, command in enumerate(investigation.contain):
            _run(command, runner, path, where.get(("contain", c)))
        after = contained(investigation, runner)
        if not after.holds:
            raise HandbookError(path, where.get(("containment",)), f"after `contain:`, the containment does not "
                                                                  f"hold: {after.message()}")
    return {"investigation": investigation.name, "title": investigation.title, "tactics": investigation.tactics,
            "ksa": investigation.ksa, "actions": len(investigation.scenario.timeline),
            "found": [f.as_dict() for f in found], "containment": after.message(),
            "questions": len(investigation.questions)}


def _run(command: str, runner: aws.AwsCli, path: Path, line: int | None) -> str:
    done = runner.simulate(shlex.split(command)[1:])
    if not done.ok:
        raise HandbookError(path, line, f"`{command}` fails (exit code {done.exit_code}): {done.message.strip()}")
    return done.stdout


def report(result: dict) -> str:
    """A rehearsal as a terminal shows it."""
    out = [f"Investigation {result['investigation']}: {result['title']} ({', '.join(result['tactics'])}; "
           f"KSA {', '.join(result['ksa'])}), {result['actions']} actions of the threat actor"]
    for f in result["found"]:
        out += ["", f"{f['question']}: $ {f['by']}" if f["by"] != "sql" else f"{f['question']}: Athena SQL"]
        out += [f"  {line}" for line in f["output"].strip().splitlines()[:12]]
    out += ["", result["containment"], "",
            f"{result['questions']} questions answered from evidence, wrong answers refused, the incident contained."]
    return "\n".join(out)
