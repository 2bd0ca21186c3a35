"""What a page says under an example about how it is verified, from its declarations alone.

The build shows the status without running anything; the suite (`handbook.examples.verify`)
is what makes it true: a simulated example must run and match its recorded output, a
model-only one must still fail to run (or leave the list), a shell one must pass `bash -n`.

    simulated     a CLI example run against simulated AWS; its output is recorded
    unrecorded    a CLI example meant to run, but with no recorded output yet
    model-only    a CLI example checked against the API model only (snippets/model-only.yml)
    not-executed  a shell example that is never run (it changes the host)
    checked       JSON, SQL and log examples, checked by their kind's checker
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from handbook.snippets import Snippet


@dataclass(frozen=True)
class Status:
    key: str  # one of the keys above; the page's CSS class is example-status--<key>
    text: str  # one sentence for the reader


def is_shell(snippet: Snippet, declarations: Mapping) -> bool:
    return snippet.kind == "cli" and declarations.get("kind") == "shell"


def of(snippet: Snippet, declarations: Mapping, model_only: Mapping[str, str]) -> Status:
    """The status of `snippet`, given its declarations and the project's model-only list."""
    if is_shell(snippet, declarations):
        reason = str(declarations.get("not-executed") or "it changes the machine it runs on").rstrip(".")
        return Status("not-executed", f"Not executed: {reason}. Checked for shell syntax only.")
    if snippet.kind == "cli":
        if snippet.ref in model_only:
            return Status("model-only", f"Checked against the API model only (not run): "
                                        f"{model_only[snippet.ref].rstrip('.')}.")
        if not snippet.output.exists():
            return Status("unrecorded", "Not yet run against simulated AWS: no output is recorded.")
        return Status("simulated", "Run against simulated AWS; the example output is recorded from that run.")
    if snippet.kind == "json":
        return Status("checked", f"Checked against the {declarations.get('schema', 'declared')} shape.")
    if snippet.kind == "sql":
        if "expect_rows" in declarations:
            return Status("checked", "Parsed as Athena SQL and run in DuckDB against sample records.")
        return Status("checked", "Parsed as Athena SQL; its tables are created in DuckDB.")
    if declarations.get("format") == "vpc-flow-log-fields":
        return Status("checked", "Checked against the VPC Flow Logs field list.")
    return Status("checked", "Checked against the VPC Flow Logs record format.")
