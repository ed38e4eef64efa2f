"""Python's memory after start-up, made at build time, for the calculators' repeat visits.

Starting Pyodide runs Python's own start-up and Pyodide's (importing its modules), then our
calculators' import: on a repeat visit that is most of the time to the first answer, since every
file already comes from the browser's caches. Pyodide can instead restore its memory from a
snapshot (`loadPyodide({_makeSnapshot: true})`, `makeMemorySnapshot()`, `loadPyodide({_loadSnapshot})`).

Made here, in Node, with the pinned Pyodide started exactly as docs/assets/js/py-worker.mjs starts
it (the trimmed library, the compiled calculators unpacked into site-packages) and
`calculators.bridge` and every calculator imported, before any request: a snapshot never holds anything a user typed
(none is ever made in a browser). Then a second Pyodide restores it and must give the same answers
as the first to every trace request (policy_tools.trimmed_stdlib), or the build stops.

It is stored as Pyodide writes it but for its trailing zeros (22 MB of 31: a host takes 25 MiB in
one file), in `pyodide/<version>/snapshot-<hash>/`, named in the manifest with its whole length
(precompress.py writes its `.br`, 3.4 MB). No page downloads it: the offline copy (sw.js)
precaches it after the first answer like every other file, and the worker uses it only when it
finds it in that cache (read as it is there: no decompressing on the way to the first answer).
Pyodide checks that it was made by the same build of the runtime, the worker that it holds the
calculators, and any failure falls back to the normal start. 22 MB in the browser's cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from policy_tools.cache import cache_dir
from policy_tools.files import write_if_changed
from policy_tools.pyodide_package import AssetError, PyodidePackage

SNAPSHOT = "python-snapshot.bin"
# Cloudflare Pages refuses a file over 25 MiB (docs/serving.md). Python's memory is 30 MiB, its last
# third zeros: the file stops at the last byte that is not zero, and the worker adds the zeros back.
HOST_FILE_LIMIT = 25 * 2**20

# Node, with the pinned Pyodide. The options are the worker's (py-worker.mjs start), and the
# executable name is a browser's ('./this.program'), not this machine's path to the script.
SNAPSHOT_SCRIPT = r"""
import { readFileSync, writeFileSync } from "node:fs";
const [pyodideDir, stdlib, calculators, requestsPath, lockInfoJson, out] = process.argv.slice(-6);
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const options = {
  indexURL: pyodideDir + "/",
  stdLibURL: stdlib,
  lockFileContents: { info: JSON.parse(lockInfoJson), packages: {} },
  packageBaseUrl: pyodideDir + "/",
  _sysExecutable: "./this.program",
};

function unpack(py) {
  const sitePackages = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  py.unpackArchive(new Uint8Array(readFileSync(calculators)), "wheel", { extractDir: sitePackages });
  py.runPython("import importlib; importlib.invalidate_caches()");
}

function answers(py) {
  const handle = py.pyimport("calculators.bridge").handle;
  return JSON.parse(readFileSync(requestsPath, "utf8")).map((request) => handle(JSON.stringify(request)));
}

const made = await loadPyodide({ ...options, _makeSnapshot: true });
unpack(made);
// Every calculator imported (the registry imports each on first use; a repeat visit need not).
made.runPython("import calculators.bridge, calculators.registry, gc; calculators.registry.import_all(); gc.collect()");
const snapshot = made.makeMemorySnapshot();
writeFileSync(out, snapshot);
const expected = answers(made);

const restored = await loadPyodide({ ...options, _loadSnapshot: new Uint8Array(readFileSync(out)) });
unpack(restored);
const got = answers(restored);
for (let i = 0; i < expected.length; i++) {
  if (expected[i] !== got[i]) {
    console.error(`request ${i} answers differently from the snapshot:\n${expected[i]}\n${got[i]}`);
    process.exit(1);
  }
}
"""


def snapshot_key(pyodide: PyodidePackage, stdlib: bytes, calculators: bytes, requests: Sequence[object]) -> str:
    """A hash of everything the snapshot is made from; unchanged inputs reuse the cached one."""
    digest = hashlib.sha256(SNAPSHOT_SCRIPT.encode())
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
        digest.update((pyodide.directory / name).read_bytes())
    for part in (stdlib, calculators, json.dumps(requests, sort_keys=True).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def stored_snapshot(snapshot: bytes) -> bytes:
    """The snapshot as the site stores it: without its trailing zeros, within every host's file limit."""
    stored = snapshot.rstrip(b"\0")
    if len(stored) > HOST_FILE_LIMIT:
        raise AssetError(
            f"Python's start-up snapshot is {len(stored) / 2**20:.1f} MiB, over the {HOST_FILE_LIMIT // 2**20} MiB "
            "a host takes in one file (Cloudflare Pages): import less at start-up (calculators.bridge)"
        )
    return stored


def python_snapshot(pyodide: PyodidePackage, stdlib: bytes, calculators: bytes, requests: Sequence[object]) -> bytes:
    """The snapshot for these inputs (cached by their hash, policy_tools.cache), whole."""
    cached = cache_dir("pyodide-snapshot") / f"{snapshot_key(pyodide, stdlib, calculators, requests)}.bin"
    if cached.is_file():
        return cached.read_bytes()
    if not shutil.which("node"):
        raise AssetError("Node.js is needed to make Python's start-up snapshot: install Node 20 (apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        folder = Path(tmp)
        (folder / "stdlib.zip").write_bytes(stdlib)
        (folder / "calculators.zip").write_bytes(calculators)
        (folder / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
        script = folder / "snapshot.mjs"
        script.write_text(SNAPSHOT_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            ["node", str(script), str(pyodide.directory.resolve()), str(folder / "stdlib.zip"),
             str(folder / "calculators.zip"), str(folder / "requests.json"), json.dumps(pyodide.lock_info),
             str(folder / "snapshot.bin")],
            capture_output=True,
            text=True,
            check=False,
            env=dict(os.environ),
        )
        if done.returncode != 0:
            raise AssetError(f"making Python's start-up snapshot in Pyodide (Node) failed:\n{done.stderr[-3000:]}")
        snapshot = (folder / "snapshot.bin").read_bytes()
    write_if_changed(cached, snapshot)
    return snapshot
