"""An exercise: one Skill practised in a simulated account of its own, checked through the AWS API.

One file per exercise, `snippets/<page>/exercises/<ksa-id>.yml`, named by the Skill's KSA id and
kept in the snippets folder of that Skill's page (ct-s08: `snippets/cloudtrail/exercises/ct-s08.yml`):

    task: |            what to do, with the names to use and what must hold at the end
    start:             the account before the task: a snippet's `setup:` (boto3 calls, fixtures,
                       {fixture: scenario, args: {name: credential-compromise}})
    check:             conditions (handbook/training/check.py), each with `that:` in words
    answer:            or, beside it: {question, expect (one answer or a list), kind (answer.KINDS)}
    hints:             in order, each a little more
    solution:          the aws commands of one correct way, in order
    near-misses:       plausible wrong attempts: {attempt: [commands], fails: <a check's that>}
                       or, for a question, {answer: a wrong answer}
    files:             optional: {name: text}, the files `file://name` may read in this exercise

`load` checks every field before anything runs; a mistake is a HandbookError at the file and
line. `attempt` is what the page, the suite and `handbook qualify verify` do with commands: a
fresh simulated account prepared by `start`, each command refused (handbook/training/untrusted.py)
or run as Run runs it, then `evaluate`, the check in that account. The three-way proof of the
suite (tests/training/test_exercises.py) is: the start fails the check, the solution passes it,
every near miss fails it at the `that` it names. Nothing here starts a thread or a process: the
page calls the same functions in the browser's Python.
"""

from __future__ import annotations

import functools
import inspect
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from handbook import aws  # first: awscli must be imported before boto3 and moto
from handbook.errors import HandbookError
from handbook.training import answer as answers
from handbook.training import check, lines
from handbook.training.check import Condition, Verdict
from handbook.training.untrusted import refusal

PROJECT = Path(__file__).resolve().parent.parent.parent
FIELDS = {"task", "start", "check", "answer", "hints", "solution", "near-misses", "files"}
ANSWER_FIELDS = {"question", "expect", "kind"}

__all__ = ["Exercise", "Verdict", "Condition", "Ran", "load", "collect", "attempt", "evaluate", "refusal",
           "prepare", "run"]


@dataclass(frozen=True)
class Answer:
    question: str
    expect: Any  # one accepted answer, or a list of them (for kind list: the list itself)
    kind: str


@dataclass(frozen=True)
class NearMiss:
    line: int | None
    attempt: tuple[str, ...] = ()
    fails: str | None = None  # the `that` which must not hold afterwards
    answer: str | None = None  # a wrong answer, refused


@dataclass(frozen=True)
class Exercise:
    ksa: str
    path: Path
    task: str
    start: list
    check: list[Condition]
    answer: Answer | None
    hints: list[str]
    solution: list[str]
    near_misses: list[NearMiss]
    files: dict[str, str] = field(default_factory=dict)
    keys: dict[str, dict] = field(default_factory=dict, repr=False)  # a scenario's keys, for `as:`
    page: str = ""  # the Skill's page folder under snippets/


@dataclass(frozen=True)
class Ran:
    """One command of an attempt: run (ok or error, as Run shows it) or refused, with the sentence why."""

    command: str
    status: str  # "ok", "error" or "refused"
    exit_code: int
    stdout: str
    stderr: str
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Reading


