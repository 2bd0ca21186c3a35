"""What makes `handbook.aws`'s long-lived awscli driver fast, each part doing what awscli and
botocore do, only once or without copying (handbook.aws imports it; see bench/runbook.py).

For every process (boto3's and moto's clients too):
- botocore's JSON models decode into dicts, not OrderedDicts (same order, half the time);
- botocore's data folders are walked once for every model type, not once a type;
- whether a plain function takes **kwargs is read from its code, not from `inspect` (botocore
  asks at every handler registered: ~600 for a driver, ~5 a command).

For the drivers `adopt` takes (handbook.aws's):
- one client class per service (botocore built one, ~750 methods for EC2, at every client);
- one ServiceModel per service and API version (botocore built one, and all its operation
  models, at every client);
- the handler table of the session's event emitter is a `SharedTrie`: each client's copy shares
  its nodes instead of copying ~1,000 of them;
- the event names an emitter translates (botocore's old names to new: ~100 tried on each) are
  remembered by all the copies of the driver's emitter, not by each new client's alone;
- awscli's top-level parser is built once, a service's and an operation's once for each table;
- awscli's logger stays at WARNING where botocore's `set_stream_logger` sets it to DEBUG with a
  handler for ERROR: the same lines printed, without building ~100 debug records a command;
- a run's clients skip botocore's proxy look-up (`no_proxies`);
- a `ClientShelf` keeps the clients of parse-only runs for the next command that asks for the
  same client (`handbook.aws` decides when; see the class).
"""

from __future__ import annotations

import copy
import inspect
import itertools
import json
import logging
import os
import types

import awscli  # noqa: F401  -- first, so botocore below is awscli's vendored copy
import awscli.clidriver

import botocore
import botocore.client
import botocore.hooks
import botocore.loaders

from handbook import prebuilt

adopted: list = []  # the event emitters of handbook.aws's drivers (compared by identity)


def adopt(driver, events) -> None:
    """Make `driver` (its session's event emitter `events`) fast: see the module's note."""
    adopted.append(events)
    events._emitter._handlers.__class__ = SharedTrie  # clients' copies share its nodes
    events.__class__ = SharedAliases
    _main_parser_once(driver)
    _quiet_stream_logger(driver.session)


botocore_accepts_kwargs = botocore.hooks.accepts_kwargs


def _accepts_kwargs(func) -> bool:
    """botocore's question (`inspect.getfullargspec(func).varkw`), answered from the code of a
    plain function or method; anything else (a partial, a callable object, a function with its
    own __signature__) is asked of `inspect` as botocore asks it."""
    function = func.__func__ if type(func) is types.MethodType else func
    if type(function) is types.FunctionType and "__signature__" not in function.__dict__:
        return bool(function.__code__.co_flags & inspect.CO_VARKEYWORDS)
    return botocore_accepts_kwargs(func)


botocore.hooks.accepts_kwargs = _accepts_kwargs


class SharedAliases(botocore.hooks.EventAliaser):
    """An adopted driver's emitter, whose copies (one a client) share the names it has
    translated: the translation depends only on the aliases, which a copy copies unchanged."""

    def __copy__(self):
        copied = super().__copy__()
        copied.__class__ = SharedAliases
        copied._alias_name_cache = self._alias_name_cache
        return copied

    def _alias_event_name(self, event_name):
        """botocore's translation, asked only of a name some alias applies to: botocore splits
        the name again for each of its ~100 aliases before it finds that none does (most names)."""
        translated = self._alias_name_cache.get(event_name)
        if translated is not None:
            return translated
        parts = event_name.split(".")
        if any((old in parts) if "." not in old else (old in event_name) for old in self._event_aliases):
            return super()._alias_event_name(event_name)
        self._alias_name_cache[event_name] = event_name
        return event_name


# awscli builds a client at every command, and with it a client class holding one method per
# operation of the service (EC2: ~750). For an adopted driver a class is built once per service:
# it depends only on the service model and on the session's `creating-client-class` handlers,
# which a driver registers once. boto3's and moto's clients are unaffected.
class_cache: dict[tuple, type] = {}
_create_client_class = botocore.client.ClientCreator._create_client_class


def _client_class_once(self, service_name, service_model):
    if not any(self._event_emitter is mine for mine in adopted):
        return _create_client_class(self, service_name, service_model)
    key = (id(self._event_emitter), service_name, service_model.api_version)
    if key not in class_cache:
        class_cache[key] = _create_client_class(self, service_name, service_model)
    return class_cache[key]


botocore.client.ClientCreator._create_client_class = _client_class_once


