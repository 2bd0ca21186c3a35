"""The shell checker: a non-aws shell example is read (words, bash -n), never run."""

from pathlib import Path

import pytest

from handbook import snippets
from handbook.examples import shell

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def check(name):
    snippet = snippets.Snippet(FIXTURES, f"shell/{name}")
    return shell.check(snippet.text, path=str(snippet.file), declarations=snippet.declarations)


def test_a_shell_example_is_checked_and_says_why_it_is_not_run():
    [ok] = check("install-agent.sh")
    assert ok.status == "ok" and ok.kind == "shell"
    assert ok.message == ("2 shell commands (curl, sudo) split into words and pass bash -n; "
                          "not executed: it installs an agent on the host.")


@pytest.mark.parametrize("name, line, text", [
    ("no-reason.sh", 1, "must say why it is not executed: declare `not-executed: <reason>`"),
    ("unclosed-quote.sh", 1, "a shell cannot read this example: the quote ' opened"),
    ("syntax-error.sh", 4, "bash -n rejects the example: line 4: syntax error: unexpected end of file"),
])
def test_what_a_shell_cannot_read_is_an_error(name, line, text):
    [error] = check(name)
    assert error.status == "error"
    assert (error.line, text in error.message) == (line, True), error
