// Python for the calculator pages, in a module worker so typing is never blocked (issue 6).
// One narrow bridge: a JSON string in, calculators.bridge.handle, a JSON string out. Every policy
// decision is made in Python; this file only starts Pyodide and passes strings.
//
// Everything is fetched from this site: the manifest written by policy_tools/assets.py names the
// Pyodide folder, the trimmed standard library and the content-hashed wheel. The lock file is given
// inline with no packages, so Pyodide never looks for a package index (nor its CDN default).

const assets = new URL("../", import.meta.url);

async function start() {
  const manifest = await (await fetch(new URL("pyodide-manifest.json", assets), { cache: "no-cache" })).json();
  const indexURL = new URL(manifest.index, assets).href;
  // The wheel downloads while Pyodide starts, instead of after it.
  const wheel = fetch(new URL(manifest.wheel, assets)).then((response) => {
    if (!response.ok) throw new Error(`the calculators could not be loaded (${response.status})`);
    return response.arrayBuffer();
  });
  wheel.catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({
    indexURL,
    stdLibURL: new URL(manifest.stdlib, assets).href,
    lockFileContents: { info: manifest.lock_info, packages: {} },
    packageBaseUrl: indexURL,
  });
  // A pure-Python wheel is a zip of the package: unpacked straight into site-packages, without
  // loadPackage's package-index bookkeeping (the calculators need no other package).
  const sitePackages = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  return { pyodide, manifest, sitePackages, handle: pyodide.pyimport("calculators.bridge").handle };
}

// Libraries only some files need (openpyxl for .xlsx): fetched from this site on first use and
// unpacked the same way.
const extras = new Map();
function loadExtra(python, name) {
  if (!extras.has(name)) {
    const wheels = (python.manifest.extras || {})[name] || [];
    extras.set(name, Promise.all(wheels.map(async (w) => {
      const response = await fetch(new URL(w, assets));
      if (!response.ok) throw new Error(`the ${name} reader could not be loaded (${response.status})`);
      python.pyodide.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: python.sitePackages });
    })));
  }
  return extras.get(name);
}

const ready = start();

ready.then(
  () => postMessage({ type: "ready" }),
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
    if (upload) FS.writeFile(upload.path, new Uint8Array(upload.bytes));
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