def _load_json(self, full_path, open_method):
    """botocore's JSON model loading, into plain dicts: botocore asks for OrderedDicts, which
    take twice as long to decode (EC2's model: about 0.1 s) and keep the same order as a dict."""
    if not os.path.isfile(full_path):
        return None
    kept = prebuilt.model(full_path)  # its pickle, when set up (handbook.prebuilt)
    if kept is not None:
        data, names = kept
        botocore._xform_cache.update(names)  # what xform_name would compute for them
        return data
    with open_method(full_path, "rb") as fp:
        return json.loads(fp.read().decode("utf-8"))


botocore.loaders.JSONFileLoader._load_file = _load_json
botocore_list_available_services = botocore.loaders.Loader.list_available_services


def _services_from_one_walk(self, type_name):
    """botocore's list of the services that have a `type_name` model, from one walk of its data
    folders for every type: botocore walks them again for each type (service-2, paginators-1,
    waiters-2, ...), two stats a service and version each time (~8,000 for a cold check)."""
    if type(self.file_loader) is not botocore.loaders.JSONFileLoader:
        return botocore_list_available_services(self, type_name)
    cache_key = ("list_available_services", type_name)
    if cache_key not in self._cache:
        if "handbook-walk" not in self._cache:  # {(folder, service): [file names of each version]}
            walk = {}
            for folder in self._potential_locations():
                for service in os.scandir(folder):
                    if service.is_dir():
                        walk[folder, service.name] = [
                            {f.name for f in os.scandir(version.path) if f.is_file()}
                            for version in os.scandir(service.path) if version.is_dir()]
            self._cache["handbook-walk"] = walk
        wanted = {type_name + extension for extension in botocore.loaders._JSON_OPEN_METHODS}
        self._cache[cache_key] = sorted({service for (_, service), versions in self._cache["handbook-walk"].items()
                                         if any(wanted & names for names in versions)})
    return self._cache[cache_key]


botocore.loaders.Loader.list_available_services = _services_from_one_walk

# A client's ServiceModel wraps the JSON model the loader already keeps, and builds its operation
# models anew (botocore reads all of them at every client, to find an endpoint discovery
# operation: EC2's ~750, a tenth of a command's time). For an adopted driver one ServiceModel
# per service and API version serves every command.
model_cache: dict[tuple, object] = {}
_load_service_model = botocore.client.ClientCreator._load_service_model


def _service_model_once(self, service_name, api_version=None):
    if not any(self._event_emitter is mine for mine in adopted):
        return _load_service_model(self, service_name, api_version)
    key = (id(self._event_emitter), service_name, api_version)
    if key not in model_cache:
        model_cache[key] = _load_service_model(self, service_name, api_version)
    return model_cache[key]


botocore.client.ClientCreator._load_service_model = _service_model_once


class SharedTrie(botocore.hooks._PrefixTrie):
    """The handler table of an adopted driver's event emitter, copied without copying.

    botocore gives every client a copy of the session's handler table (~1,000 nodes for awscli's
    session: a third of a command's time). Here a copy shares the nodes, and a change (a handler
    registered or removed, by the session or by one client) first copies the nodes on its key's
    path, from the root down, and the handler lists of the node it changes: no node another
    table can reach is ever changed in place. What each table holds, and in what order, is
    exactly what botocore's copies would hold.
    """

    version = 0  # which state of the table this is: a change takes a number never used before

    def __copy__(self):
        copied = self.__class__()
        copied._root = self._root
        copied.version = self.version
        return copied

    def _own_path(self, key_parts) -> None:
        current = {**self._root, "children": dict(self._root["children"])}
        self._root = current
        for index, part in enumerate(key_parts):
            child = current["children"].get(part)
            if child is None:
                return
            child = {**child, "children": dict(child["children"])}
            if index == len(key_parts) - 1 and child["values"] is not None:
                child["values"] = botocore.hooks.NodeList(*(list(handlers) for handlers in child["values"]))
            current["children"][part] = child
            current = child

    def append_item(self, key, value, section=botocore.hooks._MIDDLE):
        self._own_path(key.split("."))
        self.version = next(_versions)
        super().append_item(key, value, section)

    def remove_item(self, key, value):
        self._own_path(key.split("."))
        self.version = next(_versions)
        super().remove_item(key, value)


_versions = itertools.count(1)


