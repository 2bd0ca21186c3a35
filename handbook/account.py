"""The simulated AWS account behind a page's Run buttons: the engine of the in-page runtime.

It runs in the reader's browser (Pyodide, in a Web Worker; see handbook/runtime/) and, for the
tests, in CPython, with the code the suite uses: a command is read by
`handbook.examples.cli.prepare` (the same shell rules, `<placeholder>` test values and
`file://` names), the example's declared setup runs through `handbook.examples.fixtures`, and
the real awscli runs it in-process against moto extended by `handbook.simulation`, behind the
guard of `handbook.aws` that refuses any request moto does not answer.

Whose account: an account is prepared for one example box (its key: the snippet, or a name
boxes share, such as a drill's). The first Run of a box starts a fresh account and runs that
example's setup, exactly as the suite ran it when it recorded the output; later Runs of the
same box, edited or not, continue in that account, so `create-trail` then `describe-trails`
shows the new trail. Running another box, or `reset`, starts a fresh account for it.

What is refused, with a sentence and the account left as it was: an empty command, anything
but one `aws` command (shell syntax, pipes, `$(...)`), a service the runtime does not carry,
`help` (the CLI's manual pages are not carried), and any request that would leave the page.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from handbook import aws  # first: awscli must be imported before boto3 and moto
from handbook import snippets
from handbook.errors import HandbookError
from handbook.examples import cli, fixtures
from handbook.examples.recording import as_terminal_shows


# What only a shell could fill in: $(...), `...`, $NAME and ${NAME}, unless single quotes keep it literal.
SUBSTITUTION = re.compile(r"\$\(|`|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def shell_substitution(command: str) -> str | None:
    """The first thing in `command` a shell would substitute (outside single quotes), or None."""
    quoted = False
    for part in re.split(r"(')", command):
        if part == "'":
            quoted = not quoted
        elif not quoted and (found := SUBSTITUTION.search(part)):
            return found[0]
    return None


def unshellable(command: str) -> str | None:
    """Why `command` cannot even be read for awscli here (nothing typed, a value only a shell fills in),
    or None. Shared with the exercises' refusals (handbook.training.untrusted)."""
    if not isinstance(command, str) or not command.strip():
        return "Nothing to run: type an aws command."
    if substitution := shell_substitution(command):
        shown = {"$(": "$(...)", "`": "`...`"}.get(substitution, substitution)
        return (f"Not run: {shown} asks a shell for a value, and the in-page account has no shell; "
                "type the value itself.")
    return None


def unrunnable(words, commands=None) -> str | None:
    """Why awscli's `words` are not run here (no service named, one the account does not carry, the
    manual), or None. `commands`: the `aws <command>` names carried (None: every one)."""
    if len(words) < 2 or words[1].startswith("-"):
        return "Not run: name a service, as in `aws s3 ls`."
    if commands is not None and words[1] not in set(commands):
        return (f"Not run: the in-page account simulates {', '.join(sorted(commands))}; "
                f"`aws {words[1]}` is not among them.")
    if "help" in words[1:3]:
        return "Not run: the CLI's manual pages are not part of the in-page account; see the AWS CLI reference."
    return None


@dataclass(frozen=True)
class Result:
    status: str  # "ok" or "error": what the page shows as data-run-status
    exit_code: int  # the CLI's exit status (2 when the command was not run)
    stdout: str  # as a terminal leaves it (a progress line overwritten)
    stderr: str
    account: str  # "fresh" when this run prepared a new account, else "same"
    note: str  # one sentence for the reader: what account this ran in, or why it did not run
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


