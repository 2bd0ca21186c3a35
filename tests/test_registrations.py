"""handbook.registrations: what awscli registers on the long-lived driver's session is what a
process running one command would have."""

from handbook import aws  # noqa: I001  -- first: boto3 and moto must share awscli's botocore

import json

from awscli.customizations import paginate


def _handlers(cli) -> int:
    """Every handler on the session's table."""
    def count(node):
        own = sum(len(section) for section in node["values"]) if node["values"] else 0
        return own + sum(count(child) for child in node["children"].values())

    return count(cli._driver.session.get_component("event_emitter")._emitter._handlers._root)


def test_a_skeleton_is_the_command_s_own_after_other_tables_were_built():
    cli = aws.AwsCli()
    for argv in (["sts", "get-caller-identity"], ["guardduty", "list-detectors"], ["iam", "list-users"]):
        cli.parse(argv)
    skeleton = cli.parse(["sts", "assume-role", "--generate-cli-skeleton"])
    assert skeleton.ok and "RoleArn" in json.loads(skeleton.stdout)  # one document, AssumeRole's


def test_cli_input_json_reads_the_command_s_own_input(tmp_path):
    cli = aws.AwsCli()
    first = cli.parse(["iam", "get-user", "--cli-input-json", '{"UserName": "dana"}'])
    second = cli.parse(["iam", "get-role", "--cli-input-json", '{"RoleName": "ir-responder"}'])
    assert [c.params for c in first.calls] == [{"UserName": "dana"}]
    assert [c.params for c in second.calls] == [{"RoleName": "ir-responder"}]


def test_what_a_command_registers_ends_with_it():
    cli = aws.AwsCli()
    commands = [["dynamodb", "scan", "--table-name", "ir-findings"],  # DynamoDB's pagination fix
                ["iam", "get-user", "--cli-input-json", '{"UserName": "dana"}'],  # its input
                ["s3api", "get-object", "--bucket", "amzn-s3-demo-bucket", "--key", "k", "out.txt"],  # outfile
                ["sts", "assume-role", "--generate-cli-skeleton"]]
    for argv in commands:  # tables built once
        cli.parse(argv)
    before = _handlers(cli)
    for _ in range(3):
        for argv in commands:
            cli.parse(argv)
    assert _handlers(cli) == before


def test_a_table_built_during_a_command_keeps_what_it_registers():
    cli = aws.AwsCli()
    events = cli._driver.session.get_component("event_emitter")._emitter._handlers

    def paging():  # registered by the paging arguments when ec2 describe-instances' table is built
        return [h for h in events.prefix_search("operation-args-parsed.ec2.describe-instances")
                if getattr(h, "func", None) is paginate.check_should_enable_pagination]

    cli.parse(["ec2", "describe-instances", "--max-items", "5"])  # the table, built inside the command
    assert len(paging()) == 1
    built = _handlers(cli)
    cli.parse(["ec2", "describe-instances", "--max-items", "5"])
    assert len(paging()) == 1 and _handlers(cli) == built
