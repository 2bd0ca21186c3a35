"""The handlers awscli registers on a long-lived driver's session, kept as a one-command process has them.

awscli registers handlers on its session as it goes, for the rest of a process that runs one
command. handbook.aws's driver runs thousands, and gathered them (one process over aws-cli's
packaged examples):

- while building an operation's argument table (once per operation; the table is kept), some
  arguments register on the events of *every* operation (`calling-command.*`,
  `before-building-argument-table-parser`) or of every operation of the service
  (`operation-args-parsed.ec2.*`). --cli-input-json and --generate-cli-skeleton put one pair on
  for each table built, all of them called at every later command (after 3,000 commands, 3,350
  pairs: the same commands ran 30 times slower), and `--generate-cli-skeleton` printed the
  skeleton of the first operation whose table was built; ec2's --option/--no-option check of one
  operation failed every later ec2 command ("'Namespace' object has no attribute
  'source_dest_check'" after `ec2 modify-instance-attribute`). Here they are registered on the
  events of the operation whose table registers them, the only one they serve in a one-command
  process;
- while running a command: what --cli-input-json read (`get-cli-input-json-data`: one handler
  for each table built, 40,000 after 2,000 commands), DynamoDB's pagination fix, s3 sync's
  strategies, outfile arguments' `after-call` handlers. They end with the command.

What a table build registers otherwise stays with the table; a handler registered with a unique
id replaces its namesake and stays.
"""

from __future__ import annotations

import contextlib
import functools

BUILDS = ("building-argument-table", "building-command-table")
EVERY_OPERATION = "before-building-argument-table-parser"  # an event of all operations without a `.*`


class Registrations:
    """Watches what is registered on `events` (a session's event emitter, not its clients' copies)."""

    def __init__(self, events):
        self._events = events
        self._building: list[str] = []  # the tables being built: "service.operation", "" for a command table
        self._command: list | None = None  # what the running command registered; None between commands
        for name in ("register", "register_first", "register_last"):
            setattr(events, name, functools.partial(self._register, getattr(events, name)))
        events.emit = functools.partial(self._emit, events.emit)

    def _emit(self, emit, event_name, **kwargs):
        """A table is being built for as long as its building event's handlers run (all of them:
        a handler of the event's own name runs before one of its prefix)."""
        kind, _, operation = event_name.partition(".")
        if kind not in BUILDS:
            return emit(event_name, **kwargs)
        self._building.append(operation if kind == "building-argument-table" else "")
        try:
            return emit(event_name, **kwargs)
        finally:
            self._building.pop()

    def _register(self, register, event_name, handler, unique_id=None, unique_id_uses_count=False):
        if self._building:
            event_name = _scoped(event_name, self._building[-1])
        elif self._command is not None and unique_id is None:
            self._command.append((event_name, handler))
        return register(event_name, handler, unique_id, unique_id_uses_count)

    @contextlib.contextmanager
    def command(self):
        """For the time of one command: what it registers outside a table build ends with it."""
        self._command, self._building = [], []
        try:
            yield
        finally:
            for event_name, handler in reversed(self._command):
                self._events.unregister(event_name, handler)
            self._command = None


def _scoped(event_name: str, operation: str) -> str:
    """`event_name` (of every operation: `E`, `E.*`, `E.<service>.*`) as the event of `operation`
    ("service.operation") alone; an event of one already, or no operation (a command table), as is."""
    if not operation:
        return event_name
    service = operation.split(".", 1)[0]
    if event_name == EVERY_OPERATION:
        return f"{event_name}.{operation}"
    if event_name.endswith(f".{service}.*"):
        return event_name[:-len(f"{service}.*")] + operation
    if event_name.endswith(".*"):
        return event_name[:-1] + operation
    return event_name
