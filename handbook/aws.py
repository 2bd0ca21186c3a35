"""The real awscli, run in-process, with a guard that no request ever leaves the machine.

Import this module before boto3, botocore or moto. awscli 1.44+ vendors its own botocore
and, once awscli is imported, `import botocore` resolves to that copy; boto3 and moto must
share it, or moto patches one copy while awscli sends through the other.

Two ways to run a command (argv without the leading "aws"):

- `AwsCli.parse(argv)`: awscli parses the command line (argparse, shorthand and JSON
  arguments, file:// reads) and botocore validates the parameters against the API model;
  a handler answers every API call with an empty 200 before anything is sent.
- `AwsCli.simulate(argv)`: the command runs against moto. The caller owns the mock
  (`with mock():`), so a setup and several commands can share one simulated account.

moto (and boto3, which only setups use) are imported on first use, never for parsing: a
parse-only check (`handbook check` on a runbook) starts without paying for them.

One driver serves every command of the process, so nothing a command registers may outlive
it, and what building an operation's tables registers serves that operation only, as in a
process that runs one command (handbook.registrations).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import logging
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import awscli  # noqa: F401  -- first, so botocore below is awscli's vendored copy
import awscli.clidriver
from awscli.customizations.configure.writer import ConfigFileWriter

import botocore
import botocore.client
import botocore.endpoint
import botocore.loaders
import botocore.waiter
import botocore.httpsession
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody

from handbook import awsfast, registrations

if not Path(botocore.__file__).is_relative_to(Path(awscli.__file__).parent):
    raise ImportError(
        f"botocore was imported from {botocore.__file__} before awscli; import handbook.aws "
        "before boto3, botocore or moto so that all of them share awscli's vendored botocore"
    )

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account, also the one the handbook's examples use

# Environment for every run: fake identity, a fixed region, no config files, no metadata service.
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/handbook/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/handbook/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_MAX_ATTEMPTS": "1",  # an unimplemented operation fails at once instead of retrying
    "AWS_RETRY_MODE": "standard",
    # moto fills every new EC2 backend with ~10,000 public AMIs (a third of a second, at each
    # mock start): the examples name their AMIs themselves and list none.
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}
# Variables that would point a run at a real account, a profile or another endpoint.
UNSET = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_ROLE_ARN",
         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")


class NetworkBlocked(RuntimeError):
    """A request reached the HTTP layer: nothing intercepted it, so it would have gone out."""


class ProgramRefused(RuntimeError):
    """awscli was about to start a program (ssh, session-manager-plugin, npm, a pager)."""


# The machine's own awscli state is never read: ~/.aws/models (service models a person added,
# which awscli would load), ~/.aws/cli/alias (aliases), caches. A driver is built with its
# home here, and a run (see _contained) with its home in the run's scratch directory.
NOWHERE = Path("/nonexistent/handbook")
botocore.loaders.Loader.CUSTOMER_DATA_PATH = str(NOWHERE / "models")
# Where awscli customizations start programs: `emr ssh`/`emr get` (ssh, scp), `ssm start-session`
# and `ecs execute-command` (session-manager-plugin), `codeartifact login` (npm, pip, twine),
# `help` (a pager). (module, name it calls them by)
PROGRAM_STARTERS = (("subprocess", "Popen"), ("awscli.help", "Popen"),
                    ("awscli.customizations.sessionmanager", "check_call"),
                    ("awscli.customizations.sessionmanager", "check_output"),
                    ("awscli.customizations.ecs.executecommand", "check_call"))


_blocked: list[str] = []  # URLs stopped by the guard, so a runner can tell a trip from an AWS error


def _refuse_to_send(self, request):
    _blocked.append(request.url)
    raise NetworkBlocked(
        f"refused to send {request.method} {request.url}: nothing simulated this request "
        "(outside mock(), or an endpoint moto does not serve), and the handbook never contacts AWS"
    )


def isolate() -> None:
    """Fake credentials, a fixed region and no way out; safe to call any number of times."""
    for name in UNSET:
        os.environ.pop(name, None)
    os.environ.update(ENVIRONMENT)
    # The class is shared by every botocore client, awscli's included: patch it once, for all.
    botocore.httpsession.URLLib3Session.send = _refuse_to_send


isolate()  # on import: whatever uses this module is guarded before it can make a call


def is_isolated() -> bool:
    return botocore.httpsession.URLLib3Session.send is _refuse_to_send and all(
        os.environ.get(k) == v for k, v in ENVIRONMENT.items()
    )


def mock():
    """moto's mock_aws, for `with mock(): ...` around a setup and the commands that use it."""
    import moto

    return moto.mock_aws()