class ClientShelf:
    """The clients of one driver's session, kept for the next command that asks for the same.

    awscli builds a client at every command (a third of a warm command's time: its configuration,
    endpoint rules and HTTP pool, all for a request a parse never sends). A kept client is handed
    out again when everything it was built from is the same: the arguments awscli passes, the
    session's own variables (--region, --output ... of the command), and the state of the
    session's handler table it copied (`SharedTrie.version`: a handler a command registered
    before its client, an outfile's, makes another client). Its own handler table goes back to
    what it was when built, so nothing a command registered on it outlives the command; one
    client is handed out once a command, as awscli would have built two.
    """

    def __init__(self, session, *, when):
        self._session = session
        self._create = session.create_client
        self._when = when  # whether the command now running may share its clients
        self._kept: dict[tuple, tuple] = {}
        self._out: set[tuple] = set()
        session.create_client = self.create_client

    def new_command(self) -> None:
        self._out.clear()

    def create_client(self, service_name, region_name=None, api_version=None, use_ssl=True, verify=None,
                      endpoint_url=None, aws_access_key_id=None, aws_secret_access_key=None,
                      aws_session_token=None, config=None, aws_account_id=None):
        arguments = dict(region_name=region_name, api_version=api_version, use_ssl=use_ssl, verify=verify,
                         endpoint_url=endpoint_url, aws_access_key_id=aws_access_key_id,
                         aws_secret_access_key=aws_secret_access_key, aws_session_token=aws_session_token,
                         config=config, aws_account_id=aws_account_id)
        if not self._when():
            return self._create(service_name, **arguments)
        session = self._session
        options = None if config is None else sorted((k, repr(v)) for k, v in config._user_provided_options.items())
        key = (service_name, repr(sorted((k, repr(v)) for k, v in arguments.items() if k != "config")), repr(options),
               repr(sorted(session._session_instance_vars.items())),
               session.get_component("event_emitter")._emitter._handlers.version)
        if key in self._out or key not in self._kept:
            client = self._create(service_name, **arguments)
            if key not in self._out:
                if len(self._kept) >= 200:  # bounded: options that vary without end (--endpoint-url)
                    self._kept.clear()
                self._kept[key] = (client, copy.copy(client.meta.events._emitter))
                self._out.add(key)
            return client
        client, built = self._kept[key]
        client.meta.events._emitter = copy.copy(built)
        self._out.add(key)
        return client


def no_proxies(self, url):
    """No request leaves a run (parse mode answers before sending, moto in a simulation): its
    clients need no proxy, and botocore's look-up reads the whole environment at every client."""
    return {}


def _main_parser_once(driver) -> None:
    """awscli builds its top-level parser (aws [options] <command>, ~400 commands) at every
    command; it depends only on the command table, which the driver keeps: build it once."""
    build = driver._create_parser
    built: dict[int, tuple] = {}

    def parser_of(command_table):
        if id(command_table) not in built:  # the table is kept with it: its id stays its own
            built[id(command_table)] = (command_table, build(command_table))
        return built[id(command_table)][1]

    driver._create_parser = parser_of


def _quiet_stream_logger(session) -> None:
    """botocore's `set_stream_logger(name, level)` sets the logger to DEBUG and its new handler to
    `level`: awscli calls it at every command for ERROR. Records below WARNING then reach no
    handler (the root has none; Python's last resort prints WARNING and above), so a logger at
    WARNING prints the same lines without building the debug records first."""
    set_stream_logger = session.set_stream_logger

    def configure(logger_name, log_level, stream=None, format_string=None):
        set_stream_logger(logger_name, log_level, stream, format_string)
        if isinstance(log_level, int) and log_level >= logging.WARNING:
            logging.getLogger(logger_name).setLevel(logging.WARNING)

    session.set_stream_logger = configure


service_parser = awscli.clidriver.ServiceCommand._create_parser
operation_parser = awscli.clidriver.ServiceOperation._create_operation_parser
operation_help = awscli.clidriver.ServiceOperation._add_help


def _service_parser_once(self):
    """A service's parser (`aws ec2 <operation>`) depends on its command table only, whose keys it
    reads at each parse: built once for the table the command keeps."""
    table = self._get_command_table()
    kept = self.__dict__.get("_handbook_parser")
    if kept is not None and kept[0] is table:
        table["help"] = self.create_help_command()  # as awscli does before building
        return kept[1]
    parser = service_parser(self)
    self._handbook_parser = (table, parser)
    return parser


def _operation_parser_once(self, arg_table):
    """An operation's parser, built again only when its argument table changed: other arguments,
    or one made optional (`--no-required-args` and EMR's customizations do that for a command)."""
    # the arguments themselves, kept alive with the parser (an id could be a new object's)
    shape = tuple((name, argument, getattr(argument, "required", None)) for name, argument in arg_table.items())
    kept = self.__dict__.get("_handbook_parser")
    if kept is not None and kept[0] is arg_table and kept[1] == shape:
        return kept[2]
    parser = operation_parser(self, arg_table)
    self._handbook_parser = (arg_table, shape, parser)
    return parser


def _operation_help_once(self, parser):
    """awscli adds the `help` positional to each parser it has just built; a kept one has it."""
    if not getattr(parser, "_handbook_help", False):
        operation_help(self, parser)
        parser._handbook_help = True


awscli.clidriver.ServiceCommand._create_parser = _service_parser_once
awscli.clidriver.ServiceOperation._create_operation_parser = _operation_parser_once
awscli.clidriver.ServiceOperation._add_help = _operation_help_once
