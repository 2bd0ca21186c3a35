"""What runbook mode does to start and run fast (handbook.lazy, handbook.awsfast), shown to keep
awscli's and botocore's behaviour."""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import copy
import random
import subprocess
import sys

import botocore.hooks

from handbook import awsfast


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




def test_a_kept_client_forgets_what_a_command_registered_on_it():
    cli = aws.AwsCli()
    cli.parse(["sts", "get-caller-identity"])
    [(client, _)] = [kept for key, kept in cli._clients_kept._kept.items() if key[0] == "sts"]
    fired = []

    def registered_by_a_command(**_):
        fired.append(True)

    client.meta.events.register("before-call.sts.GetCallerIdentity", registered_by_a_command)
    run = cli.parse(["sts", "get-caller-identity"])
    assert run.ok and [c.operation for c in run.calls] == ["GetCallerIdentity"]
    assert fired == []  # the kept client was handed out with the handlers it was built with
    assert [kept[0] for key, kept in cli._clients_kept._kept.items() if key[0] == "sts"] == [client]


def test_a_client_is_handed_out_once_a_command_and_a_new_session_handler_makes_another():
    cli = aws.AwsCli()
    shelf = cli._clients_kept
    cli._parsing = True
    try:
        shelf.new_command()
        first = cli._driver.session.create_client("sts", region_name=aws.REGION)
        second = cli._driver.session.create_client("sts", region_name=aws.REGION)
        assert second is not first  # awscli would have built two
        shelf.new_command()
        assert cli._driver.session.create_client("sts", region_name=aws.REGION) is first
        shelf.new_command()
        assert cli._driver.session.create_client("sts", region_name="eu-west-1") is not first
        cli._driver.session.register("before-call.sts", lambda **_: None)  # the table it copies changed
        shelf.new_command()
        assert cli._driver.session.create_client("sts", region_name=aws.REGION) is not first
    finally:
        cli._parsing = False
    with aws.mock():  # a simulation builds its clients anew
        cli._stub_with_moto()
        shelf.new_command()
        assert cli._driver.session.create_client("sts", region_name=aws.REGION) is not first


def test_commands_leave_awscli_s_loggers_as_they_found_them():
    import logging

    cli = aws.AwsCli()
    loggers = [logging.getLogger(name) for name in ("awscli", "botocore")]
    before = [(logger.level, list(logger.handlers)) for logger in loggers]
    for argv in (["sts", "get-caller-identity"], ["--debug", "sts", "get-caller-identity"],
                 ["guardduty", "list-detectors"]):
        cli.parse(argv)
    assert [(logger.level, list(logger.handlers)) for logger in loggers] == before


def test_a_kept_operation_parser_follows_its_argument_table():
    cli = aws.AwsCli()
    assert "arguments are required: --volume-id" in cli.parse(["ec2", "create-snapshot"]).message  # argparse's
    operation = cli._driver._get_command_table()["ec2"]._get_command_table()["create-snapshot"]
    argument = operation.arg_table["volume-id"]
    argument.required = False  # what --no-required-args and EMR's customizations do for a command
    try:  # argparse lets it through now; botocore's validation still wants VolumeId
        assert "Missing required parameter" in cli.parse(["ec2", "create-snapshot"]).message
    finally:
        argument.required = True
    assert "arguments are required: --volume-id" in cli.parse(["ec2", "create-snapshot"]).message
    assert "help" in [a.dest for a in operation._handbook_parser[2]._actions]
    assert [a.dest for a in operation._handbook_parser[2]._actions].count("help") == 1


def test_whether_a_handler_takes_kwargs_is_answered_as_inspect_answers_it():
    import functools

    class Callable:
        def __call__(self, **kwargs):
            return None

    class Method:
        def takes(self, a, **kwargs):
            return None

        def refuses(self, a):
            return None

    def plain(**kwargs):
        return None

    def strict(a, b=1):
        return None

    def signed(**kwargs):
        return None

    import inspect

    signed.__signature__ = inspect.Signature([inspect.Parameter("a", inspect.Parameter.POSITIONAL_ONLY)])
    wrapped = functools.wraps(strict)(lambda **kwargs: None)
    cases = [plain, strict, signed, wrapped, Method().takes, Method().refuses, Callable(),
             functools.partial(strict, 1), lambda **kw: None, lambda a: None, print, len]
    for case in cases:
        answers = []
        for ask in (awsfast._accepts_kwargs, awsfast.botocore_accepts_kwargs):
            try:
                answers.append(bool(ask(case)))
            except TypeError as error:
                answers.append(type(error))
        assert answers[0] == answers[1], case


def test_the_collector_is_on_again_after_a_runbook_check(tmp_path):
    import gc

    from handbook import check

    runbook = tmp_path / "runbook.md"
    runbook.write_text("```bash\naws sts get-caller-identity\n```\n", encoding="utf-8")
    try:
        assert gc.isenabled()
        check.run([runbook], mode="runbook")
        assert gc.isenabled()
        gc.disable()
        check.run([runbook], mode="runbook")
        assert not gc.isenabled()  # as the caller had it
    finally:
        gc.enable()


def test_the_command_exits_with_its_verdict_and_quietly(tmp_path):
    runbook = tmp_path / "runbook.md"

    def checked(command: str):
        runbook.write_text(f"```bash\n{command}\n```\n", encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "handbook.cli", "check", "--runbook", str(runbook)],
                              capture_output=True, text=True, timeout=120)

    done = checked("aws sts get-caller-identity --bogus")
    assert done.returncode == 1, done.stderr
    assert "--bogus" in done.stdout and "1 error(s)" in done.stderr
    done = checked("aws sts get-caller-identity")
    assert done.returncode == 0 and done.stderr.strip() == "1 finding(s): 1 ok, 0 error(s), 0 skipped"


def test_event_names_are_translated_as_botocore_translates_them():
    """Every event name a check emits or registers, and names each alias applies to."""
    from botocore.utils import EVENT_ALIASES

    cli = aws.AwsCli()
    cli.parse(["ec2", "describe-instances"])
    cli.parse(["s3", "ls"])
    names = set(cli._driver.session.get_component("event_emitter")._alias_name_cache)
    for old, new in EVENT_ALIASES.items():
        names |= {f"before-call.{old}.Operation", f"building-argument-table.{old}", f"x.{old}.y.{old}",
                  f"before-call.{old}x.Operation", f"{old}"}
    assert len(names) > 500
    fast, plain = awsfast.SharedAliases(botocore.hooks.HierarchicalEmitter()), \
        botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    for name in sorted(names):
        assert fast._alias_event_name(name) == plain._alias_event_name(name), name
    assert fast._alias_event_name("before-call.autoscaling.X") == "before-call.auto-scaling.X"
