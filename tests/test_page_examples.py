"""How a page shows an example: tabs with the recorded output, a status line, marked placeholders."""

from pathlib import Path

from handbook import site, snippets
from handbook.examples import recording

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def shown(root: Path, ref: str) -> str:
    return site.example(snippets.Snippet(root, ref), snippets.model_only(root))


def test_a_simulated_command_shows_its_recorded_output_in_a_second_tab():
    text = shown(ROOT / "snippets", "cloudtrail/create-trail.sh")
    # in the container Run in the page uses (handbook/runtime/assets/run.js)
    assert text.startswith('<div class="hb-example" data-snippet="cloudtrail/create-trail.sh" markdown>\n\n'
                           '=== "Command"\n\n    ``` { .bash .example title="create-trail.sh" }\n    aws cloudtrail create-trail')
    assert "\n\n</div>\n\nRun against simulated AWS" in text
    assert '=== "Example output"\n\n    ``` { .json .example-output }\n    {\n        "Name": "Trail1",' in text
    assert text.endswith("Run against simulated AWS; the example output is recorded from that run.\n"
                         "{: .example-status .example-status--simulated }")


def test_a_command_that_prints_nothing_says_so():
    assert f"    {site.NO_OUTPUT}" in shown(ROOT / "snippets", "cloudtrail/start-logging.sh")


def test_output_is_shown_as_a_terminal_leaves_it():
    assert recording.as_terminal_shows("Completed 1 of 2\rdownload: s3://b/k to ./k\n") == "download: s3://b/k to ./k\n"
    text = shown(ROOT / "snippets", "s3/download-object.sh")
    assert "Completed" not in text and "    download: s3://handbook-evidence/incident/evidence.log" in text


def test_a_model_only_command_says_why_it_is_not_run():
    text = shown(FIXTURES / "verify" / "model-only" / "snippets", "security-hub/get-insights.sh")
    assert "===" not in text
    assert text.endswith("Checked against the API model only (not run): moto does not implement securityhub "
                         "GetInsights.\n{: .example-status .example-status--model-only }")


def test_a_command_without_recorded_output_does_not_claim_a_run():
    text = shown(FIXTURES / "verify" / "recorded" / "snippets", "cloudtrail/get-trail-status.sh")
    assert "Not yet run against simulated AWS" in text and "===" not in text


def test_a_shell_example_says_it_is_not_executed():
    text = shown(FIXTURES, "shell/install-agent.sh")
    assert text.endswith("Not executed: it installs an agent on the host. Checked for shell syntax only.\n"
                         "{: .example-status .example-status--not-executed }")


def test_placeholders_are_marked_in_example_blocks_only():
    html = ('<div class="example has-placeholders highlight"><span class="filename">x.sh</span><pre><code>'
            'aws s3 ls s3://&lt;bucket&gt;</code></pre></div><div class="example-output highlight"><pre><code>'
            '&lt;not-a-placeholder&gt;</code></pre></div>')
    marked = site.mark_placeholders(html)
    assert marked.count('class="placeholder"') == 1
    assert 's3://<span class="placeholder" title="placeholder: replace with your value">&lt;bucket&gt;</span>' in marked
