"""CloudWatch Metrics Insights: ``GetMetricData`` queries written in its SQL.

moto 5.2.5 recognises a query whose ``Expression`` starts with ``SELECT`` but answers it
with the sum of every datapoint of the account in each period, whatever the query says.
This module replaces that part of moto's ``CloudWatchBackend.get_metric_data`` (the
``MetricStat`` and metric math queries still go to moto) with an evaluation of the query
language as the CloudWatch documentation describes it:

    SELECT FUNCTION(metricName)
    FROM namespace | SCHEMA(namespace [, dimensionKey ...])
    [WHERE dimensionKey = 'value' | dimensionKey != 'value' [AND | OR ...]]
    [GROUP BY dimensionKey [, ...]]
    [ORDER BY FUNCTION() [ASC | DESC]]
    [LIMIT n]

- functions ``AVG``, ``COUNT``, ``MAX``, ``MIN``, ``SUM``; a name with characters other
  than letters, digits, ``_`` and ``.`` is written in double quotes (``"AWS/EC2"``), a value
  in single quotes; keywords in any case;
- ``FROM namespace`` takes every metric of that name in the namespace; ``SCHEMA(ns, k1,
  k2)`` only those whose dimension keys are exactly ``k1`` and ``k2`` (``SCHEMA(ns)``: no
  dimensions);
- ``WHERE`` compares dimension values (``AND`` binds before ``OR``); a metric without the
  key does not match ``=`` and does match ``!=``;
- ``GROUP BY`` makes one time series per distinct value (several keys: values joined by a
  space, which is the series' ``Label``); a metric without a group key is left out;
  without ``GROUP BY``, one series labelled by the query's ``Label`` or ``Id``;
- each series has one value per ``Period`` from ``StartTime`` that holds data: the function
  over every datapoint of the series in that period; ``ORDER BY`` sorts the series by the
  function over the whole time range, and ``LIMIT`` keeps the first ``n`` (default: all,
  at most 500);
- a query that does not parse is ``ValidationError`` naming what was expected.

Not simulated: the limit on how far back AWS lets a Metrics Insights query look, so an
exercise can query the fixed dates of the handbook's incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.models import CloudWatchBackend

from . import _install

FUNCTIONS = ("AVG", "COUNT", "MAX", "MIN", "SUM")
MAX_SERIES = 500
TOKEN = re.compile(r"""\s*(?:(?P<quoted>"[^"]*")|(?P<string>'[^']*')|(?P<number>\d+)|(?P<op>!=|<>|[(),=])|(?P<word>[A-Za-z_][A-Za-z0-9_.:/-]*))""")


@dataclass
class Query:
    function: str
    metric: str
    namespace: str
    schema: tuple[str, ...] | None = None  # the exact dimension keys, or None: any
    where: list[list[tuple[str, str, str]]] = field(default_factory=list)  # OR of ANDs of (key, op, value)
    group_by: tuple[str, ...] = ()
    order: str | None = None  # "ASC" | "DESC"
    order_function: str | None = None  # the function of ORDER BY (default: the SELECT's)
    limit: int | None = None


