"""Check VPC flow log examples: records against their field list, and stated field lists.

Field types, versions and where "-" may appear come from
handbook/examples/data/vpc-flow-log-fields.yml. A record is checked field by field:

- it has exactly one value per field of its format (default: the version 2 default format,
  14 fields), separated by spaces;
- `version` is the format's version: 2 for the default format, otherwise the highest
  version among the fields used;
- 12-digit account id, ENI id (eni- and 8 or 17 hex digits), IPv4/IPv6 addresses, ports
  0-65535, protocol as an IANA number 0-255, packets and bytes as integers (at least 20
  bytes per packet: the smallest IPv4 header; 40 for IPv6), start <= end in Unix seconds,
  action ACCEPT/REJECT, log-status OK/NODATA/SKIPDATA;
- "-" exactly where a NODATA or SKIPDATA record has no data, never elsewhere in the default
  fields. A first line of field names (the header of flow log files delivered to S3) must
  name the format's fields.

Declarations read from the snippet's `<name>.yml`:

    format: vpc-flow-log          the example holds flow log records (required), or
    format: vpc-flow-log-fields   the example states a field list ("version, account-id, ..."
                                  or "${version} ${account-id} ..."), which must equal it
    fields: [version, ...]        optional: a custom format instead of the v2 default
"""

from __future__ import annotations

import functools
import ipaddress
import re
from pathlib import Path

import yaml

from handbook.examples import Finding

KIND = "log"
DATA = Path(__file__).with_name("data") / "vpc-flow-log-fields.yml"
FORMATS = ("vpc-flow-log", "vpc-flow-log-fields")
NO_DATA = ("NODATA", "SKIPDATA")


@functools.lru_cache(maxsize=1)
def field_data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def default_fields() -> list[str]:
    return list(field_data()["default_format"])


def _value_problem(name: str, spec: dict, value: str) -> str | None:
    """Why `value` is not a valid `name` field, or None."""
    kind = spec["type"]
    if kind in ("integer", "unix-seconds", "port", "protocol"):
        if not value.isdigit():
            what = {"port": "a port number", "protocol": "an IANA protocol number", "unix-seconds": "a time in Unix seconds"}.get(kind, "an integer")
            return f"{name} is {value!r}, which is not {what}"
        number = int(value)
        low, high = {"port": (0, 65535), "protocol": (0, 255)}.get(kind, (spec.get("min"), spec.get("max")))
        if low is not None and number < low or high is not None and number > high:
            return f"{name} is {number}, outside {low}-{high}" if high is not None else f"{name} is {number}, below {low}"
        return None
    if kind == "account-id":
        return None if re.fullmatch(r"\d{12}", value) else f"account-id is {value!r}, which is not a 12-digit AWS account id"
    if kind == "eni-id":
        return None if re.fullmatch(r"eni-([0-9a-f]{8}|[0-9a-f]{17})", value) else (
            f"interface-id is {value!r}, which is not a network interface id (eni- and 8 or 17 hex digits)"
        )
    if kind == "ip-address":
        try:
            ipaddress.ip_address(value)
            return None
        except ValueError:
            return f"{name} is {value!r}, which is not an IPv4 or IPv6 address"
    if kind == "enum":
        return None if value in spec["values"] else f"{name} is {value!r}, not one of {', '.join(spec['values'])}"
    if kind == "pattern":
        return None if re.search(spec["pattern"], value) else f"{name} is {value!r}, which does not match {spec['pattern']}"
    return None


def _record_problems(values: list[str], fields: list[str]) -> list[str]:
    specs = field_data()["fields"]
    if len(values) != len(fields):
        return [f"The record has {len(values)} space-separated values, but its format has {len(fields)} fields ({' '.join(fields)})."]
    record = dict(zip(fields, values))
    status = record.get("log-status")
    no_data = status in NO_DATA
    problems = []
    dashed, filled = [], []  # fields with "-" where data is due, with data where "-" is due
    for name, value in record.items():
        spec = specs[name]
        dash = spec.get("dash", "allowed")
        if value == "-":
            if dash == "never":
                problems.append(f"{name} is '-', but every record has a value for {name}")
            elif dash == "no-data" and status is not None and not no_data:
                dashed.append(name)
            continue
        if dash == "no-data" and no_data:
            filled.append(name)
            continue
        why = _value_problem(name, spec, value)
        if why:
            problems.append(why)
    if dashed:
        problems.append(
            f"{', '.join(dashed)} {'is' if len(dashed) == 1 else 'are'} '-' in a record with log-status {status}, "
            "but '-' stands for missing data only in NODATA and SKIPDATA records"
        )
    if filled:
        problems.append(f"{', '.join(filled)} must be '-' in a {status} record, which has no data")
    if "version" in record and record["version"].isdigit():
        expected = 2 if fields == default_fields() else max(specs[f]["since"] for f in fields)
        if int(record["version"]) != expected:
            problems.append(
                f"version is {record['version']}, but a record in this format has version {expected}"
                + (" (the default format)" if expected == 2 and fields == default_fields() else " (the highest version among its fields)")
            )
    start, end = record.get("start", ""), record.get("end", "")
    if start.isdigit() and end.isdigit() and int(start) > int(end):
        problems.append(f"start ({start}) is after end ({end})")
    packets, size = record.get("packets", ""), record.get("bytes", "")
    if packets.isdigit() and size.isdigit() and int(packets):
        minimum = 40 if ":" in record.get("srcaddr", "") else 20
        if int(size) < minimum * int(packets):
            problems.append(f"bytes ({size}) is less than {minimum} bytes (the smallest IP header) for each of the {packets} packets")
    if not problems:
        return []
    return [f"The flow log record is invalid: {'; '.join(problems)}."]


