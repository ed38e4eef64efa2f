// Python for the calculator pages, in a module worker so typing is never blocked (issue 6).
// One narrow bridge: a JSON string in, calculators.bridge.handle, a JSON string out. Every policy
// decision is made in Python; this file only starts Pyodide and passes strings.
//
// Everything is fetched from this site: the manifest written by policy_tools/assets.py names the
// Pyodide folder, the trimmed standard library and the content-hashed, compiled calculators. The lock file is given
// inline with no packages, so Pyodide never looks for a package index (nor its CDN default).

const assets = new URL("../", import.meta.url);

// Where the start-up time goes (scripts/bench_browser.py prints it): [step, ms since the epoch],
// sent with "ready" and set as `calc:worker:<step>` marks on the page's own timeline.
const steps = [["started", performance.timeOrigin + performance.now()]];
const step = (name) => steps.push([name, performance.timeOrigin + performance.now()]);
/** When each big file finished downloading (the worker's resource timing). */
function downloads() {
  return performance.getEntriesByType("resource")
    .filter((entry) => /(pyodide\.asm\.(mjs|wasm)|\.zip|manifest\.json)$/.test(entry.name))
    .map((entry) => [`${entry.name.split("/").pop()}:loaded`, performance.timeOrigin + entry.responseEnd]);
}

async function start() {
  const manifest = await (await fetch(new URL("pyodide-manifest.json", assets), { cache: "no-cache" })).json();
  step("manifest");
  const indexURL = new URL(manifest.index, assets).href;
  // The calculators download while Pyodide starts, instead of after it.
  const wheel = fetch(new URL(manifest.calculators, assets)).then((response) => {
    if (!response.ok) throw new Error(`the calculators could not be loaded (${response.status})`);
    return response.arrayBuffer();
  });
  wheel.catch(() => {});
  const snapshot = cachedSnapshot(manifest);
  compileEarly(new URL("pyodide.asm.wasm", indexURL).href);
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  step("loader");
  const options = {
    indexURL,
    stdLibURL: new URL(manifest.stdlib, assets).href,
    lockFileContents: { info: manifest.lock_info, packages: {} },
    packageBaseUrl: indexURL,
  };
  let pyodide = null;
  const cached = await snapshot;
  if (cached) {
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: cached.memory });
      // The snapshot has the calculators imported; a Python without them is no use.
      if (pyodide.runPython("import sys; sys.version.split()[0] + ('calculators.bridge' in sys.modules and '+' or '')") !== `${manifest.lock_info.python}+`) {
        throw new Error("the snapshot is not this site's Python");
      }
      step("snapshot");
    } catch (error) {
      step("snapshot-failed");
      pyodide = null;
    }
  }
  if (!pyodide) pyodide = await loadPyodide(options);
  step("python");
  // The calculators (bytecode and data, policy_tools/assets.py) are a zip of the package: unpacked
  // straight into site-packages, without loadPackage's package-index bookkeeping. A restored
  // snapshot has them imported, and their files are read again from here.
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  if (cached) pyodide.runPython("import importlib; importlib.invalidate_caches()");
  step("wheel");
  const handle = pyodide.pyimport("calculators.bridge").handle;
  step("bridge");
  return { pyodide, manifest, sitePackages, handle };
}