class Account:
    """One simulated account at a time, prepared for the example box that last ran."""

    def __init__(self, snippets_root: Path | str, *, commands: frozenset[str] | None = None,
                 runner: aws.AwsCli | None = None):
        self.root = Path(snippets_root)
        self.commands = commands  # the `aws <command>` names carried; None: every one awscli has
        self.placeholders = cli.load_placeholders(self.root)
        self.runner = runner or aws.AwsCli()
        self.key: str | None = None  # the box the current account was prepared for
        self._mock = None
        self._scratch: str | None = None

    def run(self, ref: str | None, command: str, *, key: str | None = None) -> Result:
        """Run `command` (the text of box `ref`, perhaps edited) in the account of `key` (default: `ref`).
        No ref: a command of the reader's own in the current account of `key` (an investigation's console)."""
        start = time.perf_counter()
        snippet = snippets.load(self.root, ref, where=("page", None)) if ref else None
        prepared, refusal = self._prepare(snippet, command)
        if refusal:
            return Result("error", 2, "", "", "same", refusal, time.perf_counter() - start)
        fresh = (key or ref) != self.key or self._mock is None
        if fresh and snippet is None:
            return Result("error", 2, "", "", "same", "Not run: start the drill first; its account is prepared "
                          "then.", time.perf_counter() - start)
        if fresh:
            self._fresh(key or ref, snippet)
        try:
            run = self.runner.simulate(list(prepared.words[1:]), cwd=self._scratch)
        except aws.NetworkBlocked as blocked:
            return Result("error", 255, "", f"{blocked}\n", "fresh" if fresh else "same",
                          "Refused: the in-page account never sends a request out of the page.",
                          time.perf_counter() - start)
        where = (f"A fresh simulated account, prepared as the check of {snippet.name} prepares it."
                 if fresh else "The same simulated account as the last run.")
        if prepared.placeholders:
            values = ", ".join(f"<{name}> = {self._value(snippet, name)}" for name in prepared.placeholders)
            where += f" Placeholders ran with test values: {values}."
        return Result("ok" if run.ok else "error", run.exit_code, as_terminal_shows(run.stdout), run.stderr,
                      "fresh" if fresh else "same", where, time.perf_counter() - start)

    def prepare(self, ref: str, *, key: str | None = None) -> Result:
        """A fresh account for `key` (default: `ref`), prepared by example `ref`'s setup, and nothing run:
        a drill's "Start drill" (its steps' setup is the drill's scenario)."""
        start = time.perf_counter()
        snippet = snippets.load(self.root, ref, where=("page", None))
        self._fresh(key or ref, snippet)
        return Result("ok", 0, "", "", "fresh", f"A fresh simulated account, prepared as the check of {snippet.name} "
                      "prepares it: run the steps, or commands of your own.", time.perf_counter() - start)

    def incident(self, name: str) -> Result:
        """A fresh account for the drill of scenarios/<name>.yml (key `drill:<name>`), its incident replayed:
        an investigation's Start where no drill step prepares it."""
        start = time.perf_counter()
        self.fresh(f"drill:{name}", lambda runner, folder: fixtures.scenario(runner, name))
        return Result("ok", 0, "", "", "fresh", "A fresh simulated account with the incident replayed in it: "
                      "investigate with commands of your own.", time.perf_counter() - start)

    def enter(self, ref: str, *, key: str | None = None) -> bool:
        """The account of `key` (default: `ref`) made current, prepared by `ref`'s setup unless it is
        current already (an SQL box of a drill reads the drill's account); True when it is fresh."""
        if (key or ref) == self.key and self._mock is not None:
            return False
        self._fresh(key or ref, snippets.load(self.root, ref, where=("page", None)))
        return True

    def reset(self) -> None:
        """Forget the account: the next Run starts a fresh one."""
        if self._mock is not None:
            self._mock.stop()
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._mock = self._scratch = self.key = None

    def _fresh(self, key: str, snippet: snippets.Snippet) -> None:
        def setup(runner: aws.AwsCli, folder: str) -> None:
            steps = fixtures.setup_steps(snippet.declarations, snippet.sidecar(".yml"))
            fixtures.run_setup(steps, runner, where=snippet.sidecar(".yml"))

        self.fresh(key, setup)

    def fresh(self, key: str, prepare: Callable[[aws.AwsCli, str], None]) -> None:
        """A fresh account for `key`, prepared by `prepare(runner, folder)` (folder: the account's scratch
        folder, where its commands run): an example's setup, an exercise's start."""
        self.reset()
        self._mock = aws.mock()
        self._mock.start()
        self._scratch = tempfile.mkdtemp(prefix="handbook-account-")
        try:
            prepare(self.runner, self._scratch)
        except BaseException:
            self.reset()
            raise
        self.key = key

    @property
    def folder(self) -> str | None:
        """The current account's scratch folder, where its commands run (None: no account)."""
        return self._scratch

    def _value(self, snippet: snippets.Snippet | None, name: str) -> str:
        return str({**self.placeholders, **((snippet.declarations if snippet else {}).get("placeholders") or {})}[name])

    def _prepare(self, snippet: snippets.Snippet | None, command: str) -> tuple[cli.Prepared | None, str | None]:
        """The words to run, or the sentence saying why the command is not run."""
        if why := unshellable(command):
            return None, why
        prepared = cli.prepare(command, path=snippet.name if snippet else "command", placeholders=self.placeholders,
                               declarations=snippet.declarations if snippet else {},
                               files=cli.sibling_files(snippet) if snippet else {})
        if prepared.errors:
            problems = " ".join(f"Line {e.line}: {e.message}" if command.count("\n") else e.message
                                for e in prepared.errors)
            return None, f"Not run: {problems} The in-page account runs one aws command at a time, without a shell."
        if why := unrunnable(prepared.words, self.commands):
            return None, why
        return prepared, None
