"""A simulated account kept after it was prepared, and given back as a copy, as often as needed.

Replaying a scenario costs about half a second to two seconds (a client per call, moto's
dispatch, the records); a drill's step, an investigation's question, an example box of the page
and a test each need the account as the replay left it, and each may change it. So the account
is prepared once and kept: `take()` copies moto's state (every backend of every service in use,
the extensions' state kept on them, S3's bucket-to-account map, and moto's random generator, so
that the ids made after a restore are the ones made after a replay), and `restore()` puts a
fresh copy of it into the current mock, replacing whatever is there. Each restore is its own
copy: what a command changes in one never reaches the next.

The copy is one `copy.deepcopy` of all the backends together, so that a backend holding another
service's object (an instance's interfaces, a trail's bucket) keeps holding the copy of it; the
`BackendDict`s themselves (the module-level registries moto looks backends up in) are never
copied. Two things of moto's need care:

- moto tracks every model object it makes (`instances_tracked`) and, at each reset, closes the
  buffers of every S3 object it tracks: the kept copy is taken off those lists, or the next
  mock's end would empty it. A restored copy stays tracked, as moto's own objects are.
- SSM's `ParameterDict` is a defaultdict whose `__init__` wants the account and Region: it is
  copied as a defaultdict of its class with its attributes (`copyreg`).

Restoring the accounts of a scenario takes a few hundredths of a second.
"""

from __future__ import annotations

import collections
import copy
import copyreg
from dataclasses import dataclass
from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.model_instances import model_data
from moto.moto_api._internal import mock_random

# A BackendDict's own attributes; any other (S3's `bucket_accounts`) is state and is kept.
_STRUCTURE = {"backend", "service_name", "_use_boto3_regions", "_additional_regions", "_id"}


@dataclass(frozen=True)
class Snapshot:
    state: dict  # BackendDict -> ({account id: AccountSpecificBackend}, {attribute: value})
    random: Any  # mock_random's state

    @property
    def services(self) -> list[str]:
        return sorted(registry.service_name for registry in self.state)


def take() -> Snapshot:
    """A copy of the current simulated account(s), independent of what happens to them next."""
    registries = list(BackendDict._instances)
    state = {r: (dict(r), {k: v for k, v in vars(r).items() if k not in _STRUCTURE}) for r in registries}
    tracked = {cls: len(cls.instances_tracked) for cls in _models()}
    kept = _copied(state, registries)
    for cls, before in tracked.items():  # the kept copy is nobody's to dispose of
        for made in cls.instances_tracked[before:]:
            if hasattr(made, "disposed"):  # an S3 object's buffer, closed quietly when the copy goes
                made.disposed = True
        del cls.instances_tracked[before:]
    return Snapshot(kept, mock_random.getstate())


def restore(snapshot: Snapshot) -> None:
    """The current mock's accounts replaced by a fresh copy of `snapshot`'s."""
    state = _copied(snapshot.state, list(snapshot.state))
    BackendDict.reset()
    for registry, (accounts, extra) in state.items():
        registry.update(accounts)
        vars(registry).update(extra)
        if registry not in BackendDict._instances:
            BackendDict._instances.append(registry)
    mock_random.setstate(snapshot.random)


def is_untouched() -> bool:
    """Whether the current mock holds no state yet (a fresh account: nothing would be lost by a restore)."""
    return not any(len(registry) for registry in BackendDict._instances)


def _models() -> list[type]:
    return [cls for models in model_data.values() for cls in models.values() if hasattr(cls, "instances_tracked")]


def _copied(state: dict, registries: list) -> dict:
    memo = {id(registry): registry for registry in registries}  # the registries stay the live ones
    return {registry: copy.deepcopy(value, memo) for registry, value in state.items()}


def _blank(cls: type, factory: Any) -> collections.defaultdict:
    made = collections.defaultdict.__new__(cls)
    collections.defaultdict.__init__(made, factory)
    return made


def _defaultdict_with_arguments(value: collections.defaultdict) -> tuple:
    """Copied as a defaultdict of its class, then its attributes and items (its __init__ wants more)."""
    return _blank, (type(value), value.default_factory), dict(vars(value)), None, iter(value.items())


def _register() -> None:
    """moto's defaultdicts whose __init__ takes arguments a copy cannot give it (SSM's parameters, by Region);
    a runtime that does not carry SSM has none."""
    try:
        from moto.ssm.models import ParameterDict
    except ImportError:
        return
    copyreg.pickle(ParameterDict, _defaultdict_with_arguments)


_register()
