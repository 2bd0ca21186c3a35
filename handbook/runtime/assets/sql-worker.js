/* The SQL engine's Web Worker: DuckDB in WebAssembly (duckdb-wasm's blocking build), for Athena
 * queries in the page (handbook/runtime/athena.py writes what it runs; assets/sql.js shows it).
 *
 * The page makes this worker from a blob holding Apache Arrow's browser build, duckdb-wasm's
 * blocking build (a CommonJS module, given `module` and `require` here) and this file
 * (handbook/runtime/payload.py), then sends the engine's WebAssembly as base64 of gzip. Nothing
 * is fetched: `fetch` answers the engine's own file name from those bytes and refuses anything
 * else, and DuckDB's extension autoloading is off, so no request leaves the worker.
 *
 * Messages in:  {type: "boot", wasm, base}, {type: "run", id, setup: [sql], query, key}
 * Messages out: {type: "ready", seconds}, {type: "result", id, result: {columns, types, rows} |
 *               {error}}, {type: "failed", message}
 * A run starts from an empty database: `setup` creates and fills the tables, then `query` runs;
 * unless the database holds the setup of the same `key` already (the same tables, the same rows).
 * Values come back as the text a result table shows (NULL as null).
 */
"use strict";

const WASM = "duckdb-eh.wasm";
let engine = null;
let connection = null;
let loaded = null; // the key of the setup the database holds

serveOnlyOwnFiles("the SQL engine"); // assets/worker-files.js, put before this file

async function boot(data) {
  const start = performance.now();
  base = data.base;
  served[WASM] = await gunzip(decode(data.wasm));
  const duckdb = self.__hbDuckdb;
  const db = await duckdb.createDuckDB({ eh: { mainModule: base + WASM } }, new duckdb.VoidLogger(), duckdb.BROWSER_RUNTIME);
  await db.instantiate();
  delete served[WASM];
  engine = db;
  postMessage({ type: "ready", seconds: (performance.now() - start) / 1000 });
}

function text(value, type) {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (self.Arrow.DataType.isTimestamp(type) || self.Arrow.DataType.isDate(type)) {
    return new Date(Number(value)).toISOString().replace("T", " ").replace("Z", "");
  }
  if (typeof value === "object") {
    return JSON.stringify(typeof value.toJSON === "function" ? value.toJSON() : value,
                          (key, inner) => (typeof inner === "bigint" ? inner.toString() : inner));
  }
  return String(value);
}

function run({ setup, query, key }) {
  if (!connection || !key || key !== loaded) { // the same tables and rows as last time: kept, not made again
    loaded = null;
    if (connection) connection.close();
    engine.open({ path: ":memory:" });
    connection = engine.connect();
    try {
      connection.query("SET autoinstall_known_extensions = false");
      connection.query("SET autoload_known_extensions = false");
      for (const statement of setup) connection.query(statement);
    } catch (error) {
      return { error: String((error && error.message) || error) };
    }
    loaded = key;
  }
  if (!query) return { columns: [], types: [], rows: [] };
  try {
    const table = connection.query(query);
    const fields = table.schema.fields;
    const columns = fields.map((f, j) => table.getChildAt(j)); // by position: two columns may share a name
    const rows = [];
    for (let i = 0; i < table.numRows; i++) rows.push(fields.map((f, j) => text(columns[j].get(i), f.type)));
    return { columns: fields.map((f) => f.name), types: fields.map((f) => String(f.type)), rows };
  } catch (error) {
    return { error: String((error && error.message) || error) };
  }
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") await boot(data);
    else if (data.type === "run") postMessage({ type: "result", id: data.id, result: run(data) });
  } catch (error) {
    postMessage({ type: "failed", id: data.id, message: String((error && error.message) || error) });
  }
};
