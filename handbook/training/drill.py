"""A drill: a playbook's commands run, in page order, against its scenario, each checked.

The steps of a drill are the CLI snippets a playbook page includes whose `setup:` is the
scenario fixture of that playbook (`{fixture: scenario, args: {name: <playbook>}}`), in the
order the page calls them. Each step's `<name>.yml` declares, besides its setup:

    reveals:                 # what its output must show: the evidence it finds
      - AKIAZDRILLEXAMPLE001
    then:                    # what must hold once it ran (a containment, a recovery)
      - command: aws iam list-access-keys --user-name app-deployer --query 'AccessKeyMetadata[].Status'
        shows: [Inactive]
      - command: aws s3api get-bucket-acl --bucket acme-customer-exports
        lacks: [AllUsers]    # ... or what it must no longer show
      - as: actor            # a key of the scenario: the actor's next call ...
        call: sts.GetCallerIdentity
        denied: InvalidClientTokenId   # ... is refused with this error code (IAM enforced for it)
    added: why the handbook adds this command (shown on the page and on the Errata page)

`run` prepares the scenario's account (replayed once per process, then restored:
handbook.training.scenario.prepared) and runs every step in the same account, in order: the
containment of step 3 is what step 4 sees. The `then:` checks are conditions of
handbook.training.check, the one evaluator exercises and investigations use too (a `that:` is
allowed; without one, the condition is named by its form). The suite (tests/test_drills.py) and `handbook
drill` both call it. Everything is read and checked before anything runs (the scenario's
names, each step's declarations); a step that fails, reveals nothing it declares, or whose
containment does not hold stops the drill with the file and line that says so.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from handbook import aws  # first: awscli must be imported before boto3 and moto
from handbook import snippets
from handbook.errors import HandbookError, line_in
from handbook.examples import cli as cli_checks
from handbook.training import check
from handbook.training import scenario as scenarios

PROJECT = Path(__file__).resolve().parent.parent.parent
THEN_COMMAND = {"command", "shows"}
THEN_LACKS = {"command", "lacks"}
THEN_FAILS = {"command", "fails"}
THEN_DENIED = {"as", "call", "denied"}


@dataclasses.dataclass
class Step:
    snippet: snippets.Snippet
    page_line: int
    reveals: list[str]
    then: list[dict]
    conditions: list = dataclasses.field(default_factory=list)  # `then:` read by handbook.training.check

    @property
    def where(self) -> Path:
        return self.snippet.sidecar(".yml")


@dataclasses.dataclass
class Outcome:
    ref: str
    command: str
    stdout: str
    found: list[str]
    held: list[str]

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Drill:
    playbook: str
    scenario: scenarios.Scenario
    steps: list[Step]


def load(playbook: str, root: Path = PROJECT) -> Drill:
    """The drill of docs/playbooks/<playbook>.md, every step and the scenario checked."""
    page = root / "docs" / "playbooks" / f"{playbook}.md"
    if not page.exists():
        known = ", ".join(sorted(p.stem for p in (root / "scenarios").glob("*.yml"))) or "none"
        raise HandbookError(page, None, f"there is no playbook {playbook!r} to drill (drills: {known})")
    scenario = scenarios.load(scenarios.path_of(playbook, root / "scenarios"))
    steps = []
    for call in snippets.calls(page.read_text(encoding="utf-8")):
        found = snippets.load(root / "snippets", call.ref, where=(page, call.line))
        setup = found.declarations.get("setup") or [] if found.kind == "cli" else []
        if not any(s.get("fixture") == "scenario" and (s.get("args") or {}).get("name") == playbook for s in setup):
            continue
        steps.append(_step(found, call.line, set(scenario.keys)))
    if not steps:
        raise HandbookError(page, None, f"no snippet of this page has the setup of scenario {playbook!r}: nothing to drill")
    return Drill(playbook, scenario, steps)


def _step(found: snippets.Snippet, page_line: int, actors: set[str]) -> Step:
    declarations, where = found.declarations, found.sidecar(".yml")
    reveals = declarations.get("reveals") or []
    then = declarations.get("then") or []
    if not isinstance(reveals, list) or not all(isinstance(r, (str, int)) for r in reveals):
        raise HandbookError(where, line_in(where, "reveals:"), "`reveals` must be a list of texts the output must show")
    if not isinstance(then, list):
        raise HandbookError(where, line_in(where, "then:"), "`then` must be a list of checks")
    for item in then:
        if not isinstance(item, dict) or set(item) - {"that"} not in (THEN_COMMAND, THEN_LACKS, THEN_FAILS, THEN_DENIED):
            raise HandbookError(where, line_in(where, "then:"), f"a `then` check is command + shows, command + "
                                                              f"lacks, command + fails, or as + call + denied, not {item!r}")
    if not reveals and not then:
        raise HandbookError(where, None, "a drill step declares what it reveals (`reveals:`) or what must hold "
                                         "after it (`then:`); this one declares neither")
    conditions = check.conditions(then, where, need_that=False, actors=actors) if then else []
    return Step(found, page_line, [str(r) for r in reveals], then, conditions)


def run(drill: Drill, runner: aws.AwsCli | None = None, *, on_step=None) -> list[Outcome]:
    """Replay the scenario and run every step in order in one account; a failure is a HandbookError."""
    from handbook.examples.verify import simulation_runner

    runner = runner or simulation_runner()
    placeholders = cli_checks.load_placeholders(PROJECT / "snippets")
    outcomes = []
    with aws.mock(), tempfile.TemporaryDirectory(prefix="handbook-drill-") as scratch:
        scenarios.prepared(drill.playbook, runner, drill.scenario.path.parent)
        for step in drill.steps:
            stdout = _run(step.snippet.text, step, runner, placeholders, scratch)
            found = []
            for expected in step.reveals:
                if expected not in stdout:
                    raise HandbookError(step.where, line_in(step.where, expected),
                                        f"{step.snippet.ref} reveals no {expected!r} in the drill; its output "
                                        f"was: {stdout.strip()[:300] or '(nothing)'}")
                found.append(expected)
            held = _hold(step, runner, placeholders, scratch, drill.scenario)
            outcome = Outcome(step.snippet.ref, step.snippet.text.strip(), stdout, found, held)
            outcomes.append(outcome)
            if on_step:
                on_step(outcome)
    return outcomes


def _run(text: str, step: Step, runner: aws.AwsCli, placeholders: dict, cwd: str) -> str:
    prepared = cli_checks.prepare(text, path=str(step.snippet.file), placeholders=placeholders,
                                  declarations=step.snippet.declarations)
    if prepared.errors or not prepared.runnable:
        first = prepared.errors[0].message if prepared.errors else "it is not runnable"
        raise HandbookError(step.snippet.file, 1, f"the drill cannot run this command: {first}")
    done = runner.simulate(list(prepared.words[1:]), cwd=cwd)
    if not done.ok:
        raise HandbookError(step.snippet.file, 1, f"the command fails in the drill (exit code {done.exit_code}): "
                                                  f"{done.message.strip()}")
    return done.stdout


def _hold(step: Step, runner: aws.AwsCli, placeholders: dict, cwd: str, scenario: scenarios.Scenario) -> list[str]:
    """The step's `then:` conditions in the drill's account (handbook.training.check); the first that does
    not hold stops the drill at its line."""
    values = {**placeholders, **(step.snippet.declarations.get("placeholders") or {})}
    verdict = check.evaluate(step.conditions, runner, keys=scenario.keys, placeholders=values, cwd=cwd)
    for condition in verdict.failed():
        what = "containment" if condition.form == "denied" else "step"
        raise HandbookError(step.where, condition.line, f"after {step.snippet.ref}, {condition.detail}: "
                                                        f"the {what} does not hold")
    return [condition.detail for condition in verdict.conditions]


def sheet(drill: Drill) -> str:
    """The printable drill sheet: the incident, then each step under its part with a box per piece of evidence."""
    import re

    page = PROJECT / drill.scenario.playbook
    lines = page.read_text(encoding="utf-8").splitlines() if page.exists() else []
    title = lines[0].lstrip("# ").split(" {")[0] if lines else drill.playbook
    scenario = drill.scenario
    out = [f"## {title} {{#drill-{drill.playbook}}}", "",
           f"The incident (`scenarios/{scenario.path.name}`): {len(scenario.timeline)} actions of the threat actor, "
           f"recorded by {', '.join(scenario.services)}. The responder sees none of this table until the drill is over.", "",
           "| Time (UTC) | As | From | Call |", "|---|---|---|---|"]
    out += [f"| {c.at:%H:%M:%S} | {c.actor} | {c.address or '-'} | `{c.label}` |" for c in scenario.timeline]
    part = None
    for number, step in enumerate(drill.steps, 1):
        heading = next((l for l in reversed(lines[:step.page_line]) if l.startswith("## ")), "")
        heading = heading.lstrip("# ").split(" {")[0]
        if heading != part:
            part = heading
            out += ["", f"### {heading}"]
        values = {**cli_checks.load_placeholders(PROJECT / "snippets"), **(step.snippet.declarations.get("placeholders") or {})}
        command = re.sub(r"<([A-Za-z][A-Za-z0-9_.-]*)>", lambda m: str(values.get(m.group(1), m.group(0))),
                         step.snippet.text.strip())
        out += ["", f"**Step {number}** (`{step.snippet.ref}`)", "", "```sh", command, "```", ""]
        out += [f"- [ ] the output shows `{r}`" for r in step.reveals]
        for check in step.then:
            if "denied" in check:
                out.append(f"- [ ] the actor's `{check['call']}` is refused with `{check['denied']}`")
            elif "fails" in check:
                out.append(f"- [ ] `{check['command']}` fails with `{check['fails']}`")
            elif "lacks" in check:
                out.append(f"- [ ] `{check['command']}` no longer shows {', '.join(f'`{x}`' for x in check['lacks'])}")
            else:
                out.append(f"- [ ] `{check['command']}` shows {', '.join(f'`{x}`' for x in check['shows'])}")
    return "\n".join(out) + "\n"


def report(drill: Drill, outcomes: list[Outcome]) -> str:
    """The drill as a terminal shows it."""
    out = [f"Drill {drill.playbook}: scenario {drill.scenario.path.name}, "
           f"{len(drill.scenario.timeline)} actions of the threat actor"]
    for number, outcome in enumerate(outcomes, 1):
        out += ["", f"Step {number}: {outcome.ref}", f"$ {outcome.command}"]
        out += [f"  {line}" for line in outcome.stdout.strip().splitlines()[:20]]
        out += [f"  found: {item}" for item in outcome.found] + [f"  holds: {item}" for item in outcome.held]
    out += ["", f"{len(outcomes)} steps, {sum(len(o.found) for o in outcomes)} pieces of evidence found, "
                f"{sum(len(o.held) for o in outcomes)} checks hold."]
    return "\n".join(out)
