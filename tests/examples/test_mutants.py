"""Every check can fail: a broken copy of each of the handbook's examples must be rejected.

For each CLI snippet, every option misspelt in turn (and the operation, so that a command
without options is covered too); for each JSON snippet, every key its schema checks. A
checker that waved a broken copy through would pass broken examples too: the suite fails.
"""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

from pathlib import Path

import pytest

from handbook import snippets
from handbook.examples import cli, mutation, mutation_json, status, verify

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = snippets.find(ROOT / "snippets")
COMMANDS = [s for s in EXAMPLES if s.kind == "cli" and not status.is_shell(s, s.declarations)]
DOCUMENTS = [s for s in EXAMPLES if s.kind == "json"]


def test_there_are_examples_to_break():
    assert len(COMMANDS) >= 40 and len(DOCUMENTS) >= 5


@pytest.mark.parametrize("example", COMMANDS, ids=lambda s: s.ref)
def test_every_misspelt_option_and_operation_of_a_cli_example_is_rejected(example):
    runner = verify.simulation_runner()
    placeholders = cli.load_placeholders(ROOT / "snippets")
    mutants = list(mutation.mutants(example.text)) + [mutation.operation_mutant(example.text)]
    assert all(mutants), f"{example.ref} has no operation to misspell"
    accepted = []
    for mutant in mutants:
        findings = cli.check(mutant.text, path=str(example.file), placeholders=placeholders,
                             declarations=example.declarations, files=cli.sibling_files(example), runner=runner)
        errors = [f for f in findings if f.status == "error"]
        if not any(mutant.misspelt in f.message and f.line == mutant.line for f in errors):
            accepted.append((mutant.option, mutant.misspelt, [str(f) for f in findings]))
    assert accepted == [], f"the CLI checker accepted broken copies of {example.ref}"


@pytest.mark.parametrize("example", DOCUMENTS, ids=lambda s: s.ref)
def test_every_misspelt_key_of_a_json_example_is_rejected(example):
    findings = mutation_json.self_test(example.text, path=example.file, line=1, declarations=example.declarations)
    assert [f.status for f in findings] == ["ok"], [str(f) for f in findings]