def is_mocked() -> bool:
    models = sys.modules.get("moto.core.models")  # never imported: nothing can be mocked
    return bool(models and models.botocore_stubber.enabled)


@dataclass(frozen=True)
class ApiCall:
    """One API operation a command made, with the parameters awscli built from its arguments."""

    service: str  # botocore service name, e.g. "guardduty"
    operation: str  # e.g. "ListFindings"
    model: object = field(repr=False)  # botocore OperationModel
    params: dict = field(repr=False)


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    mode: str  # "parse" or "simulate"
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    calls: tuple[ApiCall, ...]
    requests: int = 0  # requests that got past awscli and botocore to the sending stage
    answered: int = 0  # parse mode: calls validated and answered without sending
    exception: str = ""  # the type of what awscli reported as its failure, if it raised

    @property
    def needed_an_answer(self) -> bool:
        """Parse mode: awscli and botocore accepted the command and its first call, then a
        customization read what the empty answer lacks (`emr ssh` the cluster's address,
        `eks update-kubeconfig` the cluster, `cloudtrail validate-logs` the trail): the
        command is sound, only a real account could take it further."""
        return self.mode == "parse" and self.answered > 0 and self.exception in ANSWER_LACKING

    @property
    def stopped_before_a_program(self) -> bool:
        return self.exception == ProgramRefused.__name__

    @property
    def wanted_input(self) -> bool:
        """It prompted (`aws configure`) and found no one to answer: stdin is empty in a run."""
        return self.exception == EOFError.__name__

    @property
    def rejected(self) -> bool:
        """awscli or botocore refused the command itself; a simulated service's error is not that."""
        return not self.ok and (self.mode == "parse" or self.requests == 0)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def message(self) -> str:
        """What awscli said went wrong, on one line, without its usage banner or choice tables."""
        text = self.stderr
        if "aws <command> <subcommand> help" in text:  # argparse: banner, then the error
            text = text.rsplit("aws <command> <subcommand> help", 1)[1]
        lines = [line for line in text.splitlines() if " | " not in line]  # "valid choices" table
        text = re.sub(r"^\S+: error: ", "", " ".join(" ".join(lines).split()))
        text = text.replace(", valid choices are:", "")
        if "Invalid choice: '" in text:  # "argument operation: Invalid choice Invalid choice: 'x', ..."
            text = text[text.index("Invalid choice: '"):].replace(": *", ":")
        return text


