"""Answers compared as a person compares them.

A trainee types what they found: a user name, an access key id, an address, a time, a count, a
few API names. An IR lead accepts it when it says the same thing, whatever the case, the spaces
around it, the quotes or backticks copied with it, or the way a time is written. So:

- `text`: case-folded, surrounding spaces, quotes and backticks dropped, inner runs of spaces made one;
- `time`: one instant, however written (`2026-11-20T09:14:03Z`, `2026-11-20 09:14:03+00:00`,
  `2026-11-20T10:14:03+01:00`, the epoch seconds or milliseconds AWS prints); a time without a zone is UTC,
  as every AWS log writes it;
- `address`: one IP address (`203.0.113.45` and `203.0.113.45/32` are the same host);
- `number`: one number (`3`, `3.0`, ` 3 `);
- `list`: the same set of texts, in any order, separated by commas, spaces or new lines.

`expect` may list several accepted answers (a user's name or its ARN). `same` never raises on
what a trainee typed: an answer that cannot be read as its kind is simply not the same.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timezone

KINDS = ("text", "time", "address", "number", "list")
_WRAPPING = " \t\r\n'\"`"


def normal_text(value: object) -> str:
    """A text as a person reads it: no case, no wrapping quotes or spaces, single inner spaces."""
    return re.sub(r"\s+", " ", str(value).strip(_WRAPPING)).casefold()


def instant(value: object) -> datetime | None:
    """The instant `value` names, in UTC, or None when it names none."""
    text = str(value).strip(_WRAPPING)
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):  # epoch seconds, or milliseconds as CloudWatch prints them
        number = float(text)
        return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, tz=timezone.utc)
    text = re.sub(r"(?i)z$", "+00:00", text.replace(" UTC", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def address(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = str(value).strip(_WRAPPING)
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None
    return network.network_address if network.num_addresses == 1 else None


def number(value: object) -> float | None:
    try:
        return float(str(value).strip(_WRAPPING).replace(",", ""))
    except ValueError:
        return None


def items(value: object) -> frozenset[str]:
    parts = value if isinstance(value, (list, tuple, set, frozenset)) else re.split(r"[,\s]+", str(value))
    return frozenset(normal_text(p) for p in parts if normal_text(p))


_READ = {"text": normal_text, "time": instant, "address": address, "number": number, "list": items}


def same(given: object, expected: object, kind: str = "text") -> bool:
    """Whether `given` says what `expected` (one accepted answer, or a list of them for a non-list kind) says."""
    if kind not in _READ:
        raise ValueError(f"an answer's kind is one of {', '.join(KINDS)}, not {kind!r}")
    read = _READ[kind]
    accepted = [expected] if kind == "list" or not isinstance(expected, (list, tuple)) else list(expected)
    mine = read(given)
    if mine is None or mine == "" or mine == frozenset():
        return False
    return any(mine == read(option) for option in accepted)
