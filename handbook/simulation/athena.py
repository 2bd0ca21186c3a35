"""Athena's Data Catalog: what a DDL statement creates is there afterwards, as in AWS.

moto 5.2.5 runs no SQL: every query SUCCEEDED with no rows, and only ``CREATE DATABASE`` leaves
a trace. Checking SQL's results is the job of the handbook's DuckDB checks; what a responder's
Athena commands must leave in the account is the catalog. So, around moto's Athena:

- ``StartQueryExecution`` refuses a query without an output location, neither given
  (``ResultConfiguration.OutputLocation``) nor set by the workgroup, with Athena's
  ``InvalidRequestException``; each statement is then read (``athena_ddl``) and applied to
  moto's Glue catalog, which is Athena's ``AwsDataCatalog``: databases, external tables
  (columns, partition keys, location, SerDe and formats), partitions added with ``ALTER
  TABLE ... ADD PARTITION`` or found by ``MSCK REPAIR TABLE`` (only Hive-style ``key=value/``
  folders, as Athena: CloudTrail's ``<region>/<yyyy>/<mm>/<dd>/`` folders need ADD PARTITION),
  and dropped tables and databases. The database of an unqualified name is the query's
  ``QueryExecutionContext.Database``, else ``default`` (which always exists);
- a statement Athena would refuse (a table in a database that does not exist, one that
  exists already, a partition whose keys are not the table's, a query over a missing table)
  makes the execution ``FAILED``, and ``GetQueryExecution`` gives Athena's reason in
  ``Status.StateChangeReason``; nothing is changed;
- a query that succeeds writes its results object to the output location
  (``<location>/<QueryExecutionId>.csv``, as Athena names it; empty, since no SQL runs here);
- ``GetTableMetadata`` and ``ListTableMetadata``, which moto lacks, read the catalog.

State: the failure reasons are kept on moto's Athena backend (wiped by its reset); the catalog
is moto's Glue backend of the same account and Region.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.athena.exceptions import MetadataException
from moto.athena.models import AthenaBackend
from moto.athena.responses import AthenaResponse
from moto.core.exceptions import JsonRESTError

from . import _install, athena_ddl

CATALOG = "AwsDataCatalog"
DEFAULT_DATABASE = "default"


class InvalidRequest(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("InvalidRequestException", message)


class Refused(Exception):
    """Athena would fail this statement: the reason, as Athena words it."""


def _failures(backend: AthenaBackend) -> dict[str, str]:
    return _install.backend_state(backend, "athena_failures", dict)


def _glue(backend: AthenaBackend) -> Any:
    from moto.glue.models import glue_backends

    return glue_backends[backend.account_id][backend.region_name]


def _database(glue: Any, name: str) -> Any:
    if name not in glue.databases:
        if name != DEFAULT_DATABASE:
            raise Refused(f"SCHEMA_NOT_FOUND: Schema '{name}' does not exist")
        glue.create_database(name, {"Name": name})
    return glue.databases[name]


def _table(glue: Any, database: str, name: str) -> Any:
    tables = _database(glue, database).tables
    if name not in tables:
        raise Refused(f"TABLE_NOT_FOUND: Table '{CATALOG.lower()}.{database}.{name}' does not exist")
    return tables[name]


def _output_location(backend: AthenaBackend, config: dict | None, workgroup: str | None) -> str | None:
    given = (config or {}).get("OutputLocation")
    if given:
        return given
    group = backend.work_groups.get(workgroup or "primary")
    configuration = getattr(group, "configuration", None) or {}
    return (configuration.get("ResultConfiguration") or {}).get("OutputLocation")


def apply(backend: AthenaBackend, query: str, context: dict | None) -> None:
    """Apply one statement to the catalog, or raise Refused (nothing changed)."""
    try:
        statement = athena_ddl.read(query)
    except ValueError as problem:
        raise Refused(str(problem)) from None
    glue = _glue(backend)
    current = ((context or {}).get("Database") or DEFAULT_DATABASE).lower()
    if isinstance(statement, athena_ddl.CreateDatabase):
        if statement.name in glue.databases:
            if not statement.if_not_exists:
                raise Refused(f"FAILED: Execution Error, Database {statement.name} already exists")
            return
        glue.create_database(statement.name, {"Name": statement.name})
    elif isinstance(statement, athena_ddl.DropDatabase):
        if statement.name not in glue.databases:
            if not statement.if_exists:
                raise Refused(f"FAILED: SemanticException [Error 10072]: Database does not exist: {statement.name}")
            return
        if glue.databases[statement.name].tables:
            raise Refused(f"FAILED: Execution Error, Database {statement.name} is not empty")
        del glue.databases[statement.name]
    elif isinstance(statement, athena_ddl.CreateTable):
        _create_table(glue, statement, statement.database or current)
    elif isinstance(statement, athena_ddl.AddPartitions):
        _add_partitions(glue, statement.database or current, statement.table, statement.partitions,
                        if_not_exists=statement.if_not_exists)
    elif isinstance(statement, athena_ddl.RepairTable):
        _repair(backend, glue, statement.database or current, statement.table)
    elif isinstance(statement, athena_ddl.DropTable):
        database = statement.database or current
        tables = _database(glue, database).tables
        if statement.table not in tables:
            if not statement.if_exists:
                raise Refused(f"FAILED: SemanticException [Error 10001]: Table not found {database}.{statement.table}")
            return
        del tables[statement.table]
    elif isinstance(statement, athena_ddl.Query):
        for database, table in statement.tables:
            _table(glue, database or current, table)


def _create_table(glue: Any, statement: athena_ddl.CreateTable, database: str) -> None:
    tables = _database(glue, database).tables
    if statement.name in tables:
        if statement.if_not_exists:
            return
        raise Refused(f"FAILED: Execution Error, Table {statement.name} already exists in {database}")
    parameters = {"EXTERNAL": "TRUE", **statement.properties}
    descriptor: dict[str, Any] = {
        "Columns": [{"Name": n, "Type": t} for n, t in statement.columns],
        "Location": statement.location,
        "SerdeInfo": {"SerializationLibrary": statement.serde} if statement.serde else {},
    }
    if statement.input_format:
        descriptor["InputFormat"] = statement.input_format
    if statement.output_format:
        descriptor["OutputFormat"] = statement.output_format
    glue.create_table(database, statement.name, {
        "Name": statement.name, "TableType": "EXTERNAL_TABLE", "Parameters": parameters,
        "StorageDescriptor": descriptor,
        "PartitionKeys": [{"Name": n, "Type": t} for n, t in statement.partition_keys]})


def _add_partitions(glue: Any, database: str, name: str, partitions: list, *, if_not_exists: bool) -> int:
    table = _table(glue, database, name)
    current = table.get_version(str(table._current_version))
    keys = [k["Name"] for k in current.get("PartitionKeys") or []]
    if not keys:
        raise Refused(f"FAILED: SemanticException table is not partitioned but partition spec exists: {name}")
    location = current["StorageDescriptor"].get("Location", "")
    planned = []
    for values, where in partitions:
        if set(values) != set(keys):
            given = ", ".join(values)
            raise Refused(f"FAILED: ValidationException: partition ({given}) does not name exactly the table's "
                          f"partition keys ({', '.join(keys)})")
        ordered = [values[k] for k in keys]
        where = where or location.rstrip("/") + "/" + "/".join(f"{k}={values[k]}" for k in keys) + "/"
        if str(ordered) in table.partitions:
            if not if_not_exists:
                raise Refused("FAILED: AlreadyExistsException: Partition already exists.")
            continue
        planned.append((ordered, where))
    descriptor = dict(current["StorageDescriptor"])
    for ordered, where in planned:
        table.create_partition({"Values": ordered, "StorageDescriptor": {**descriptor, "Location": where}})
    return len(planned)


def _repair(backend: AthenaBackend, glue: Any, database: str, name: str) -> None:
    from moto.s3.models import s3_backends

    table = _table(glue, database, name)
    current = table.get_version(str(table._current_version))
    keys = [k["Name"] for k in current.get("PartitionKeys") or []]
    location = current["StorageDescriptor"].get("Location", "")
    found = re.match(r"s3://([^/]+)/?(.*)$", location)
    if not keys or not found:
        return
    bucket_name, prefix = found[1], found[2]
    try:
        bucket = s3_backends[backend.account_id]["aws"].get_bucket(bucket_name)
    except Exception:
        return
    pattern = re.compile("/".join(rf"{re.escape(k)}=([^/]+)" for k in keys) + "/")
    seen: dict[tuple, str] = {}
    for key in list(bucket.keys.keys()):
        if not key.startswith(prefix):
            continue
        if m := pattern.match(key[len(prefix):].lstrip("/")):
            folder = "/".join(part for part in (prefix.strip("/"), m[0].rstrip("/")) if part)
            seen.setdefault(m.groups(), f"s3://{bucket_name}/{folder}/")
    spec = [({k: v for k, v in zip(keys, values)}, where) for values, where in sorted(seen.items())]
    if spec:
        _add_partitions(glue, database, name, spec, if_not_exists=True)


# --------------------------------------------------------------------------- moto wiring


def _starting(original: Any) -> Any:
    def start_query_execution(self: AthenaBackend, query: str, context: Any, config: Any, workgroup: Any,
                              execution_parameters: Any) -> str:
        if not _output_location(self, config, workgroup):
            raise InvalidRequest("No output location provided. An output location is required either through "
                                 "the Workgroup result configuration setting or as an API input.")
        known = set(self.databases)  # moto's own CREATE DATABASE handling, undone if Athena refuses it
        execution_id = original(self, query, context, config, workgroup, execution_parameters)
        execution = self.executions[execution_id]
        try:
            apply(self, query, context if isinstance(context, dict) else None)
        except Refused as reason:
            for added in set(self.databases) - known:
                del self.databases[added]
            execution._transitions = [("QUEUED", "RUNNING"), ("RUNNING", "FAILED")]
            _failures(self)[execution_id] = str(reason)
            return execution_id
        _write_result(self, execution)
        return execution_id

    return start_query_execution


def _write_result(backend: AthenaBackend, execution: Any) -> None:
    from moto.s3.models import s3_backends

    where = re.match(r"s3://([^/]+)/(.*)$", (execution.config or {}).get("OutputLocation") or "")
    if not where:
        location = _output_location(backend, None, getattr(execution.workgroup, "name", None)) or ""
        where = re.match(r"s3://([^/]+)/?(.*)$", location.rstrip("/") + f"/{execution.id}.csv")
    if where:
        try:
            s3_backends[backend.account_id]["aws"].put_object(where[1], where[2], b"")
        except Exception:  # a bucket that does not exist: Athena fails only when it writes, later
            pass


def _described(original: Any) -> Any:
    def get_query_execution(self: AthenaResponse) -> str:
        body = original(self)
        reason = _failures(self.athena_backend).get(self._get_param("QueryExecutionId"))
        if reason is None:
            return body
        document = json.loads(body)
        document["QueryExecution"]["Status"]["StateChangeReason"] = reason
        return json.dumps(document)

    return get_query_execution


def _metadata(table: Any) -> dict[str, Any]:
    current = table.get_version(str(table._current_version))
    descriptor = current.get("StorageDescriptor") or {}
    parameters = {"EXTERNAL": "TRUE", "location": descriptor.get("Location", "")}
    if descriptor.get("InputFormat"):
        parameters["inputformat"] = descriptor["InputFormat"]
    if descriptor.get("OutputFormat"):
        parameters["outputformat"] = descriptor["OutputFormat"]
    if (descriptor.get("SerdeInfo") or {}).get("SerializationLibrary"):
        parameters["serde.serialization.lib"] = descriptor["SerdeInfo"]["SerializationLibrary"]
    parameters.update(current.get("Parameters") or {})
    return {"Name": table.name, "CreateTime": table.created_time.timestamp(),
            "TableType": current.get("TableType", "EXTERNAL_TABLE"),
            "Columns": descriptor.get("Columns") or [], "PartitionKeys": current.get("PartitionKeys") or [],
            "Parameters": parameters}


def _catalog_database(self: AthenaResponse) -> Any:
    catalog, name = self._get_param("CatalogName"), (self._get_param("DatabaseName") or "").lower()
    glue = _glue(self.athena_backend)
    if catalog != CATALOG or name not in glue.databases and name != DEFAULT_DATABASE:
        raise MetadataException(f"Database {name} not found in catalog {catalog}.")
    return _database(glue, name)


def get_table_metadata(self: AthenaResponse) -> str:
    database = _catalog_database(self)
    name = (self._get_param("TableName") or "").lower()
    if name not in database.tables:
        raise MetadataException(f"Table {name} not found in database {database.name}.")
    return json.dumps({"TableMetadata": _metadata(database.tables[name])})


def list_table_metadata(self: AthenaResponse) -> str:
    database = _catalog_database(self)
    expression = self._get_param("Expression")
    tables = sorted(database.tables.values(), key=lambda t: t.name)
    if expression:
        pattern = re.compile("^" + ".*".join(re.escape(p) for p in expression.split("*")) + "$", re.I)
        tables = [t for t in tables if pattern.match(t.name)]
    return json.dumps({"TableMetadataList": [_metadata(t) for t in tables]})


def register() -> None:
    _install.wrap_method("athena", AthenaBackend, "start_query_execution", _starting)
    _install.wrap_method("athena", AthenaResponse, "get_query_execution", _described)
    _install.add_operation("athena", AthenaResponse, "GetTableMetadata", get_table_metadata)
    _install.add_operation("athena", AthenaResponse, "ListTableMetadata", list_table_metadata)