def load(path: Path | str, *, contract: Path | None = None, ksa: str | None = None) -> Exercise:
    """The exercise of `path`, every field checked; `contract`: ksa.yml (default: the project's).

    `ksa`: the Skill id, when the file is not named and placed as the project keeps exercises
    (the tests' one-file-per-mistake fixtures); its folder is then not checked.
    """
    path = Path(path)
    data, where = lines.read(path, "exercise")

    def line(*at: Any) -> int:
        """The line of the place `at`, or of the nearest place around it that has one."""
        return next((where[at[:cut]] for cut in range(len(at), 0, -1) if at[:cut] in where), 1)

    def fail(message: str, *at: Any) -> HandbookError:
        return HandbookError(path, line(*at), message)

    fail.line = line

    ksa_id, page = _skill(path, contract, ksa)
    if not isinstance(data, dict):
        raise fail("an exercise is a mapping with task, start, check (or answer), hints, solution and near-misses")
    for name in data:
        if name not in FIELDS:
            raise fail(f"the exercise has the unknown field {name!r}; it may have {', '.join(sorted(FIELDS))}", name)
    for needed in ("task", "start", "hints", "solution", "near-misses"):
        if needed not in data:
            raise fail(f"the exercise lacks `{needed}`")
    if "check" not in data and "answer" not in data:
        raise fail("the exercise has neither `check` (what must hold at the end) nor `answer` (what the trainee finds)")
    task = data["task"]
    if not isinstance(task, str) or not task.strip():
        raise fail("`task` says what to do, with the names to use and what must hold at the end", "task")
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise fail("`files` maps a file name to its text", "files")
    for name in files:
        if "/" in name or "\\" in name or name.startswith(".") or not name.strip():
            raise fail(f"the file name {name!r} must be a plain name (policy.json), without a folder", "files", name)
    start = data["start"] if data["start"] is not None else []
    keys = _start(start, path, fail)
    conditions = []
    if "check" in data:
        conditions = check.conditions(data["check"], path, lines=where, at=("check",), actors=set(keys))
        said = [c.that for c in conditions]
        for n, that in enumerate(said):
            if that in said[:n]:
                raise fail(f"two conditions say {that!r}; each `that` names one condition, so that a near miss "
                           "and Check can tell them apart", "check", n, "that")
    answer = _answer(data.get("answer"), fail) if "answer" in data else None
    hints = data["hints"]
    if not isinstance(hints, list) or not hints or not all(isinstance(h, str) and h.strip() for h in hints):
        raise fail("`hints` is a list of sentences, in order, each a little more", "hints")
    solution = _commands(data["solution"], "solution", files, fail)
    near = _near_misses(data["near-misses"], conditions, answer, files, fail)
    return Exercise(ksa_id, path, task.strip(), start, conditions, answer, [h.strip() for h in hints], solution, near,
                    dict(files), keys, page)


def _skill(path: Path, contract: Path | None, given: str | None) -> tuple[str, str]:
    """The Skill id the file is named for, and its page's snippet folder; checked against ksa.yml."""
    contract = Path(contract) if contract else _contract_of(path)
    data = _contract(contract, contract.stat().st_mtime_ns)
    ksa_id = given or path.stem
    published = set(data.get("published") or [])
    folder = {code: Path(page).stem for page, code in (data.get("codes") or {}).items()}
    code, _, rest = ksa_id.partition("-")
    if ksa_id not in published or not rest.startswith("s"):
        skills = sorted(i for i in published if i.partition("-")[2].startswith("s"))
        raise HandbookError(path, None, f"an exercise is named for a published Skill id of {contract.name} "
                                        f"({', '.join(skills[:3])} ...); {ksa_id!r} is "
                                        f"{'not a Skill' if ksa_id in published else 'not published'}")
    page = folder.get(code)
    if given is None and (path.parent.name != "exercises" or path.parent.parent.name != page):
        raise HandbookError(path, None, f"the exercise of {ksa_id} belongs in snippets/{page}/exercises/, "
                                        f"the snippets of its page")
    return ksa_id, page


@functools.lru_cache(maxsize=4)
def _contract(path: Path, _changed: int) -> dict:
    """ksa.yml's data, read once while the file is unchanged."""
    data, _ = lines.read(path, "KSA contract")
    return data or {}


def _contract_of(path: Path) -> Path:
    """ksa.yml of the project holding `path` (snippets/<page>/exercises/<id>.yml), else the handbook's."""
    parents = path.resolve().parents
    if len(parents) > 3 and (parents[3] / "ksa.yml").exists():
        return parents[3] / "ksa.yml"
    return PROJECT / "ksa.yml"


def _start(start: Any, path: Path, fail) -> dict[str, dict]:
    """Check the `start:` steps without running them; the keys of a scenario among them."""
    from botocore import xform_name

    from handbook.training import scenario as scenarios
    from handbook.examples.fixtures import FIXTURES

    if not isinstance(start, list):
        raise fail("`start` is a list of setup steps, as a snippet's `setup:`", "start")
    keys: dict[str, dict] = {}
    for n, step in enumerate(start):
        if not isinstance(step, dict) or len({"call", "fixture"} & set(step)) != 1 or not set(step) <= {"call", "fixture", "args"}:
            raise fail(f"start step {n + 1} has exactly one of `call` or `fixture`, and optionally `args`", "start", n)
        args = step.get("args") or {}
        if not isinstance(args, dict):
            raise fail(f"start step {n + 1}: `args` is a mapping", "start", n, "args")
        if "fixture" in step:
            if step["fixture"] not in FIXTURES:
                raise fail(f"start step {n + 1} names the unknown fixture {step['fixture']!r}; known fixtures are "
                           f"{', '.join(FIXTURES)}", "start", n, "fixture")
            accepted = list(inspect.signature(FIXTURES[step["fixture"]]).parameters)[1:]
            for name in args:
                if name not in accepted:
                    raise fail(f"start step {n + 1}: the fixture {step['fixture']} takes no {name!r}; it takes "
                               f"{', '.join(accepted) or 'nothing'}", "start", n, "args", name)
            if step["fixture"] == "scenario":
                found = scenarios.path_of(str(args.get("name")))
                if not found.exists():
                    raise fail(f"start step {n + 1} names no scenario of scenarios/: {args.get('name')!r}",
                               "start", n, "args")
                keys.update(scenarios.load(found).keys)
            continue
        service, _, method = str(step["call"]).partition(".")
        model = check.service_model(service)
        if model is None:
            raise fail(f"start step {n + 1}: {service!r} is not a service boto3 knows", "start", n, "call")
        operations = {xform_name(o): o for o in model.operation_names}
        if method not in operations:
            raise fail(f"start step {n + 1}: {step['call']!r} is not a {service} client method; write it as boto3 "
                       f"does, such as {service}.{check.closest(method, list(operations))}", "start", n, "call")
        shape = model.operation_model(operations[method]).input_shape
        members = shape.members if shape is not None else {}
        for name in args:
            if name not in members:
                raise fail(f"start step {n + 1}: {step['call']} has no argument {name!r}; it takes "
                           f"{', '.join(members) or 'none'}", "start", n, "args", name)
    return keys


