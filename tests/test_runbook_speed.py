"""What runbook mode does to start and run fast (handbook.lazy, handbook.awsfast), shown to keep
awscli's and botocore's behaviour."""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import copy
import random
import subprocess
import sys

import botocore.hooks

from handbook import awsfast


def test_a_runbook_without_sql_starts_without_sqlglot(tmp_path):
    runbook = tmp_path / "runbook.md"
    runbook.write_text("```bash\naws sts get-caller-identity\n```\n", encoding="utf-8")
    code = ("import sys; from handbook import check; "
            f"fs = check.run([{str(runbook)!r}], mode='runbook'); "
            "assert [f.status for f in fs] == ['ok'], fs; "
            "print(sorted(m for m in ('sqlglot', 'duckdb') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_sql_is_still_judged_when_sqlglot_loads_late(tmp_path):
    from handbook import check

    runbook = tmp_path / "runbook.md"
    runbook.write_text("```sql\nSELECT eventname FROM cloudtrail_logs WHERE eventname IN ('A' 'B')\n```\n",
                       encoding="utf-8")
    [finding] = check.run([runbook], mode="runbook")
    assert finding.status == "error" and finding.rule == "sql-missing-comma"


def _seen(trie, keys):
    return {key: list(trie.prefix_search(key)) for key in keys}


def test_a_shared_handler_table_holds_what_botocores_copies_hold():
    """Random registrations, removals and copies, on botocore's table and on the shared one."""
    keys = ["a", "a.b", "a.b.c", "a.*", "a.*.c", "b", "b.c", "*"]
    probes = keys + ["a.b.c.d", "a.x.c", "b.c.d", "zz"]
    rng = random.Random(18)
    for _ in range(200):
        plain, shared = [botocore.hooks._PrefixTrie()], [awsfast.SharedTrie()]
        for _ in range(30):
            i, roll = rng.randrange(len(plain)), rng.random()
            if roll < 0.2:
                plain.append(copy.copy(plain[i]))
                shared.append(copy.copy(shared[i]))
            elif roll < 0.7:
                key, value, section = rng.choice(keys), rng.randrange(4), rng.randrange(3)
                plain[i].append_item(key, value, section)
                shared[i].append_item(key, value, section)
            else:
                key, value, errors = rng.choice(keys), rng.randrange(4), []
                for trie in (plain[i], shared[i]):
                    try:
                        trie.remove_item(key, value)
                        errors.append(None)
                    except (ValueError, AttributeError) as error:  # botocore's own, on an empty node
                        errors.append(type(error))
                assert errors[0] == errors[1]
            assert [_seen(t, probes) for t in plain] == [_seen(t, probes) for t in shared]


def test_a_client_changes_its_own_handlers_only():
    cli = aws.shared()
    session = cli._driver.session
    client = session.create_client("sts", region_name=aws.REGION)
    before = list(session.get_component("event_emitter")._emitter._handlers.prefix_search("before-call.sts.X"))
    def handler(**_):
        return None

    client.meta.events.register("before-call.sts.X", handler)
    after = list(session.get_component("event_emitter")._emitter._handlers.prefix_search("before-call.sts.X"))
    assert after == before
    assert handler in client.meta.events._emitter._handlers.prefix_search("before-call.sts.X")


def test_service_models_and_the_main_parser_are_kept_for_the_runner():
    cli = aws.shared()
    cli.parse(["guardduty", "list-detectors"])
    cli.parse(["guardduty", "list-detectors"])
    mine = id(cli._driver.session.get_component("event_emitter"))
    assert len([k for k in awsfast.model_cache if k[:2] == (mine, "guardduty")]) == 1
    table = cli._driver._get_command_table()
    assert cli._driver._create_parser(table) is cli._driver._create_parser(table)
    assert cli.parse(["guardduty", "list-detectorz"]).rejected  # the kept parser still refuses


def test_services_are_listed_as_botocore_lists_them():
    import botocore.loaders

    for type_name in ("service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1", "service-2.sdk-extras"):
        assert botocore.loaders.Loader().list_available_services(type_name) == \
            awsfast.botocore_list_available_services(botocore.loaders.Loader(), type_name)