class AwsCli:
    """One awscli driver, kept for the life of the process: service models load only once."""

    def __init__(self):
        isolate()
        with _home(NOWHERE / "home"):  # aliases are read once, here: none of the machine's
            self._driver = awscli.clidriver.create_clidriver()
        events = self._driver.session.get_component("event_emitter")
        # First on the list, so the parameters are recorded as awscli built them.
        events.register_first("before-parameter-build", self._record_call)
        events.register_first("before-call", self._answer_without_sending)
        events.register_first("before-send", self._count_request)  # moto answers right after
        _no_url_parameters(events)
        awsfast.adopt(self._driver, events)  # shared handler tables, kept models and parser
        self._registrations = registrations.Registrations(events)  # what a command registers ends with it
        self._clients_kept = awsfast.ClientShelf(self._driver.session, when=lambda: self._parsing)
        # moto adds its stubber to botocore's built-in handlers when imported: a driver made
        # before that (a parse-only check) gets it when it first simulates (_stub_with_moto).
        self._stubbed = "moto.core.models" in sys.modules
        self._requests = 0
        self._answered = 0
        self._exception: BaseException | None = None
        self._parsing = False
        self._calls: list[ApiCall] = []
        self._clients: dict[str, object] = {}
        self._region_patterns: list | None = None
        self._parse_folder: tempfile.TemporaryDirectory | None = None

    @functools.cached_property
    def session(self):
        """A boto3 session for setups; mock_aws resets boto3's default one each time it starts."""
        import boto3

        return boto3.session.Session(region_name=REGION)

    def parse(self, argv: list[str]) -> Run:
        """awscli parses and botocore validates `argv`; nothing is executed.

        Runs in an empty temporary directory: `s3 cp s3://... here.txt` still writes a file.
        """
        self._parsing = True
        scratch = self._parse_scratch()
        try:
            with _replaced(botocore.waiter.Waiter, "wait", _wait_once), \
                    contextlib.chdir(scratch):  # an empty answer never ends a wait: one call
                return self._run(argv, "parse", scratch)
        finally:
            self._parsing = False

    def _parse_scratch(self) -> Path:
        """The folder parses run in, emptied before each (a new one a parse cost 0.3 ms)."""
        if self._parse_folder is None:
            self._parse_folder = tempfile.TemporaryDirectory(prefix="handbook-parse-")
        scratch = Path(self._parse_folder.name)
        for entry in os.scandir(scratch):  # only the empty home of _contained, almost always
            folder = entry.is_dir(follow_symlinks=False)
            if folder and not (entry.name == "home" and not any(os.scandir(entry.path))):
                shutil.rmtree(entry.path)
            elif not folder:
                os.unlink(entry.path)
        return scratch

    def simulate(self, argv: list[str], cwd: Path | str | None = None) -> Run:
        """Run `argv` against moto; only inside `with mock():`, so that nothing can leave."""
        if not is_mocked():
            raise RuntimeError("AwsCli.simulate runs only inside `with handbook.aws.mock():`")
        self._stub_with_moto()
        with tempfile.TemporaryDirectory(prefix="handbook-run-") as scratch:
            with contextlib.chdir(cwd or scratch):
                return self._run(argv, "simulate", Path(scratch))

    def _stub_with_moto(self) -> None:
        if not self._stubbed:
            from moto.core.models import botocore_stubber

            events = self._driver.session.get_component("event_emitter")
            # Where BUILTIN_HANDLERS would have put it, ahead of awscli's own handlers; the
            # request count stays first.
            events.unregister("before-send", self._count_request)
            events.register_first("before-send", botocore_stubber)
            events.register_first("before-send", self._count_request)
            self._stubbed = True

    def is_region_name(self, name: str) -> bool:
        """Whether `name` has the form of a region of some AWS partition (botocore's endpoint data)."""
        if self._region_patterns is None:
            endpoints = self._driver.session.get_component("data_loader").load_data("endpoints")
            self._region_patterns = [re.compile(p["regionRegex"]) for p in endpoints["partitions"]]
        return any(pattern.match(name) for pattern in self._region_patterns)

    def options(self, command: str, subcommand: str) -> frozenset[str] | None:
        """The options `aws <command> <subcommand>` accepts, global ones included; None if unknown.

        awscli reports a missing required option before an unknown one: this lets a checker
        name the misspelt option too. It reads awscli's command tables, hence the caution.
        """
        try:
            service = self._driver._get_command_table()[command]
            table = getattr(service, "subcommand_table", None) or service._get_command_table()
            names = set(table[subcommand].arg_table) | set(self._driver._get_argument_table())
        except (KeyError, AttributeError, TypeError):
            return None
        return frozenset("--" + name for name in names)

    def arguments(self, command: str, subcommand: str) -> dict | None:
        """awscli's argument objects of `aws <command> <subcommand>` by name (each with its
        botocore `argument_model` when it has one); None when awscli has no such command."""
        try:
            service = self._driver._get_command_table()[command]
            table = getattr(service, "subcommand_table", None) or service._get_command_table()
            return dict(table[subcommand].arg_table)
        except (KeyError, AttributeError, TypeError):
            return None

    def operation_model(self, command: str, subcommand: str):
        """The botocore operation behind `aws <command> <subcommand>`, or None (s3 ls, ...)."""
        try:
            service = self._driver._get_command_table()[command]
            table = getattr(service, "subcommand_table", None) or service._get_command_table()
            return getattr(table[subcommand], "_operation_model", None)
        except (KeyError, AttributeError, TypeError):
            return None

    def client(self, service: str):
        """A boto3 client on the long-lived session, for setting up what a command needs."""
        if service not in self._clients:  # a client costs ~20 ms to build; moto serves it either way
            self._clients[service] = self.session.client(service, region_name=REGION)
        return self._clients[service]

    def _run(self, argv, mode, scratch: Path) -> Run:
        isolate()  # moto restores the variables it set when a mock stops; set ours again
        self._clients_kept.new_command()
        self._calls = []
        self._requests = 0
        self._answered = 0
        self._exception = None
        blocked_before = len(_blocked)
        # awscli writes text to sys.stdout and bytes to sys.stdout.buffer (s3 cp -): offer both.
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        stderr = io.StringIO()
        start = time.perf_counter()
        # awscli stores --region, --profile, --output ... on the session for the rest of the
        # process (its process runs one command): they must not outlive this one. Likewise the
        # handlers the command registers on the session (s3api get-object's outfile took the
        # Body of every later GetObject): see handbook.registrations.
        session = self._driver.session
        session_vars = dict(session._session_instance_vars)
        reporting = awscli.clidriver.write_exception

        def report(exception, outfile):  # what failed, by its type, not only its words
            self._exception = exception
            reporting(exception, outfile)

        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), _contained(scratch), \
                self._registrations.command(), _loggers_kept(), \
                _replaced(awscli.clidriver, "write_exception", report), \
                _replaced(botocore.endpoint.EndpointCreator, "_get_proxies", awsfast.no_proxies):
            try:
                exit_code = self._driver.main(list(argv))
            except SystemExit as stop:  # argparse reports usage errors by exiting
                exit_code = stop.code if isinstance(stop.code, int) else 2
            finally:
                session._session_instance_vars.clear()
                session._session_instance_vars.update(session_vars)
        seconds = time.perf_counter() - start
        stdout.flush()
        if len(_blocked) > blocked_before:
            raise NetworkBlocked(f"`aws {' '.join(argv)}` tried to reach {_blocked[-1]}; "
                                 f"awscli said: {stderr.getvalue().strip()}")
        return Run(tuple(argv), mode, exit_code, stdout.buffer.getvalue().decode("utf-8"),
                   stderr.getvalue(), seconds, tuple(self._calls), self._requests, self._answered,
                   type(self._exception).__name__ if self._exception else "")

    def _record_call(self, params, model, **_):
        try:
            params = copy.deepcopy(params)
        except Exception:  # file objects (s3 uploads) do not copy; the values are still readable
            params = dict(params)
        self._calls.append(ApiCall(model.service_model.service_name, model.name, model, params))

    def _count_request(self, **_):
        self._requests += 1

    def _answer_without_sending(self, model, **_):
        if not self._parsing:
            return None
        # Everything awscli and botocore check has run by now: answer instead of sending.
        self._answered += 1
        asked = self._calls[-1].params if self._calls else {}
        answer = PARSE_ANSWERS.get((model.service_model.service_name, model.name), lambda _: {})(asked)
        answer["ResponseMetadata"] = {"HTTPStatusCode": 200, "RequestId": "parse-only",
                                      "HTTPHeaders": {}}
        return AWSResponse("https://parse-only.invalid/", 200, {}, None), answer