def _answer(value: Any, fail) -> Answer:
    if not isinstance(value, dict) or not {"question", "expect"} <= set(value) or not set(value) <= ANSWER_FIELDS:
        raise fail("`answer` has question, expect (one answer or a list of accepted answers) and kind", "answer")
    kind = value.get("kind", "text")
    if kind not in answers.KINDS:
        raise fail(f"an answer's kind is one of {', '.join(answers.KINDS)}, not {kind!r}", "answer", "kind")
    if not isinstance(value["question"], str) or not value["question"].strip():
        raise fail("the answer's `question` is what the trainee is asked", "answer", "question")
    expect = value["expect"]
    accepted = expect if isinstance(expect, list) and kind != "list" else [expect]
    if not accepted or any(isinstance(a, (dict, bool)) or a is None or not str(a).strip() for a in accepted):
        raise fail("the answer's `expect` is the answer, or a list of accepted answers", "answer", "expect")
    return Answer(value["question"].strip(), expect, kind)


def _commands(value: Any, name: str, files: dict, fail, *at: Any) -> list[str]:
    where = at or (name,)
    if not isinstance(value, list) or not value:
        raise fail(f"`{name}` is a list of aws commands, in order", *where)
    out = []
    for n, command in enumerate(value):
        why = refusal(command, files=files) if isinstance(command, str) else "it is not a command."
        if why:
            raise fail(f"{name} command {n + 1} would not run in the page: {why.removeprefix('Not run: ')}", *where, n)
        out.append(command.strip())
    return out


def _near_misses(value: Any, conditions: list[Condition], answer: Answer | None, files: dict, fail) -> list[NearMiss]:
    if not isinstance(value, list) or not value:
        raise fail("`near-misses` lists at least one plausible wrong attempt; the check must fail on each",
                   "near-misses")
    thats = [c.that for c in conditions]
    out = []
    for n, miss in enumerate(value):
        at = ("near-misses", n)
        if not isinstance(miss, dict) or not set(miss) <= {"attempt", "fails", "answer"} or not miss:
            raise fail(f"near miss {n + 1} is {{attempt: [commands], fails: <a check's that>}} or {{answer: <a wrong "
                       "answer>}}", *at)
        if "answer" in miss:
            if answer is None:
                raise fail(f"near miss {n + 1} gives an answer, but the exercise asks no question", *at, "answer")
            if answers.same(miss["answer"], answer.expect, answer.kind):
                raise fail(f"near miss {n + 1}: {miss['answer']!r} is an accepted answer, not a wrong one", *at, "answer")
        if "attempt" in miss:
            if "fails" not in miss:
                raise fail(f"near miss {n + 1} names the condition (`fails:`, a check's that) it must fail", *at)
            if miss["fails"] not in thats:
                raise fail(f"near miss {n + 1} fails {miss['fails']!r}, which no condition of `check` says; "
                           f"they are: {'; '.join(thats) or 'none'}", *at, "fails")
        elif "fails" in miss or "answer" not in miss:
            raise fail(f"near miss {n + 1} has `fails` without the `attempt` that fails it", *at)
        commands = _commands(miss["attempt"], "near-misses", files, fail, *at, "attempt") if "attempt" in miss else []
        out.append(NearMiss(fail.line(*at), tuple(commands), miss.get("fails"),
                            str(miss["answer"]) if "answer" in miss else None))
    return out


