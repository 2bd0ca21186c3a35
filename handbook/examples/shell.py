"""Checks a shell example that is not an `aws` command (installing an agent, say): read, never run.

Such an example changes the machine it runs on (a download, `sudo`, an installer), so the
handbook never executes it. What can be checked honestly without running it:

1. words: every command splits into words as a POSIX shell reads it (`shlex`, with the
   line continuation rules of `handbook.examples.cli.shell_commands`): no quote left open;
2. syntax: `bash -n` reads the whole example without a syntax error.

Its declarations (`<name>.yml`) say that it is shell and why it is not executed:

    kind: shell
    not-executed: it downloads the CloudWatch Logs agent installer and runs it as root
"""

from __future__ import annotations

import re
import shutil
import subprocess

from handbook.examples import Finding
from handbook.examples.cli import shell_commands

KIND = "shell"


def not_executed_reason(declarations: dict) -> str | None:
    reason = declarations.get("not-executed")
    return reason.strip() if isinstance(reason, str) and reason.strip() else None


def check(text: str, *, path: str, line: int = 1, declarations: dict | None = None) -> list[Finding]:
    """Findings for the shell example `text`, whose first line is line `line` of `path`."""
    declarations = declarations or {}

    def finding(at: int, status: str, message: str) -> Finding:
        return Finding(path, line + at - 1, KIND, status, message)

    reason = not_executed_reason(declarations)
    if reason is None:
        return [finding(1, "error", "a shell example that is not an aws command must say why it is not "
                                    "executed: declare `not-executed: <reason>` beside `kind: shell`.")]
    try:
        commands = shell_commands(text)
    except ValueError as problem:
        return [finding(1, "error", f"a shell cannot read this example: {problem}.")]
    if not commands:
        return [finding(1, "error", "the example holds no command.")]
    bash = shutil.which("bash")
    if bash is None:
        return [finding(1, "skipped", "bash is not installed here, so the syntax check (bash -n) cannot run.")]
    # Read from /dev/stdin by name, so that bash says which line: "/dev/stdin: line 4: syntax error ..."
    done = subprocess.run([bash, "-n", "/dev/stdin"], input=text, capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[0] if done.stderr.strip() else "a syntax error"
        detail = detail.removeprefix("/dev/stdin: ")
        at = int(m.group(1)) if (m := re.match(r"line (\d+):", detail)) else 1
        return [finding(at, "error", f"bash -n rejects the example: {detail}.")]
    programs = ", ".join(dict.fromkeys(c.words[0] for c in commands))
    return [finding(1, "ok", f"{len(commands)} shell command{'s' if len(commands) != 1 else ''} "
                             f"({programs}) split into words and pass bash -n; not executed: {reason}.")]
