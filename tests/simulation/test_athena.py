"""Athena's DDL leaves the Data Catalog as AWS does; a statement Athena refuses fails with its reason."""

from __future__ import annotations

import awscli  # noqa: F401  isort: skip

import pytest
from botocore.exceptions import ClientError

from handbook.simulation import athena_ddl

RESULTS = {"OutputLocation": "s3://acme-athena-results/ir-4411/"}
SNIPPETS = __import__("pathlib").Path(__file__).resolve().parents[2] / "snippets" / "athena"


@pytest.fixture
def athena(client):
    client("s3").create_bucket(Bucket="acme-athena-results")
    return client("athena")


def run(athena, sql, database=None):
    """The final state of a query and, when it failed, Athena's reason."""
    args = {"QueryString": sql, "ResultConfiguration": RESULTS}
    if database:
        args["QueryExecutionContext"] = {"Database": database}
    execution_id = athena.start_query_execution(**args)["QueryExecutionId"]
    status = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"]
    return status["State"], status.get("StateChangeReason")


def cloudtrail_table(bucket="acme-trail-logs"):
    text = (SNIPPETS / "create-cloudtrail-table.sql").read_text()
    return text.replace("<cloudtrail-bucket>", bucket).replace("<account-id>", "123456789012")


def test_a_query_without_an_output_location_is_refused(athena):
    with pytest.raises(ClientError) as refused:
        athena.start_query_execution(QueryString="CREATE DATABASE ir_4411")
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "No output location provided" in str(refused.value)


def test_a_workgroup_output_location_is_enough(athena):
    athena.create_work_group(Name="ir", Configuration={"ResultConfiguration": RESULTS})
    athena.start_query_execution(QueryString="CREATE DATABASE ir_4411", WorkGroup="ir")
    assert athena.get_database(CatalogName="AwsDataCatalog", DatabaseName="ir_4411")["Database"]["Name"] == "ir_4411"


def test_the_handbook_cloudtrail_table_is_in_the_catalog(athena, client):
    assert run(athena, "CREATE DATABASE ir_4411") == ("SUCCEEDED", None)
    assert run(athena, cloudtrail_table(), "ir_4411") == ("SUCCEEDED", None)
    table = athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="ir_4411",
                                      TableName="cloudtrail_logs")["TableMetadata"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["region", "year", "month", "day"]
    assert table["Parameters"]["location"] == "s3://acme-trail-logs/AWSLogs/123456789012/CloudTrail/"
    assert table["Parameters"]["serde.serialization.lib"] == "com.amazon.emr.hive.serde.CloudTrailSerde"
    columns = dict((c["Name"], c["Type"]) for c in table["Columns"])
    assert columns["eventname"] == "string" and columns["resources"].startswith("array<struct<arn:string")
    glue = client("glue").get_table(DatabaseName="ir_4411", Name="cloudtrail_logs")["Table"]
    assert glue["StorageDescriptor"]["Location"] == table["Parameters"]["location"]
    listed = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="ir_4411", Expression="cloud*")
    assert [t["Name"] for t in listed["TableMetadataList"]] == ["cloudtrail_logs"]


def test_a_partition_is_added_with_its_location(athena, client):
    run(athena, "CREATE DATABASE ir_4411")
    run(athena, cloudtrail_table(), "ir_4411")
    add = (SNIPPETS / "add-partition.sql").read_text().replace("<cloudtrail-bucket>", "acme-trail-logs") \
        .replace("<account-id>", "123456789012")
    assert run(athena, add, "ir_4411") == ("SUCCEEDED", None)
    partition = client("glue").get_partition(DatabaseName="ir_4411", TableName="cloudtrail_logs",
                                             PartitionValues=["us-east-1", "2017", "02", "16"])["Partition"]
    assert partition["StorageDescriptor"]["Location"] == \
        "s3://acme-trail-logs/AWSLogs/123456789012/CloudTrail/us-east-1/2017/02/16/"
    state, reason = run(athena, add, "ir_4411")
    assert state == "FAILED" and "Partition already exists" in reason
    assert run(athena, add.replace("ADD", "ADD IF NOT EXISTS", 1), "ir_4411") == ("SUCCEEDED", None)