def collect(root: Path | str = PROJECT) -> dict[str, Exercise]:
    """Every exercise of the project under `root`, by KSA id; two files for one id is an error."""
    root = Path(root)
    found: dict[str, Exercise] = {}
    contract = root / "ksa.yml"
    for path in sorted((root / "snippets").glob("*/exercises/*")):
        if path.suffix != ".yml":
            raise HandbookError(path, None, "an exercises folder holds only <ksa-id>.yml files")
        exercise = load(path, contract=contract if contract.exists() else None)
        if exercise.ksa in found:
            raise HandbookError(path, None, f"{exercise.ksa} has a second exercise; the first is {found[exercise.ksa].path}")
        found[exercise.ksa] = exercise
    return found


# ---------------------------------------------------------------------------------------------
# Running


def prepare(exercise: Exercise, runner, cwd: Path | str) -> None:
    """The exercise's starting account in the caller's fresh mock, and its files in `cwd`."""
    from handbook.examples import fixtures

    for name, text in exercise.files.items():
        (Path(cwd) / name).write_text(text, encoding="utf-8")
    fixtures.run_setup(exercise.start, runner, where=exercise.path)


def run(exercise: Exercise, command: str, runner, *, cwd: Path | str, commands=None) -> Ran:
    """One command in the current account, as Run runs it, or refused with the sentence why (nothing runs)."""
    from handbook.examples import cli
    from handbook.examples.recording import as_terminal_shows

    why = refusal(command, files=exercise.files, commands=commands)
    if why:
        return Ran(command, "refused", 2, "", "", why)
    prepared = cli.prepare(command, path=str(exercise.path), placeholders={},
                           files={name: Path(cwd) / name for name in exercise.files})
    try:
        done = runner.simulate(list(prepared.words[1:]), cwd=cwd)
    except aws.NetworkBlocked as blocked:
        return Ran(command, "refused", 255, "", f"{blocked}\n",
                   "Refused: the simulated account never sends a request out of the machine.")
    return Ran(command, "ok" if done.ok else "error", done.exit_code, as_terminal_shows(done.stdout), done.stderr)


def attempt(exercise: Exercise, commands: list[str], runner, *, answer: str | None = None,
            carried=None) -> Verdict:
    """A fresh account prepared by `start`, `commands` run in order (each refused or run), then the check.

    `carried`: the `aws <command>` names the page's account carries (None: any awscli has).
    """
    with aws.mock(), tempfile.TemporaryDirectory(prefix="handbook-exercise-") as scratch:
        prepare(exercise, runner, scratch)
        runs = [run(exercise, command, runner, cwd=scratch, commands=carried) for command in commands]
        verdict = evaluate(exercise, runner, answer=answer, cwd=scratch)
    verdict.runs = runs
    return verdict


def evaluate(exercise: Exercise, runner, *, answer: str | None = None, cwd: Path | str | None = None) -> Verdict:
    """The check in the current account, and the answer given (for a question), as Check says it."""
    verdict = check.evaluate(exercise.check, runner, keys=exercise.keys, cwd=cwd) if exercise.check else Verdict([])
    if exercise.answer is not None:
        verdict.conditions.append(answered(exercise, answer))
    return verdict


def answered(exercise: Exercise, given: str | None) -> Condition:
    """The question's condition: the answer given is the expected one, compared as a person would."""
    asked = exercise.answer
    that = f"the answer to \u201c{asked.question}\u201d is right"
    if given is None or not str(given).strip():
        return Condition(that, "answer", {}, str(exercise.path), None, False, "No answer given yet.")
    if answers.same(given, asked.expect, asked.kind):
        return Condition(that, "answer", {}, str(exercise.path), None, True, f"{given!s} is the answer.")
    return Condition(that, "answer", {}, str(exercise.path), None, False,
                     f"{str(given).strip()!r} is not the answer; look again at what the commands show.")


def shows_answer(exercise: Exercise, verdict: Verdict) -> bool:
    """Whether the output of the attempt's commands shows an accepted answer (the suite's proof for a question)."""
    accepted = exercise.answer.expect if isinstance(exercise.answer.expect, list) and exercise.answer.kind != "list" \
        else [exercise.answer.expect]
    output = "\n".join(r.stdout for r in verdict.runs)
    kind = exercise.answer.kind
    if kind == "list":
        return all(item in output.casefold() for item in answers.items(accepted[0]))
    if kind == "text":
        return any(answers.normal_text(a) in output.casefold() for a in accepted)
    tokens = re.findall(TOKENS[kind], output)
    return any(answers.same(token, a, kind) for token in tokens for a in accepted)


# What a time, an address or a number looks like in a command's output (JSON, text or a table).
TOKENS = {"time": r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?|\b\d{10}(?:\.\d+)?\b|\b\d{13}\b",
          "address": r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]+(?:/\d+)?",
          "number": r"-?\d+(?:\.\d+)?"}
