"""What makes `handbook.aws`'s long-lived awscli driver fast, each part doing what awscli and
botocore do, only once or without copying (handbook.aws imports it; see bench/runbook.py).

For every process (boto3's and moto's clients too):
- botocore's JSON models decode into dicts, not OrderedDicts (same order, half the time);
- botocore's data folders are walked once for every model type, not once a type.

For the drivers `adopt` takes (handbook.aws's):
- one ServiceModel per service and API version (botocore built one, and all its operation
  models, at every client);
- the handler table of the session's event emitter is a `SharedTrie`: each client's copy shares
  its nodes instead of copying ~1,000 of them;
- awscli's top-level parser is built once;
- a run's clients skip botocore's proxy look-up (`no_proxies`).
"""

from __future__ import annotations

import json
import os

import awscli  # noqa: F401  -- first, so botocore below is awscli's vendored copy

import botocore.client
import botocore.hooks
import botocore.loaders

adopted: list = []  # the event emitters of handbook.aws's drivers (compared by identity)


def adopt(driver, events) -> None:
    """Make `driver` (its session's event emitter `events`) fast: see the module's note."""
    adopted.append(events)
    events._emitter._handlers.__class__ = SharedTrie  # clients' copies share its nodes
    _main_parser_once(driver)


def _load_json(self, full_path, open_method):
    """botocore's JSON model loading, into plain dicts: botocore asks for OrderedDicts, which
    take twice as long to decode (EC2's model: about 0.1 s) and keep the same order as a dict."""
    if not os.path.isfile(full_path):
        return None
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

    def __copy__(self):
        copied = self.__class__()
        copied._root = self._root
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
        super().append_item(key, value, section)

    def remove_item(self, key, value):
        self._own_path(key.split("."))
        super().remove_item(key, value)


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
