// Imported by the service worker (sw.js, policy_tools/offline.py) before Workbox's own listener.
// Python's runtime files are immutable (content-versioned paths): online, the service worker steps
// aside for them, so the browser's HTTP cache answers, which keeps the WebAssembly module's compiled
// code beside it (a response from the service worker's cache is compiled again at every visit, a few
// seconds on a phone). Offline, Workbox answers from the precache as for every other file.
self.addEventListener("fetch", (event) => {
  if (!self.navigator.onLine) return;
  const url = new URL(event.request.url);
  if (url.origin === self.location.origin && /\/assets\/pyodide\/[^/]+\/pyodide\.asm\.wasm$/.test(url.pathname)) {
    event.stopImmediatePropagation();
  }
});