def _declared_fields(declarations: dict) -> tuple[list[str] | None, str | None]:
    fields = declarations.get("fields")
    if fields is None:
        return default_fields(), None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return None, "The `fields` declaration must be a list of flow log field names."
    unknown = [f for f in fields if f not in field_data()["fields"]]
    if unknown:
        return None, f"The `fields` declaration names unknown flow log fields: {', '.join(unknown)}."
    return fields, None


def _stated_fields(text: str) -> list[str]:
    if "${" in text:
        return re.findall(r"\$\{([^}]*)\}", text)
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def _compare_fields(stated: list[str], expected: list[str]) -> str | None:
    if stated == expected:
        return None
    known = field_data()["fields"]
    unknown = [f for f in stated if f not in known]
    missing = [f for f in expected if f not in stated]
    extra = [f for f in stated if f in known and f not in expected]
    parts = []
    if unknown:
        parts.append(f"{', '.join(unknown)} {'is not a flow log field' if len(unknown) == 1 else 'are not flow log fields'}")
    if missing:
        parts.append(f"it lacks {', '.join(missing)}")
    if extra:
        parts.append(f"{', '.join(extra)} {'is' if len(extra) == 1 else 'are'} not in that format")
    if not parts:
        parts.append(f"the order differs: the format is {', '.join(expected)}")
    return "; ".join(parts)


def check_log(text: str, *, path, line: int, declarations: dict | None) -> list[Finding]:
    """Findings for one log example starting at `line` of `path`."""
    declarations = declarations or {}
    label = str(path)
    fmt = declarations.get("format")
    if fmt not in FORMATS:
        what = "No log format is declared" if fmt is None else f"The declared log format {fmt!r} is unknown"
        return [Finding(label, line, KIND, "error", f"{what} for this example: declare `format: vpc-flow-log` (records) or `format: vpc-flow-log-fields` (a field list) in its <name>.yml.")]
    fields, problem = _declared_fields(declarations)
    if problem:
        return [Finding(label, line, KIND, "error", problem)]
    which = "the version 2 default format" if fields == default_fields() else "the declared format"

    if fmt == "vpc-flow-log-fields":
        stated = _stated_fields(text)
        difference = _compare_fields(stated, fields)
        if difference:
            return [Finding(label, line, KIND, "error", f"The stated field list is not {which}: {difference}.")]
        return [Finding(label, line, KIND, "ok", f"The stated field list equals {which} ({len(fields)} fields).")]

    findings = []
    records = 0
    for offset, raw in enumerate(text.splitlines()):
        values = raw.split()
        if not values:
            continue
        at = line + offset
        if records == 0 and not findings and not values[0].isdigit() and values[0] != "-":
            difference = _compare_fields(values, fields)  # a header line of field names
            if difference:
                findings.append(Finding(label, at, KIND, "error", f"The header line does not name {which}: {difference}."))
            continue
        records += 1
        findings += [Finding(label, at, KIND, "error", message) for message in _record_problems(values, fields)]
    if not records and not findings:
        findings.append(Finding(label, line, KIND, "error", "The example holds no flow log record."))
    if findings:
        return findings
    statuses = sorted({raw.split()[fields.index("log-status")] for raw in text.splitlines() if raw.split() and raw.split()[0].isdigit()}) if "log-status" in fields else []
    detail = f", log-status {', '.join(statuses)}" if statuses else ""
    return [Finding(label, line, KIND, "ok", f"{records} flow log record{'s' if records != 1 else ''} follow{'s' if records == 1 else ''} {which} ({len(fields)} fields{detail}).")]
