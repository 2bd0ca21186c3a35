"""A scenario: a scripted incident in the simulated account, read from scenarios/<name>.yml.

A scenario is data. It names the playbook it drills, the account before the incident, and the
threat actor's timeline; `run` replays it through the simulation so that each call lands
where the service records it (CloudTrail's event history and the trail's log files, S3 server
access log lines, IAM, EC2 ...), then places what detectors and network logs add of their
own (GuardDuty findings, VPC flow-log records):

    name: credential-compromise
    playbook: docs/playbooks/credential-compromise.md
    start: 2026-11-20T08:00:00Z      # the clock while the account is prepared
    seed: 11                          # moto's random ids (instance ids, event ids) follow it
    account:                          # the account before the incident, as the administrator
      - call: iam.CreateUser          # <service>.<Operation> as the API reference names it
        args: {UserName: app-deployer}
    keys:                             # access keys with the ids the playbook's commands name
      actor: {user: app-deployer, id: AKIA..., secret: ...}
    timeline:                         # the actor's calls, in order, each at its own time
      - {at: 2026-11-20T09:14:03Z, as: actor, from: 203.0.113.45, call: sts.GetCallerIdentity}
      - {at: ..., as: actor, from: ..., call: ec2.RunInstances, args: {...}, keep: {instance: "Instances[0].InstanceId"}}
    findings:                         # GuardDuty findings of the matching types
      - {detector: ..., id: ..., type: UnauthorizedAccess:IAMUser/..., at: ..., key: actor, from: 203.0.113.45}
    flows:                            # VPC flow-log records (version 2), into a log group
      - {group: vpc-flow-logs, stream: eni-..., records: ["2 123456789012 eni-... ..."]}

`as:` is a key of `keys:` or `anonymous` (an unsigned request, as from outside the
organisation), or the `session:` an earlier call kept (`sts.AssumeRole` with `session: hop`: its
temporary credentials sign the calls `as: hop`); `from:` is the caller's address (documentation
ranges only). `{instance}` in a finding, a flow record or a later call's arguments is a value
kept before. A key may belong to a user of another account (`account: "210987654321"`, created
there) or be a console session's (`console: true`: gone from the user's keys when the replay
ends). `call: signin.ConsoleLogin` (args `MFAUsed`) is a console sign-in, which no API model
has (handbook.simulation.signin). `playbook:` is there only for the source's two playbooks; the
investigation's fields (title, tactics, ksa, briefing, questions, containment, contain) are read
by handbook.training.investigation. `prepared(name, cli)` replays a scenario once per process and
then restores the account it left (handbook.simulation.snapshot).

Checked before anything runs (`load`): every service, operation and argument name against
botocore's model, every `as:`, time and kept name; a problem is an error naming the file and
line. The replay runs with the simulation's clock fixed and moto's random ids seeded, so the
same scenario leaves the same records byte for byte, in CPython and in the browser.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from handbook import aws  # first: awscli must be imported before boto3 and moto
from handbook.errors import HandbookError
from handbook.training import lines
from handbook.simulation.fixtures import NAMED

PROJECT = Path(__file__).resolve().parent.parent.parent
FOLDER = PROJECT / "scenarios"
# The account's administrator, who prepares the account: a fixed key, so that the records of
# `account:` do not depend on the credentials of the environment running the scenario.
ADMINISTRATOR = {"id": "AKIAZDRILLADMIN00001", "secret": "handbook-drill-administrator"}
DOCUMENTATION_RANGES = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
# The investigation's fields (title, tactics, ksa, briefing, questions, containment, contain) are
# read and checked by handbook.training.investigation; the replay needs none of them.
INVESTIGATION = {"title", "tactics", "ksa", "briefing", "questions", "containment", "contain"}
TOP = {"name", "playbook", "start", "seed", "account", "keys", "timeline", "findings", "flows"} | INVESTIGATION
ACTION_FIELDS = {"at", "as", "from", "call", "args", "keep", "session"}
# Sign-in events CloudTrail records that are no API call (signin.amazonaws.com), with their fields.
SIGNIN = {"ConsoleLogin": {"MFAUsed"}}
FINDING_FIELDS = {"detector", "id", "type", "at", "key", "from", "severity", "bucket"}
FLOW_FIELDS = {"group", "stream", "records"}
KEY_FIELDS = {"user", "id", "secret"}
KEY_OPTIONS = {"account", "console"}  # a user of another account; a console session's key (gone after it)


@dataclasses.dataclass
class Call:
    service: str  # botocore's service name
    operation: str  # the API's operation name
    args: dict
    line: int
    at: datetime | None = None
    actor: str | None = None
    address: str | None = None
    keep: dict | None = None
    session: str | None = None  # the name under which the call's temporary credentials are kept

    @property
    def label(self) -> str:
        return f"{self.service}.{self.operation}"


@dataclasses.dataclass
class Scenario:
    name: str
    path: Path
    playbook: str | None
    start: datetime
    seed: int
    account: list[Call]
    keys: dict[str, dict]
    timeline: list[Call]
    findings: list[tuple[int, dict]]
    flows: list[tuple[int, dict]]
    data: dict = dataclasses.field(default_factory=dict, repr=False)  # the file as read
    where: dict = dataclasses.field(default_factory=dict, repr=False)  # the line of every key and item

    @property
    def services(self) -> list[str]:
        """The services that record the actor's actions in this scenario."""
        found = {"cloudtrail"}
        if any(c.service == "s3" for c in self.timeline):
            found.add("s3 server access logs")
        if self.findings:
            found.add("guardduty")
        if self.flows:
            found.add("vpc flow logs")
        return sorted(found)


