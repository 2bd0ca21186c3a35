/* Loaded before the iframe-worker shim (handbook/kit/hooks.py): the shim replaces Worker on
 * file:// for Material's search; the in-page runtime keeps the browser's own for its blob worker. */
window.__hbWorker = window.Worker;