# Parse mode answers every call with an empty 200. awscli's own s3 transfer commands read a
# few fields of the answer before moving on: give them an empty object instead of a KeyError.
# `s3 ls` exits 1 when a listing is empty: it gets one empty object, under the prefix asked
# for (`s3 sync s3://b/AWSLogs/ ./logs/` places each key by its path below the prefix).
# Each answer is made from the call's parameters.
PARSE_ANSWERS = {
    ("s3", "ListObjectsV2"): lambda asked: {
        "Contents": [{"Key": asked.get("Prefix", "") + "example", "Size": 0, "LastModified": _EPOCH}],
        "CommonPrefixes": [{"Prefix": asked.get("Prefix", "") + "example/"}]},
    ("s3", "HeadObject"): lambda _: {"ContentLength": 0, "ETag": '"0"', "LastModified": _EPOCH},
    ("s3", "GetObject"): lambda _: {"ContentLength": 0, "ETag": '"0"', "LastModified": _EPOCH,
                                    "Body": StreamingBody(io.BytesIO(b""), 0)},
}
_EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"  # awscli keeps timestamps as the text it received


# What a customization raises when it reads an answer that lacks what a real one has.
ANSWER_LACKING = {"KeyError", "IndexError", "TypeError", "AttributeError", "EKSClusterError"}