def path_of(name: str, folder: Path | None = None) -> Path:
    return Path(folder or FOLDER) / f"{name}.yml"


def load(path: Path | str) -> Scenario:
    """The scenario of a file, every name in it checked; an error names the file and line."""
    path = Path(path)
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.yml"))) or "none"
        raise HandbookError(path, None, f"there is no scenario {path.stem!r} (scenarios: {known})")
    data, where = lines.read(path, "scenario")
    if not isinstance(data, dict):
        raise HandbookError(path, 1, "a scenario is a mapping with name, playbook, start, account, keys and timeline")
    unknown = set(data) - TOP
    if unknown:
        name = sorted(unknown)[0]
        raise HandbookError(path, where.get((name,)), f"the scenario has the unknown field {name!r}; "
                                                       f"it may have {', '.join(sorted(TOP))}")
    for needed in ("name", "start", "timeline"):
        if needed not in data:
            raise HandbookError(path, 1, f"the scenario lacks {needed!r}")
    keys = data.get("keys") or {}
    for actor, spec in keys.items():
        if not isinstance(spec, dict) or not KEY_FIELDS <= set(spec) <= KEY_FIELDS | KEY_OPTIONS:
            raise HandbookError(path, where.get(("keys", actor)), f"key {actor!r} must have user, id and secret "
                                                                   "(and perhaps account, console)")
    account = [_fixture(item, path, where, ("account", n)) if isinstance(item, dict) and "fixture" in item
               else _call(item, path, where, ("account", n), actors=None) for n, item in enumerate(data.get("account") or [])]
    actors = set(keys) | {"anonymous"}
    timeline = []
    for n, item in enumerate(data["timeline"]):
        timeline.append(_call(item, path, where, ("timeline", n), actors=actors))
        if timeline[-1].session:  # later calls may be made with the credentials it returned
            actors.add(timeline[-1].session)
    kept = {name for call in account + timeline for name in (call.keep or {})}
    for call in timeline:  # a call may name a value kept before it: {flow_log}
        for name in re.findall(r"\{([a-z_]+)\}", json.dumps(call.args)):
            if name not in kept:
                raise HandbookError(path, call.line, f"{{{name}}} names nothing the account or timeline keeps (they "
                                                     f"keep: {', '.join(sorted(kept)) or 'nothing'})")
    findings = [(_check_fields(item, FINDING_FIELDS, path, where, ("findings", n), {"detector", "id", "type", "at"}), item)
                for n, item in enumerate(data.get("findings") or [])]
    from handbook.simulation.guardduty import TYPE_PATTERN

    for line, item in findings:
        if not TYPE_PATTERN.match(str(item["type"])):
            raise HandbookError(path, line, f"{item['type']!r} is not a GuardDuty finding type (ThreatPurpose:"
                                            "ResourceTypeAffected/ThreatFamilyName..., as AWS's documentation names them)")
        if item.get("key") not in (None, *keys):
            raise HandbookError(path, line, f"the finding names the key {item['key']!r}, which `keys:` does not declare")
        _time(item["at"], path, line)
        _address(item.get("from"), path, line)
    flows = [(_check_fields(item, FLOW_FIELDS, path, where, ("flows", n), FLOW_FIELDS), item)
             for n, item in enumerate(data.get("flows") or [])]
    for line, flow in flows:
        for record in flow["records"]:
            if len(str(record).split()) != 14:
                raise HandbookError(path, line, f"the flow record {record!r} has {len(str(record).split())} fields, "
                                                "not the 14 of a version 2 flow log record")
    for line, text in [(ln, json.dumps(item)) for ln, item in findings + flows]:
        for name in re.findall(r"\{([a-z_]+)\}", text):
            if name not in kept:
                raise HandbookError(path, line, f"{{{name}}} names nothing the timeline keeps (it keeps: "
                                                f"{', '.join(sorted(kept)) or 'nothing'})")
    return Scenario(str(data["name"]), path, str(data["playbook"]) if data.get("playbook") else None,
                    _time(data["start"], path, where.get(("start",))), int(data.get("seed", 0)), account, keys,
                    timeline, findings, flows, data, where)