class _Tokens:
    def __init__(self, text: str):
        self.items: list[tuple[str, str]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = TOKEN.match(text, position)
            if not match or match.end() == position:
                raise ValidationError(f"Invalid Metrics Insights query: unexpected {text[position:position + 20]!r}.")
            kind = match.lastgroup or "word"
            value = match.group(kind)
            if kind in ("quoted", "string"):
                value = value[1:-1]
            self.items.append((kind, value))
            position = match.end()
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "word" and token[1].upper() in words:
            self.at += 1
            return token[1].upper()
        return None

    def expect_keyword(self, *words: str) -> str:
        found = self.keyword(*words)
        if not found:
            raise self.error(" or ".join(words))
        return found

    def symbol(self, symbol: str) -> bool:
        token = self.peek()
        if token and token[0] == "op" and token[1] == symbol:
            self.at += 1
            return True
        return False

    def expect_symbol(self, symbol: str) -> None:
        if not self.symbol(symbol):
            raise self.error(repr(symbol))

    def name(self) -> str:
        token = self.peek()
        if not token or token[0] not in ("word", "quoted"):
            raise self.error("a name")
        self.at += 1
        return token[1]

    def error(self, wanted: str) -> ValidationError:
        token = self.peek()
        shown = repr(token[1]) if token else "the end of the query"
        return ValidationError(f"Invalid Metrics Insights query: expected {wanted}, found {shown}.")


def parse(text: str) -> Query:
    tokens = _Tokens(text)
    tokens.expect_keyword("SELECT")
    function = tokens.expect_keyword(*FUNCTIONS)
    tokens.expect_symbol("(")
    metric = tokens.name()
    tokens.expect_symbol(")")
    tokens.expect_keyword("FROM")
    query = Query(function, metric, "")
    if tokens.keyword("SCHEMA"):
        tokens.expect_symbol("(")
        query.namespace = tokens.name()
        keys = []
        while tokens.symbol(","):
            keys.append(tokens.name())
        tokens.expect_symbol(")")
        query.schema = tuple(sorted(keys))
    else:
        query.namespace = tokens.name()
    if tokens.keyword("WHERE"):
        query.where = [[]]
        while True:
            key = tokens.name()
            if tokens.symbol("="):
                op = "="
            elif tokens.symbol("!=") or tokens.symbol("<>"):
                op = "!="
            else:
                raise tokens.error("= or !=")
            token = tokens.peek()
            if not token or token[0] not in ("string", "quoted", "number", "word"):
                raise tokens.error("a value")
            tokens.at += 1
            query.where[-1].append((key, op, token[1]))
            joined = tokens.keyword("AND", "OR")
            if joined is None:
                break
            if joined == "OR":
                query.where.append([])
    if tokens.keyword("GROUP"):
        tokens.expect_keyword("BY")
        keys = [tokens.name()]
        while tokens.symbol(","):
            keys.append(tokens.name())
        query.group_by = tuple(keys)
    if tokens.keyword("ORDER"):
        tokens.expect_keyword("BY")
        ordered = tokens.expect_keyword(*FUNCTIONS)
        tokens.expect_symbol("(")
        tokens.expect_symbol(")")
        query.order = tokens.keyword("ASC", "DESC") or "ASC"
        query.order_function = ordered
    if tokens.keyword("LIMIT"):
        token = tokens.peek()
        if not token or token[0] != "number" or not 1 <= int(token[1]) <= MAX_SERIES:
            raise tokens.error(f"a number from 1 to {MAX_SERIES}")
        tokens.at += 1
        query.limit = int(token[1])
    if tokens.peek() is not None:
        raise tokens.error("the end of the query")
    return query


def _values(datum: Any, function: str) -> list[float]:
    """A datapoint's values for `function` (an aggregated datum carries its statistics)."""
    if hasattr(datum, "value"):
        return [float(datum.value)]
    if function == "COUNT":
        return [float(datum.sample_count)]
    return [float({"MAX": datum.max, "MIN": datum.min}.get(function, datum.sum))]


def aggregate(function: str, values: list[float]) -> float:
    if function == "COUNT":
        return float(len(values))
    if function == "SUM":
        return float(sum(values))
    if function == "AVG":
        return float(sum(values) / len(values))
    return float(max(values) if function == "MAX" else min(values))


def _matches(query: Query, datum: Any) -> bool:
    if datum.namespace != query.namespace or datum.name != query.metric:
        return False
    dimensions = {d.name: d.value for d in datum.dimensions}
    if query.schema is not None and tuple(sorted(dimensions)) != query.schema:
        return False
    if not query.where:
        return True
    return any(all((dimensions.get(key) == value) == (op == "=") for key, op, value in clause)
               for clause in query.where)


def evaluate(backend: CloudWatchBackend, spec: dict[str, Any], start: datetime, end: datetime,
             scan_by: str) -> list[dict[str, Any]]:
    """The time series of one Metrics Insights query, in moto's result shape."""
    query = parse(spec["Expression"])
    if not spec.get("Period"):
        raise ValidationError("The parameter MetricDataQueries.member.Period is required for a Metrics Insights query.")
    period = timedelta(seconds=int(spec["Period"]))
    data = [d for d in backend.get_all_metrics() if start <= _utc(d.timestamp) < end and _matches(query, d)]
    groups: dict[tuple[str, ...], list[Any]] = {}
    for datum in data:
        dimensions = {d.name: d.value for d in datum.dimensions}
        if any(key not in dimensions for key in query.group_by):
            continue
        groups.setdefault(tuple(dimensions[k] for k in query.group_by), []).append(datum)
    order_function = query.order_function or query.function
    series = sorted(groups.items())
    if query.order:
        series.sort(key=lambda item: aggregate(order_function, [v for d in item[1] for v in _values(d, order_function)]),
                    reverse=query.order == "DESC")
    if query.limit:
        series = series[:query.limit]
    results = []
    for key, members in series:
        timestamps, values = [], []
        moment = start
        while moment <= end:
            inside = [v for d in members if moment <= _utc(d.timestamp) < moment + period
                      for v in _values(d, query.function)]
            if inside:
                timestamps.append(moment)
                values.append(aggregate(query.function, inside))
            moment += period
        if scan_by == "TimestampDescending":
            timestamps.reverse()
            values.reverse()
        label = " ".join(key) if query.group_by else (spec.get("Label") or spec["Id"])
        results.append({"id": spec["Id"], "label": label, "values": values, "timestamps": timestamps,
                        "status_code": "Complete"})
    return results


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _is_insights(query: dict[str, Any]) -> bool:
    return "Expression" in query and str(query["Expression"]).lstrip().upper().startswith("SELECT")


def get_metric_data(self: CloudWatchBackend, queries: list[dict[str, Any]], start_time: datetime,
                    end_time: datetime, scan_by: str = "TimestampAscending") -> list[dict[str, Any]]:
    original = next(p.original for p in _install.patches()
                    if p.target is CloudWatchBackend and p.name == "get_metric_data")
    others = [q for q in queries if not _is_insights(q)]
    answered = original(self, queries=others, start_time=start_time, end_time=end_time, scan_by=scan_by)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for result in answered:
        by_id.setdefault(result["id"], []).append(result)
    start, end = _utc(start_time.replace(microsecond=0)), _utc(end_time.replace(microsecond=0))
    out = []
    for query in queries:
        if _is_insights(query):
            if query.get("ReturnData", True):
                out.extend(evaluate(self, query, start, end, scan_by))
        else:
            out.extend(by_id.pop(query["Id"], []))
    return out


def register() -> None:
    _install.replace_method("cloudwatch", CloudWatchBackend, "get_metric_data", get_metric_data)
