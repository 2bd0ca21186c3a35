/* What the page's two workers share (worker.js: Python; sql-worker.js: DuckDB), put before each of
 * them by handbook/runtime/payload.py: their files come from the page as base64 (of gzip, for
 * WebAssembly), and `fetch` answers only those names, so no request leaves a worker.
 */
"use strict";

const served = {}; // file name -> bytes, for the worker's own fetches
let base = ""; // the address its files are named under (never fetched)

function decode(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function serveOnlyOwnFiles(who) {
  self.fetch = async (resource) => {
    const url = String(resource && resource.url ? resource.url : resource);
    const name = url.startsWith(base) ? url.slice(base.length) : null;
    if (name !== null && served[name]) {
      const type = name.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
      return new Response(served[name], { headers: { "Content-Type": type } });
    }
    throw new TypeError(`${who} fetches nothing from the network (asked for ${url})`);
  };
}