def _check_fields(item: Any, allowed: set, path: Path, where: dict, at: tuple, required: set) -> int:
    line = where.get(at)
    if not isinstance(item, dict):
        raise HandbookError(path, line, f"this entry must be a mapping with {', '.join(sorted(allowed))}")
    for name in item:
        if name not in allowed:
            raise HandbookError(path, where.get(at + (name,), line),
                                f"the unknown field {name!r}; this entry may have {', '.join(sorted(allowed))}")
    for name in sorted(required - set(item)):
        raise HandbookError(path, line, f"this entry lacks {name!r}")
    return line


def _call(item: Any, path: Path, where: dict, at: tuple, *, actors: set | None) -> Call:
    allowed = {"call", "args", "keep"} if actors is None else ACTION_FIELDS
    line = _check_fields(item, allowed, path, where, at, {"call"} if actors is None else {"call", "at", "as"})
    service, _, operation = str(item["call"]).partition(".")
    call_line = where.get(at + ("call",), line)
    if service == "signin" and actors is not None:
        return _signin(item, operation, path, where, at, line, actors)
    model = _service_model(service, path, call_line)
    if operation not in model.operation_names:
        raise HandbookError(path, call_line, f"{service} has no operation {operation!r} (write the API's name, "
                                             f"e.g. {model.operation_names[0]})")
    args = item.get("args") or {}
    shape = model.operation_model(operation).input_shape
    members = shape.members if shape is not None else {}
    for name in args:
        if name not in members:
            raise HandbookError(path, where.get(at + ("args", name), line),
                                f"{service}.{operation} has no field {name!r}; its fields are "
                                f"{', '.join(members) or 'none'}")
    call = Call(service, operation, args, line, keep=item.get("keep"))
    if actors is not None:
        call.at = _time(item["at"], path, line)
        call.actor = str(item["as"])
        if call.actor not in actors:
            raise HandbookError(path, where.get(at + ("as",), line),
                                f"`as: {call.actor}` names no key of `keys:` (nor `anonymous`)")
        call.address = _address(item.get("from"), path, line)
        call.session = item.get("session")
        if call.session is not None and "Credentials" not in (model.operation_model(operation).output_shape.members
                                                              if model.operation_model(operation).output_shape else {}):
            raise HandbookError(path, where.get(at + ("session",), line), f"`session:` keeps the temporary credentials "
                                                                          f"a call returns; {call.label} returns none")
    return call


def _signin(item: dict, event: str, path: Path, where: dict, at: tuple, line: int, actors: set) -> Call:
    """A sign-in event (signin.amazonaws.com), which no botocore model has: CloudTrail records it all the same."""
    if event not in SIGNIN:
        raise HandbookError(path, where.get(at + ("call",), line), f"signin has no event {event!r}; "
                                                                   f"the sign-in events are {', '.join(SIGNIN)}")
    for name in item.get("args") or {}:
        if name not in SIGNIN[event]:
            raise HandbookError(path, where.get(at + ("args", name), line), f"signin.{event} has no field {name!r}; "
                                                                            f"its fields are {', '.join(SIGNIN[event])}")
    call = Call("signin", event, dict(item.get("args") or {}), line, at=_time(item["at"], path, line),
                actor=str(item["as"]), address=_address(item.get("from"), path, line))
    if call.actor not in actors - {"anonymous"}:
        raise HandbookError(path, where.get(at + ("as",), line), f"`as: {call.actor}` names no key of `keys:`")
    return call


