"""aws-cli's packaged documentation examples: runbook mode accepts every one awscli accepts.

The whole set (about 5,850 .rst files) takes minutes; the suite checks a deterministic sample
(files whose path hashes to 0 modulo 40) and `bench/runbook.py --examples` the whole set. An example
is "rejected by awscli itself" when its first command, as a shell reads it and with no
substitution, is refused by awscli (commands that no longer exist, a line missing its `\\`:
tree-sitter's bash grammar reads a line that is only `\\` as continuing the command before it,
bash does not, and neither does `blocks.aws_lines`).
"""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import awscli_examples  # noqa: E402
import awscli_mutants  # noqa: E402

from handbook.runbook import blocks, commands  # noqa: E402

EVERY = 40
LOST = "an option of the aws command above it, but line"


def errors_in(runner, rst: Path, text: str) -> list:
    """The errors runbook mode finds in one example."""
    # A literal block has no language: read as a fence with none is (its aws lines and their
    # continuations; the output printed after a command, as many of these blocks show, is not shell).
    with blocks.Context(str(rst), rst.parent, False, runner) as context:
        findings = blocks.shell(blocks.aws_lines(text) or text, context, first_line=1, declarations={})
    return [f for f in findings if f.status == "error"]


def judge(runner, rst: Path, text: str) -> str:
    """accepted, awscli-rejects, lost-continuation or model: why a packaged example gets its result."""
    errors = errors_in(runner, rst, text)
    if not errors:
        return "accepted"
    if all(LOST in e.message for e in errors):
        return "lost-continuation"  # the example's own: a line starts with an option, the `\` above it is gone
    first = commands.parse(blocks.aws_lines(text) or text).invocations  # as a shell reads it
    raw = runner.parse([w.text for w in first[0].words]) if first else None
    if raw is not None and raw.rejected and "paramfile" not in raw.message:
        return "awscli-rejects"
    # The example's own defect that awscli does not check: a literal outside the enum, or a
    # TestEventPattern event without a field the API reference lists as mandatory.
    if all("which the API does not accept" in e.message or "requires an event with all of" in e.message
           for e in errors):
        return "model"
    return f"false alarm: {errors[0]}"


def test_runbook_mode_accepts_the_packaged_examples_awscli_accepts():
    runner = aws.shared()
    verdicts = [judge(runner, rst, text) for rst in awscli_examples.sample(EVERY)
                for text in awscli_examples.commands(rst)]
    assert len(verdicts) > 150
    assert [v for v in verdicts if v.startswith("false alarm")] == []
    assert verdicts.count("accepted") / len(verdicts) > 0.9


def test_a_lost_continuation_is_flagged_at_its_line_in_every_multi_line_example():
    runner = aws.shared()
    mutants = [(rst, mutant) for rst in awscli_examples.sample(EVERY) for text in awscli_examples.commands(rst)
               if (mutant := awscli_mutants.lost_continuation(text))]
    assert len(mutants) > 100
    missed = [f"{rst.name}:{line}" for rst, (text, line) in mutants
              if not any(e.line == line and LOST in e.message for e in errors_in(runner, rst, text))]
    assert missed == []


def test_broken_json_in_a_string_option_is_flagged_at_its_line():
    runner = aws.shared()
    files = [rst for rst in awscli_examples.files() if awscli_mutants.INLINE_JSON.search(rst.read_text(encoding="utf-8"))]
    mutants = [(rst, mutant) for rst in files for text in awscli_examples.commands(rst)
               if (mutant := awscli_mutants.broken_json(text)) and not errors_in(runner, rst, text)]
    assert len(mutants) >= 8
    missed = [f"{rst.name}:{line}" for rst, (text, line) in mutants
              if not any(e.line == line and "JSON" in e.message for e in errors_in(runner, rst, text))]
    assert missed == []
