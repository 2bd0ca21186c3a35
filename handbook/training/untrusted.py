"""Commands nobody checked: what a trainee types, what a record says was typed.

`refusal(command)` says in one sentence why a command is not run, or None when it may run. A
refused command runs nothing. It is refused when it is not exactly one `aws` command (a shell
would be needed: `$(...)`, pipes, `;`, `&&`, redirections, a second command), when it points
the CLI elsewhere (`--endpoint-url`, `--profile`, `--ca-bundle`), when it reads a file by
`file://` or `fileb://` other than the exercise's own files, when it names a place on the
machine outside its own folder (an absolute path, `~`, `..`) where awscli reads or writes a
local file, when it names a service the page's account does not carry (`commands`), when
it asks for `help`, and when it would wait without end (`aws ... wait`, `logs tail --follow`:
a replay must finish). The shell rules are the page's (handbook/account.py): one sentence for one
mistake, the same in the browser and in `handbook qualify verify`.

Where awscli touches the machine's files, besides `file://`: the s3 transfer commands' paths,
a streaming operation's output file (`s3api get-object ... FILE`, `lambda invoke ... FILE`),
`iam create-virtual-mfa-device --outfile`, `ec2 get-password-data --priv-launch-key`; found by
listing the custom arguments of every command the runtime carries (handbook/runtime/runtime.yml).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

# Options that send the CLI to another endpoint, identity or trust store.
ELSEWHERE = {"--endpoint-url": "sends the command to another endpoint than the simulated account",
             "--profile": "picks an identity from the machine's AWS configuration",
             "--ca-bundle": "reads a certificate file from the machine"}
# (command, subcommand) whose words may be local paths; None: every subcommand of the command.
LOCAL_FILES = {("s3", None), ("s3api", "get-object"), ("s3api", "get-object-annotation"),
               ("s3api", "get-object-torrent"), ("s3api", "select-object-content"), ("lambda", "invoke"),
               ("iam", "create-virtual-mfa-device"), ("ec2", "get-password-data")}
ONE_COMMAND = "The page's account runs one aws command at a time, without a shell."


def refusal(command: str, *, files: Iterable[str] = (), commands: Iterable[str] | None = None) -> str | None:
    """Why `command` is not run, in a sentence, or None. `files`: the names `file://` may read;
    `commands`: the `aws <command>` names carried (None: any)."""
    from handbook.account import unrunnable, unshellable
    from handbook.examples import cli

    if why := unshellable(command):
        return why
    # <name> outside quotes is a placeholder left in; inside quotes it is text, as a shell reads it
    # (an input transformer's template names its values so).
    if placeholder := re.search(r"<([A-Za-z][A-Za-z0-9_.-]*)>", unquoted(command)):
        return f"Not run: <{placeholder[1]}> is a placeholder; type the value itself."
    if operator := shell_operator(command):
        return (f"Not run: {operator!r} is shell syntax; there is no shell here. {ONE_COMMAND} "
                "Quote the text if it is part of a value.")
    names = sorted(set(files))
    prepared = cli.prepare(command, path="command", placeholders={}, substitute=False,
                           files={name: Path(name) for name in names})
    for error in prepared.errors:
        message = error.message
        if "names no example next to this one" in message:
            named = message.split(" names no example")[0]
            own = f"this exercise's files are {', '.join(names)}" if names else "this exercise has no files"
            return (f"Not run: {named} is not a file of this exercise ({own}); nothing is read from the "
                    "machine: write the value inline.")
        message = message.replace("; an example holds exactly one.", ".").replace(" an example holds exactly one.", "")
        return f"Not run: {message} {ONE_COMMAND}"
    words = list(prepared.words)
    for word in words[1:]:
        option = word.split("=", 1)[0]
        if option in ELSEWHERE:
            return f"Not run: {option} {ELSEWHERE[option]}; the page's account is the only one a command reaches."
    if why := unrunnable(words, commands):
        return why
    subcommand = words[2] if len(words) > 2 else None
    if subcommand == "wait":
        return (f"Not run: `aws {words[1]} wait` polls until a state is reached, which in the simulated account is "
                "at once or never; ask for the state itself (a describe or get command).")
    if "--follow" in words or "--follow=true" in words:
        return "Not run: --follow waits for new log events forever; leave it out to see the events there are."
    if (words[1], None) in LOCAL_FILES or (words[1], subcommand) in LOCAL_FILES:
        for word in words[2:]:
            value = word.split("=", 1)[1] if word.startswith("--") and "=" in word else word
            if outside(value):
                return (f"Not run: {value} is a place on the machine outside the command's own folder; "
                        "a command here reads and writes only files of its own folder (a plain name such as "
                        "evidence.json).")
    return None


def shell_operator(command: str) -> str | None:
    """The first character a shell would read as syntax (`;`, `|`, `&`, `<`, `>`, `(`, `)`) outside quotes."""
    return next((char for char in unquoted(command) if char in ";|&<>()"), None)


def unquoted(command: str) -> str:
    """`command` with what quotes hold, and what a backslash escapes, blanked out: what a shell reads as
    syntax is what is left."""
    kept, quote, escaped = [], None, False
    for char in command:
        if escaped:
            escaped, char = False, " "
        elif quote:
            quote = None if char == quote else quote
            escaped = char == "\\" and quote == '"'
            char = " " if quote else char
        elif char == "\\":
            escaped = True
        elif char in "'\"":
            quote = char
        kept.append(char)
    return "".join(kept)


def outside(value: str) -> bool:
    """Whether a local path leaves the folder it is read in: absolute, from home, or through `..`."""
    if value.startswith(("s3://", "arn:")):
        return False
    if value.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value):
        return True
    return ".." in re.split(r"[\\/]", value)