def _fixture(item: dict, path: Path, where: dict, at: tuple) -> Call:
    """An account step that is a named fixture (handbook.simulation.fixtures), for an id AWS would generate."""
    line = _check_fields(item, {"fixture", "args"}, path, where, at, {"fixture"})
    if item["fixture"] not in NAMED:
        raise HandbookError(path, line, f"the unknown fixture {item['fixture']!r}; known fixtures are "
                                        f"{', '.join(NAMED)}")
    return Call("fixture", str(item["fixture"]), dict(item.get("args") or {}), line)


def _service_model(service: str, path: Path, line: int | None):
    try:
        return aws.shared().session._session.get_service_model(service)
    except Exception:
        raise HandbookError(path, line, f"{service!r} is not an AWS service botocore knows "
                                        "(write botocore's name, e.g. s3, iam, ec2, sts)") from None


def _time(value: Any, path: Path, line: int | None) -> datetime:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise HandbookError(path, line, f"{value!r} is not a time (write it as 2026-11-20T09:14:03Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _address(value: Any, path: Path, line: int | None) -> str | None:
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(str(value))
    except ValueError:
        raise HandbookError(path, line, f"{value!r} is not an IP address") from None
    if not any(address in net for net in DOCUMENTATION_RANGES):
        raise HandbookError(path, line, f"{value} is not in a documentation range (192.0.2.0/24, "
                                        "198.51.100.0/24, 203.0.113.0/24): a scenario never names a real address")
    return str(address)


# ---------------------------------------------------------------------------------------------
# The replay


@dataclasses.dataclass
class Replayed:
    """What a replay left: the kept values and, per service, how many records it wrote."""
    kept: dict[str, str]
    records: dict[str, int]
    actions: int


def run(scenario: Scenario, cli: aws.AwsCli) -> Replayed:
    """Replay the scenario in the caller's fresh mock; a failing call is an error at its line."""
    import botocore.exceptions
    import jmespath
    from botocore import UNSIGNED
    from botocore.config import Config
    from moto.moto_api._internal import mock_random

    from handbook.simulation import clock, signin
    from handbook.simulation import cloudtrail as trail_history
    from handbook.simulation.guardduty import state_of
    from handbook.simulation.logs import put_old_events

    mock_random.seed(scenario.seed)
    records = {"cloudtrail event history": 0, "cloudtrail log files": 0, "s3 server access logs": 0,
               "guardduty findings": 0, "vpc flow logs": 0}
    kept: dict[str, str] = {}
    with clock.frozen(scenario.start):
        for call in scenario.account:
            if call.service == "fixture":
                _fixture_run(scenario, call, cli)
                continue
            admin = _client(cli, call.service, (ADMINISTRATOR["id"], ADMINISTRATOR["secret"], None), None, None)
            _keep(scenario, call, _invoke(scenario, call, admin, botocore.exceptions), kept)
        _pin_keys(scenario, cli)
        history = trail_history.history_for(aws.ACCOUNT_ID, aws.REGION)
        history.record_read_only = True
        before, logged_before = len(history), _access_log_count(aws.ACCOUNT_ID)
        sessions: dict[str, dict] = {}
        for call in scenario.timeline:
            clock.advance(call.at)
            if call.service == "signin":
                key = scenario.keys[call.actor]
                signin.record(key.get("account", aws.ACCOUNT_ID), key["user"], call.operation, call.address, call.args)
                continue
            client = _actor_client(scenario, call, cli, UNSIGNED, Config, sessions)
            if kept:
                call = dataclasses.replace(call, args=json.loads(_fill(json.dumps(call.args), kept)))
            answer = _invoke(scenario, call, client, botocore.exceptions)
            _keep(scenario, call, answer, kept)
            if call.session:
                sessions[call.session] = answer["Credentials"]
        _end_console_sessions(scenario)
        records["cloudtrail event history"] = len(history) - before
        records["s3 server access logs"] = _access_log_count(aws.ACCOUNT_ID) - logged_before
        pending = len(history.undelivered)
        files = trail_history.deliver(aws.ACCOUNT_ID, aws.REGION)
        records["cloudtrail log files"] = pending if files else 0
        from moto.guardduty.models import guardduty_backends

        for line, finding in scenario.findings:
            _finding(scenario, line, finding, kept, cli, state_of(guardduty_backends[aws.ACCOUNT_ID][aws.REGION]))
            records["guardduty findings"] += 1
        for line, flow in scenario.flows:
            lines = [_fill(str(r), kept) for r in flow["records"]]
            put_old_events(flow["group"], _fill(flow["stream"], kept),
                           [{"timestamp": int(r.split()[10]) * 1000, "message": r} for r in lines])
            records["vpc flow logs"] += len(lines)
    return Replayed(kept, records, len(scenario.timeline))


def _fixture_run(scenario: Scenario, call: Call, cli: aws.AwsCli) -> None:
    try:
        NAMED[call.operation](cli, **call.args)
    except Exception as problem:
        raise HandbookError(scenario.path, call.line, f"fixture {call.operation} failed: {problem}") from None


def _keep(scenario: Scenario, call: Call, answer: dict, kept: dict[str, str]) -> None:
    import jmespath

    for name, expression in (call.keep or {}).items():
        value = jmespath.search(expression, answer)
        if value is None:
            raise HandbookError(scenario.path, call.line, f"keep: {expression!r} finds nothing in the "
                                                          f"answer of {call.label}")
        kept[name] = str(value)


def _invoke(scenario: Scenario, call: Call, client: Any, exceptions: Any) -> dict:
    method = getattr(client, _snake(call.operation))
    try:
        return method(**call.args)
    except (exceptions.ClientError, exceptions.BotoCoreError, exceptions.ParamValidationError) as problem:
        raise HandbookError(scenario.path, call.line, f"{call.label} failed in the simulation: {problem}") from None


def _snake(operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)


def _actor_client(scenario: Scenario, call: Call, cli: aws.AwsCli, unsigned: Any, config: Any,
                  sessions: dict) -> Any:
    if call.actor == "anonymous":
        return _client(cli, call.service, None, call.address, config(signature_version=unsigned))
    if call.actor in sessions:  # temporary credentials an earlier call returned (sts.AssumeRole)
        held = sessions[call.actor]
        return _client(cli, call.service, (held["AccessKeyId"], held["SecretAccessKey"], held["SessionToken"]),
                       call.address, None)
    key = scenario.keys[call.actor]
    return _client(cli, call.service, (key["id"], key["secret"], None), call.address, None)


# Clients of the replays, kept: a client costs about 50 ms to make, half a replay's time, and
# serves any mock (moto answers at its send). By session, service, credentials and address.
_CLIENTS: dict[tuple, Any] = {}


def _client(cli: aws.AwsCli, service: str, credentials: tuple | None, address: str | None, config: Any) -> Any:
    key = (id(cli.session), service, credentials, address, config is not None)
    if key in _CLIENTS:
        return _CLIENTS[key]
    signing = {} if credentials is None else {"aws_access_key_id": credentials[0], "aws_secret_access_key": credentials[1],
                                              "aws_session_token": credentials[2]}
    client = cli.session.client(service, region_name=aws.REGION, config=config, **signing)
    if address:
        def forwarded(request: Any, **_: Any) -> None:
            request.headers["X-Forwarded-For"] = address

        client.meta.events.register("before-sign.*.*", forwarded)
    _CLIENTS[key] = client
    return client


def _pin_keys(scenario: Scenario, cli: aws.AwsCli) -> None:
    """Each declared key created for its user, then given the declared id and secret (AWS generates them)."""
    from moto.iam.models import iam_backends

    for actor, spec in scenario.keys.items():
        account = str(spec.get("account", aws.ACCOUNT_ID))
        backend = iam_backends[account]["aws"]
        try:
            if account != aws.ACCOUNT_ID:  # a user of another account (whose key signs cross-account calls)
                if spec["user"] not in backend.users:
                    backend.create_user(region_name=aws.REGION, user_name=spec["user"])
                generated = backend.create_access_key(spec["user"]).access_key_id
            else:
                generated = cli.client("iam").create_access_key(UserName=spec["user"])["AccessKey"]["AccessKeyId"]
        except Exception as problem:
            raise HandbookError(scenario.path, scenario.where.get(("keys", actor)),
                                f"key {actor!r}: no access key for user {spec['user']!r}: {problem}") from None
        key = backend.access_keys.pop(generated)
        key.access_key_id = spec["id"]
        key.secret_access_key = spec["secret"]
        backend.access_keys[key.physical_resource_id] = key


def _end_console_sessions(scenario: Scenario) -> None:
    """A console session's key ends with the session: it is no longer among the user's keys."""
    from moto.iam.models import iam_backends

    for spec in scenario.keys.values():
        if spec.get("console"):
            backend = iam_backends[str(spec.get("account", aws.ACCOUNT_ID))]["aws"]
            backend.delete_access_key(spec["id"], spec["user"])


def _access_log_count(account: str) -> int:
    from moto.s3.models import s3_backends

    backend = s3_backends[account]["aws"]
    targets = {b.logging.get("TargetBucket") for b in backend.buckets.values() if b.logging}
    return sum(len(backend.buckets[t].keys) for t in targets if t in backend.buckets)


def _fill(text: str, kept: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: kept[m.group(1)], text)


def _finding(scenario: Scenario, line: int, spec: dict, kept: dict, cli: aws.AwsCli, state: Any) -> None:
    from handbook.simulation.guardduty import SAMPLE

    detector = _fill(str(spec["detector"]), kept)
    stored = state.detector_findings(detector)
    before = set(stored)
    try:
        cli.client("guardduty").create_sample_findings(DetectorId=detector, FindingTypes=[spec["type"]])
    except Exception as problem:
        raise HandbookError(scenario.path, line, f"the finding could not be made: {problem}") from None
    [generated] = set(stored) - before
    finding = stored.pop(generated)
    text = json.dumps(finding)
    at = _time(spec["at"], scenario.path, line).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if spec.get("key"):
        key = scenario.keys[spec["key"]]
        text = text.replace(SAMPLE["access_key"], key["id"]).replace(SAMPLE["user"], key["user"])
    if spec.get("from"):
        text = text.replace(f'"{SAMPLE["ip"]}"', f'"{spec["from"]}"')
    if spec.get("bucket"):
        text = text.replace(SAMPLE["bucket"], str(spec["bucket"]))
    if "instance" in kept:
        text = text.replace(SAMPLE["instance"], kept["instance"])
    finding = json.loads(text)
    finding["id"] = str(spec["id"])
    finding["arn"] = finding["arn"].rsplit("/", 1)[0] + "/" + finding["id"]
    if "severity" in spec:
        finding["severity"] = float(spec["severity"])
    finding["createdAt"] = finding["updatedAt"] = at
    finding["service"]["eventFirstSeen"] = finding["service"]["eventLastSeen"] = at
    stored[finding["id"]] = finding


# Accounts as their replay left them (handbook.simulation.snapshot), by scenario file and version.
_PREPARED: dict[tuple, tuple[Any, Replayed]] = {}


def prepared(name: str, cli: aws.AwsCli, folder: Path | None = None) -> Replayed:
    """The account of scenario `name` after its replay, in the caller's mock (the `scenario` fixture).

    The first time, the scenario is replayed and the account kept; afterwards a fresh mock gets
    a copy of that account instead of a new replay (the same records, ids and answers, in a few
    hundredths of a second). A mock that already holds something gets a replay on top of it.
    """
    from handbook.simulation import snapshot

    path = path_of(name, folder).resolve()
    key = (str(path), path.stat().st_mtime_ns if path.exists() else None, id(cli))
    if key in _PREPARED and snapshot.is_untouched():
        kept, replayed = _PREPARED[key]
        snapshot.restore(kept)
        return dataclasses.replace(replayed, kept=dict(replayed.kept), records=dict(replayed.records))
    fresh = snapshot.is_untouched()
    replayed = run(load(path), cli)
    if fresh:
        _PREPARED[key] = (snapshot.take(), replayed)
    return replayed