@pytest.mark.parametrize("sql, reason", [
    ("CREATE EXTERNAL TABLE missing.t (a int) LOCATION 's3://b/'", "SCHEMA_NOT_FOUND: Schema 'missing'"),
    ("CREATE EXTERNAL TABLE t (a int)", "need a LOCATION"),
    ("CREATE TABLE t (a int) LOCATION 's3://b/'", "CREATE EXTERNAL TABLE"),
    ("ALTER TABLE flows ADD PARTITION (day='20') LOCATION 's3://b/20/'", "partition keys (dt)"),
    ("ALTER TABLE nope ADD PARTITION (dt='x')", "TABLE_NOT_FOUND: Table 'awsdatacatalog.ir_4411.nope'"),
    ("SELECT srcaddr FROM flow_logs WHERE dt = '2026-11-20'", "TABLE_NOT_FOUND"),
    ("CREATE EXTERNAL TABLE flows (a int) LOCATION 's3://b/'", "Table flows already exists"),
])
def test_what_athena_refuses_fails_with_its_reason_and_changes_nothing(athena, client, sql, reason):
    run(athena, "CREATE DATABASE ir_4411")
    run(athena, "CREATE EXTERNAL TABLE flows (srcaddr string) PARTITIONED BY (dt string) "
                "LOCATION 's3://acme-flow-logs/'", "ir_4411")
    state, why = run(athena, sql, "ir_4411")
    assert state == "FAILED" and reason in why
    tables = client("glue").get_tables(DatabaseName="ir_4411")["TableList"]
    assert [t["Name"] for t in tables] == ["flows"]
    assert client("glue").get_partitions(DatabaseName="ir_4411", TableName="flows")["Partitions"] == []


def test_repair_finds_hive_folders_only(athena, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="acme-flow-logs")
    for key in ("flows/dt=2026-11-20/part-0.log", "flows/dt=2026-11-21/part-0.log", "flows/2026/11/22/x.log"):
        s3.put_object(Bucket="acme-flow-logs", Key=key, Body=b"2 123456789012 eni-1 - - - - - - - 1 2 - NODATA")
    run(athena, "CREATE DATABASE ir_4411")
    run(athena, "CREATE EXTERNAL TABLE flows (line string) PARTITIONED BY (dt string) "
                "LOCATION 's3://acme-flow-logs/flows/'", "ir_4411")
    assert run(athena, "MSCK REPAIR TABLE flows", "ir_4411") == ("SUCCEEDED", None)
    found = client("glue").get_partitions(DatabaseName="ir_4411", TableName="flows")["Partitions"]
    assert sorted((p["Values"], p["StorageDescriptor"]["Location"]) for p in found) == [
        (["2026-11-20"], "s3://acme-flow-logs/flows/dt=2026-11-20/"),
        (["2026-11-21"], "s3://acme-flow-logs/flows/dt=2026-11-21/")]


def test_a_query_that_succeeds_leaves_its_results_object(athena, client):
    run(athena, "CREATE DATABASE ir_4411")
    run(athena, cloudtrail_table(), "ir_4411")
    assert run(athena, "SELECT eventname FROM cloudtrail_logs", "ir_4411") == ("SUCCEEDED", None)
    assert run(athena, "SELECT eventname FROM ir_4411.cloudtrail_logs") == ("SUCCEEDED", None)
    keys = [o["Key"] for o in client("s3").list_objects_v2(Bucket="acme-athena-results")["Contents"]]
    assert len(keys) == 4 and all(k.startswith("ir-4411/") and k.endswith(".csv") for k in keys)


def test_the_reader_follows_nested_types_and_names():
    statement = athena_ddl.read(
        "CREATE EXTERNAL TABLE IF NOT EXISTS `IR`.`Flows` (a STRUCT<b:STRING, c:ARRAY<INT>> COMMENT 'x, y', "
        "d string) PARTITIONED BY (dt string) STORED AS PARQUET LOCATION 's3://b/p/' "
        "TBLPROPERTIES ('projection.enabled'='false')")
    assert statement == athena_ddl.CreateTable("ir", "flows", True, [("a", "struct<b:string,c:array<int>>"),
                                               ("d", "string")], [("dt", "string")], "s3://b/p/",
                                               properties={"projection.enabled": "false"})
    assert athena_ddl.read("with x as (select 1) select * from x join db.t on true") == \
        athena_ddl.Query([("db", "t")])
    assert isinstance(athena_ddl.read("SHOW TABLES"), athena_ddl.Other)


def test_a_database_name_athena_refuses_leaves_no_database(athena):
    state, reason = run(athena, "CREATE DATABASE ir-4411")
    assert state == "FAILED" and "mismatched input '-4411'" in reason
    assert [d["Name"] for d in athena.list_databases(CatalogName="AwsDataCatalog")["DatabaseList"]] == ["default"]