// Pyodide fetches its WebAssembly early but compiles it only once its own JavaScript (1.2 MB) has
// loaded and run. Compiled here from the download itself, while that JavaScript loads; Pyodide's
// own fetch of it gets the same response and its instantiation the module already compiled. Should
// the early compile fail, Pyodide's own way runs as before.
function compileEarly(url) {
  const fetchOriginal = self.fetch;
  const instantiateOriginal = WebAssembly.instantiateStreaming;
  const response = fetchOriginal(url);
  const compiled = WebAssembly.compileStreaming(response);
  compiled.catch(() => {});
  self.fetch = function (input, init) {
    if (String(input) !== url) return fetchOriginal.call(this, input, init);
    self.fetch = fetchOriginal;
    return response;
  };
  WebAssembly.instantiateStreaming = async function (source, imports) {
    WebAssembly.instantiateStreaming = instantiateOriginal;
    try {
      const module = await compiled;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (error) {
      return instantiateOriginal.call(WebAssembly, fetchOriginal(url), imports);
    }
  };
}

// Python's memory after start-up (policy_tools/python_snapshot.py), only from the offline copy's
// cache: never downloaded for this visit (the first visit has none, and must not wait for it).
// Null when it is not there, and Python starts the normal way; else `memory`, read from the cache
// at once, while Pyodide loads and compiles its runtime. Pyodide refuses a snapshot made by another
// build of itself; a cut-off copy would make it wait for ever, so none is passed on.
async function cachedSnapshot(manifest) {
  let response = null;
  try {
    if (manifest.snapshot && self.caches) response = await caches.match(new URL(manifest.snapshot, assets).href);
  } catch (error) {
    response = null;
  }
  if (!response || !response.ok) return null;
  const memory = response.arrayBuffer().then((stored) => {
    const { file, memory: length } = manifest.snapshot_bytes;
    if (stored.byteLength !== file) throw new Error("the snapshot is incomplete");
    // The file stops at Python's last byte that is not zero; the rest of its memory is zeros.
    const bytes = new Uint8Array(length);
    bytes.set(new Uint8Array(stored));
    return bytes;
  });
  memory.catch(() => {});
  return { memory };
}

// Libraries only some files need (openpyxl for .xlsx, with the standard-library modules only it
// imports): fetched from this site on first use and unpacked the same way.
const extras = new Map();
function loadExtra(python, name) {
  if (!extras.has(name)) {
    const wheels = (python.manifest.extras || {})[name] || [];
    extras.set(name, Promise.all(wheels.map(async (w) => {
      const response = await fetch(new URL(w, assets));
      if (!response.ok) throw new Error(`the ${name} reader could not be loaded (${response.status})`);
      python.pyodide.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: python.sitePackages });
    })).then(() => python.pyodide.runPython("import importlib; importlib.invalidate_caches()")));
  }
  return extras.get(name);
}

const ready = start();

ready.then(
  () => postMessage({ type: "ready", steps: [...steps, ...downloads()] }),
  (error) => postMessage({ type: "failed", message: String(error && error.message ? error.message : error) }),
);

// A message is {id, request} or, for a chosen file, {id, request, upload: {path, bytes, needs}}:
// the bytes are written into Python's own (in-memory) file system at `path`, which the request
// names, so Python reads the file exactly as the command line does. Progress goes back as
// {id, progress: 0..1, step} while a long roster is computed. A message with `collect: path` gets
// the file Python wrote there back as `file` (bytes, transferred), as the download needs.
addEventListener("message", async (event) => {
  const { id, request, upload, collect, needs } = event.data;
  let python;
  try {
    python = await ready;
    const wanted = (upload && upload.needs) || needs;
    if (wanted) await loadExtra(python, wanted);
  } catch (error) {
    postMessage({ id, failed: String(error) });
    return;
  }
  const progress = (fraction, step) => postMessage({ id, progress: fraction, step: String(step) });
  const FS = python.pyodide.FS;
  try {
    // The file system takes the transferred bytes as they are (canOwn): no second copy of a district file.
    if (upload) FS.writeFile(upload.path, new Uint8Array(upload.bytes), { canOwn: true });
    const response = python.handle(request, progress);
    // A file Python wrote for the page (a download) goes back as bytes, never through JSON.
    let file = null;
    if (collect && FS.analyzePath(collect).exists) {
      file = FS.readFile(collect).buffer;
      FS.unlink(collect);
    }
    postMessage({ id, response, file }, file ? [file] : []);
  } catch (error) {
    // A Python exception here is a bug in the calculators (bad input is an ok:false answer).
    postMessage({ id, failed: String(error) });
  } finally {
    // The chosen file is read: its bytes leave Python's file system (the roster is kept in Python).
    if (upload && FS.analyzePath(upload.path).exists) FS.unlink(upload.path);
  }
});