@contextlib.contextmanager
def _replaced(owner, name: str, value):
    """`owner.name` is `value` for the time of the block."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


@contextlib.contextmanager
def _loggers_kept():
    """The loggers a command configures are put back as they were before it: awscli adds a
    handler to its logger at every command (`set_stream_logger`, for ERROR) and sets it to DEBUG,
    so a long-lived driver gathered one handler a command, each asked about every later debug
    message and each printing an error once more."""
    saved = [(logging.getLogger(name), logging.getLogger(name).level, list(logging.getLogger(name).handlers))
             for name in ("awscli", "botocore", "s3transfer", "urllib3")]
    try:
        yield
    finally:
        for logger, level, handlers in saved:
            logger.handlers[:] = handlers
            logger.setLevel(level)


@contextlib.contextmanager
def _home(home: Path):
    saved = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved


@contextlib.contextmanager
def _contained(scratch: Path):
    """A run leaves the machine as it found it and depends on nothing of it: awscli's `~`
    (what `configure add-model` writes, kubeconfig, .npmrc, caches, history) is the run's
    scratch directory and the AWS configuration file is never written (`configure set`,
    `emr create-default-roles`); a prompt reads an empty stdin instead of waiting for a person;
    a program awscli would start is refused (ProgramRefused), after everything before it was checked."""
    home = scratch / "home"
    home.mkdir(exist_ok=True)
    with contextlib.ExitStack() as stack:
        stack.enter_context(_home(home))
        stack.enter_context(_replaced(botocore.loaders.Loader, "CUSTOMER_DATA_PATH", str(home / ".aws" / "models")))
        stack.enter_context(_replaced(ConfigFileWriter, "update_config", _keep_configuration))
        # empty, as text and as bytes (`s3 cp - s3://...` reads sys.stdin.buffer)
        stack.enter_context(_replaced(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")))
        for module_name, name in PROGRAM_STARTERS:
            if hasattr(module := sys.modules.get(module_name), name):
                stack.enter_context(_replaced(module, name, _refuse_program))
        yield


def _refuse_program(command, *args, **kwargs):
    shown = shlex.join(command) if isinstance(command, (list, tuple)) else str(command)
    raise ProgramRefused(f"awscli would now start `{shown}`; a check starts no program")


def _keep_configuration(self, new_values, config_filename, **_):
    """No command run here writes the AWS configuration file (it is the machine's, not the run's)."""
    return None


def _no_url_parameters(events) -> None:
    """file:// and fileb:// read, an http(s):// URL kept as the value, never fetched.

    awscli registers a new parameter-file handler at every command ('session-initialized'),
    so a long-lived driver piled them up; and awscli v1 fetches a parameter value that is a
    URL unless `cli_follow_urlparam = false` (AWS CLI v2's only behaviour), which the guard
    refused (`--provider-endpoint https://...`). One handler, registered once, local files only.
    """
    from awscli.paramfile import LOCAL_PREFIX_MAP, URIArgumentHandler, register_uri_param_handler

    events.unregister("session-initialized", register_uri_param_handler)
    events.register("load-cli-arg", URIArgumentHandler(dict(LOCAL_PREFIX_MAP)))


def _wait_once(self, **kwargs):
    """`aws ... wait ...` when parsing: the waiter's operation is called (validated) once."""
    kwargs.pop("WaiterConfig", None)
    self._operation_method(**kwargs)


_shared: AwsCli | None = None


def shared(*, simulation: bool = False) -> AwsCli:
    """The process's one AwsCli (a few tenths of a second to build, then a few ms a command).

    With `simulation`, moto is imported first, and a driver built before it is replaced, so
    that moto's stubber sits among botocore's built-in handlers exactly as moto places it.
    """
    global _shared
    if simulation:
        import moto.core.models  # noqa: F401

    if _shared is None or (simulation and not _shared._stubbed):
        _shared = AwsCli()
    return _shared
