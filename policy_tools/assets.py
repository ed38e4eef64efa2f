"""Pyodide and the calculators wheel, served from the site itself (issue 6).

Prepare step. Three things land in docs/assets/ (all generated, never committed):

- `pyodide/<version>/`: the Pyodide runtime files, copied from node_modules/pyodide only after the
  package is checked against package-lock.json (the version, and the npm `integrity` recomputed from
  the tarball in npm's cache, then every copied file compared with that tarball), so what we serve is
  exactly what the lock file pins.
- `wheels/<hash>/calculators-<v>-py3-none-any.whl`: the calculators wheel, built by the standard
  backend (hatchling) with calculators/rules.json inside; the folder is named by the wheel's content
  hash so it can be cached for ever.
- `pyodide/<version>/stdlib-<hash>/python_stdlib.zip`: the part of Python's standard library that
  Pyodide's start-up and the calculators actually import (found by running them in Pyodide under
  Node at build time), compiled to bytecode. The full library is 2.5 MB of sources that Python
  compiles at every start; the trimmed one is a third of that and needs no compiling, which is most
  of the difference in start-up time (docs/serving.md). Its members are stored, not deflated, so
  the transfer encoding (the precompressed `.br` beside it, policy_tools/precompress.py) compresses
  the whole file: 0.54 MB with Brotli instead of 0.78 MB deflated member by member.

`pyodide-manifest.json` tells the browser where they are. Nothing else is copied: the full standard
library and Pyodide's lock file are loaded by no page of the site (scripts/bench_browser.py serves
them to its bare Pyodide page straight from node_modules).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from policy_tools import browser_wheels
from policy_tools.cache import cache_dir
from policy_tools.files import write_if_changed

PACKAGE = "pyodide"
# What loadPyodide fetches in a browser when given lockFileContents and stdLibURL: the loader, the
# Emscripten module and the WebAssembly binary.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# Copied by earlier builds and loaded by no page: removed from docs/ so the site does not ship them.
NOT_SHIPPED = ("python_stdlib.zip", "pyodide-lock.json")
STDLIB = "python_stdlib.zip"
MANIFEST = "pyodide-manifest.json"
# Old content-hashed folders are kept this long so a build running beside ours keeps its files.
STALE_AFTER_SECONDS = 3600
# Modules a Python error needs to be reported legibly, though no successful run imports them.
ALWAYS_KEEP = ("traceback", "linecache", "tokenize", "token", "textwrap", "_colorize")
# Codecs looked up by name only at run time, so the trace does not see them: those the roster reads
# files in (calculators/table_file.py), and unicode_escape, which writes a control character out in
# a message (calculators/limits.py printable).
ENCODINGS = (
    "encodings.cp1252", "encodings.latin_1", "encodings.utf_16", "encodings.utf_16_le", "encodings.utf_16_be",
    "encodings.utf_8_sig", "encodings.unicode_escape",
)


class AssetError(Exception):
    """A problem with the front-end assets, worded so the reader knows what to run or fix."""


@dataclass(frozen=True)
class PyodidePackage:
    version: str
    directory: Path
    lock_info: dict[str, Any]


def run(root: Path) -> None:
    assets = root / "docs" / "assets"
    pyodide = verify_pyodide(root, RUNTIME_FILES)
    index = assets / "pyodide" / pyodide.version
    for name in RUNTIME_FILES:
        write_if_changed(index / name, (pyodide.directory / name).read_bytes())
    for name in NOT_SHIPPED:
        (index / name).unlink(missing_ok=True)
    shutil.rmtree(assets / "bench", ignore_errors=True)  # the benchmark page now lives in scripts/

    wheel_name, wheel_bytes = build_wheel(root)
    wheel_hash = hashlib.sha256(wheel_bytes).hexdigest()[:16]
    wheel_path = assets / "wheels" / wheel_hash / wheel_name
    write_if_changed(wheel_path, wheel_bytes)
    # Wheels some files need (openpyxl for .xlsx), loaded by the worker only then.
    extras: dict[str, list[str]] = {}
    extra_paths: list[Path] = []
    kept = {wheel_hash}
    for group, files in browser_wheels.wheels(root).items():
        for name, data in files:
            folder = hashlib.sha256(data).hexdigest()[:16]
            write_if_changed(assets / "wheels" / folder / name, data)
            extras.setdefault(group, []).append(f"wheels/{folder}/{name}")
            extra_paths.append(assets / "wheels" / folder / name)
            kept.add(folder)
    prune_stale(assets / "wheels", keep=kept)

    key = stdlib_trace_key(pyodide, wheel_bytes + b"".join(p.read_bytes() for p in extra_paths), root)
    stdlib = trimmed_stdlib(root, pyodide, wheel_path, key, extra_paths)
    # Named by content, so a change to the calculators that imports nothing new keeps the cached copy.
    stdlib_folder = f"stdlib-{hashlib.sha256(stdlib).hexdigest()[:16]}"
    write_if_changed(index / stdlib_folder / STDLIB, stdlib)
    prune_stale(index, keep={stdlib_folder}, prefix="stdlib-")

    manifest = {
        "pyodide_version": pyodide.version,
        # Paths are relative to docs/assets/, so the site works under any base path.
        "index": f"pyodide/{pyodide.version}/",
        "stdlib": f"pyodide/{pyodide.version}/{stdlib_folder}/{STDLIB}",
        "wheel": f"wheels/{wheel_hash}/{wheel_name}",
        # Pyodide checks the ABI in the lock file; an empty package list means it never looks for
        # packages of its own (the calculators need none), so no lock file is fetched either.
        "lock_info": pyodide.lock_info,
        "extras": extras,
    }
    write_if_changed(assets / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


# --- Pyodide from node_modules, checked against package-lock.json -------------------------------


def verify_pyodide(root: Path, files: tuple[str, ...]) -> PyodidePackage:
    """The pinned Pyodide package, after checking that node_modules holds exactly what npm locked."""
    lock_path = root / "package-lock.json"
    try:
        entry = json.loads(lock_path.read_text(encoding="utf-8"))["packages"][f"node_modules/{PACKAGE}"]
        version, integrity = entry["version"], entry["integrity"]
    except (OSError, KeyError, ValueError) as exc:
        raise AssetError(f"{lock_path}: no locked `{PACKAGE}` package ({exc}); add it with npm install") from exc
    directory = root / "node_modules" / PACKAGE
    try:
        installed = json.loads((directory / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, KeyError, ValueError) as exc:
        raise AssetError(f"{directory} is missing or broken ({exc}): run `npm ci`") from exc
    if installed != version:
        raise AssetError(
            f"node_modules/{PACKAGE} is version {installed} but package-lock.json pins {version}: run `npm ci`"
        )
    tarball = npm_cached_tarball(integrity)
    if tarball is None:
        raise AssetError(
            f"the npm cache has no tarball for {PACKAGE}@{version} ({integrity[:20]}...), so the files "
            "cannot be checked against package-lock.json: run `npm ci` (it fills the cache)"
        )
    algorithm, expected = integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise AssetError(f"the cached tarball of {PACKAGE}@{version} does not match its integrity: run `npm cache verify`")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name in files:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise AssetError(f"{PACKAGE}@{version} has no file {name}")
            local = directory / name
            if not local.is_file() or member.read() != local.read_bytes():
                raise AssetError(
                    f"node_modules/{PACKAGE}/{name} differs from the locked {PACKAGE}@{version}: "
                    "run `npm ci` to reinstall it"
                )
    info = json.loads((directory / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    return PyodidePackage(version=version, directory=directory, lock_info=info)


def npm_cached_tarball(integrity: str) -> bytes | None:
    """The tarball npm's content-addressed cache (cacache) holds for `integrity`, if any."""
    algorithm, digest = integrity.split("-", 1)
    hexdigest = base64.b64decode(digest).hex()
    for cache in npm_cache_dirs():
        path = cache / "_cacache" / "content-v2" / algorithm / hexdigest[:2] / hexdigest[2:4] / hexdigest[4:]
        if path.is_file():
            return path.read_bytes()
    return None


def npm_cache_dirs() -> list[Path]:
    dirs = [Path(os.environ[key]) for key in ("npm_config_cache", "NPM_CONFIG_CACHE") if os.environ.get(key)]
    dirs.append(Path.home() / ".npm")
    if not any((d / "_cacache").is_dir() for d in dirs) and shutil.which("npm"):
        out = subprocess.run(["npm", "config", "get", "cache"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            dirs.append(Path(out.stdout.strip()))
    return dirs


# --- The calculators wheel ------------------------------------------------------------------------


def build_wheel(root: Path) -> tuple[str, bytes]:
    """Build the calculators wheel with the project's own backend; returns (file name, bytes)."""
    for bundle, step in (("rules.json", "bundle_rules"), ("wording.json", "bundle_wording")):
        if not (root / "calculators" / bundle).is_file():
            raise AssetError(
                f"calculators/{bundle} is missing: the policy_tools.{step} step must run before "
                "policy_tools.assets (see STEPS in policy_tools/prepare.py)"
            )
    with tempfile.TemporaryDirectory(prefix="wheel-") as out:
        # hatchling writes reproducible wheels (fixed timestamps), so the same sources give the same
        # hash and the browser's cached copy stays valid.
        done = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
        wheels = list(Path(out).glob("*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            raise AssetError(f"building the calculators wheel failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        with zipfile.ZipFile(wheels[0]) as whl:
            for bundle in ("rules.json", "formats.json", "wording.json"):
                if not any(n.endswith(f"calculators/{bundle}") for n in whl.namelist()):
                    raise AssetError(f"the calculators wheel lacks calculators/{bundle}; check pyproject.toml artifacts")
        return wheels[0].name, wheels[0].read_bytes()


# --- A standard library trimmed to what is imported, precompiled ---------------------------------

# Runs in Node with the pinned Pyodide (so the bytecode is exactly what the browser's Python reads):
# 1. start Pyodide with its full library as the browser worker does, install the wheel, import every
#    module the calculators name (also those imported inside functions), run the trace requests
#    through the bridge and format one error; every standard-library module now loaded is kept;
# 2. compile the kept modules to bytecode: Python then never compiles the library at start-up, which
#    is most of Pyodide's start-up time. Docstrings and line-number tables are left out (optimize=2,
#    empty co_linetable), which keeps the file no larger than the sources it replaces; tracebacks
#    inside the standard library show no line numbers. Pyodide's own modules keep their docstrings,
#    which Pyodide reads. Members are stored uncompressed: the host's Brotli then compresses across
#    members (0.54 MB against 0.78 MB for deflate inside the zip);
# 3. start a second Pyodide on the trimmed library alone and require the same answers to every
#    request, so a missing module fails the build rather than a page.
TRACE_SCRIPT = r"""
import { readFileSync, writeFileSync } from "node:fs";
const [pyodideDir, wheelPath, requestsPath, lockInfoJson, outZip] = process.argv.slice(-5);
// Wheels loaded on demand (openpyxl) and a sample .xlsx: their imports must be in the library too.
const extraWheels = (process.env.EXTRA_WHEELS || "").split(",").filter(Boolean);
const xlsxSample = process.env.XLSX_SAMPLE || "";
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const requests = readFileSync(requestsPath, "utf8");
const alwaysKeep = process.env.ALWAYS_KEEP;

async function start(stdLibURL) {
  const py = await loadPyodide({
    indexURL: pyodideDir + "/",
    ...(stdLibURL ? { stdLibURL } : {}),
    lockFileContents: { info: JSON.parse(lockInfoJson), packages: {} },
    packageBaseUrl: pyodideDir + "/",
  });
  // As the browser's worker does (docs/assets/js/py-worker.mjs), so the same modules are traced.
  const sitePackages = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  for (const path of [wheelPath, ...extraWheels]) py.unpackArchive(new Uint8Array(readFileSync(path)), "wheel", { extractDir: sitePackages });
  if (xlsxSample) py.FS.writeFile("/tmp/trace.xlsx", readFileSync(xlsxSample));
  py.globals.set("requests_json", requests);
  py.globals.set("always_keep", alwaysKeep);
  return py;
}

const RUN = `
import importlib, json
from calculators import bridge
answers = [bridge.handle(json.dumps(request)) for request in json.loads(requests_json)]
for name in always_keep.split(","):
    importlib.import_module(name)
try:
    raise ValueError("trace")
except ValueError:
    import traceback
    traceback.format_exc()
`;

const full = await start(null);
full.runPython(`
import ast, importlib, pathlib
import calculators
for source in pathlib.Path(calculators.__file__).parent.rglob("*.py"):
    if source.name == "__main__.py":
        continue  # the command line is never run in the browser
    for node in ast.walk(ast.parse(source.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
        for name in names:
            try:
                importlib.import_module(name)
            except ImportError:
                pass  # a development-only fallback (PyYAML in calculators.rules), not in the wheel
`);
full.runPython(RUN);
const expected = full.globals.get("answers").toJs();
full.runPython(`
import importlib.util, marshal, sys, types, zipfile
zip_path = next(p for p in sys.path if p.endswith(".zip"))
keep = {
    m.__spec__.origin[len(zip_path) + 1:]
    for m in list(sys.modules.values())
    if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(zip_path + "/")
}
for name in list(keep):
    parts = name.split("/")[:-1]
    keep.update("/".join(parts[:depth]) + "/__init__.py" for depth in range(1, len(parts) + 1))

def without_line_numbers(code):
    consts = tuple(without_line_numbers(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)

with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile("/tmp/stdlib.zip", "w") as out:
    for name in sorted(keep):
        data = src.read(name)
        if name.endswith(".py"):
            optimize = 0 if name.startswith(("_pyodide/", "pyodide/")) else 2
            code = compile(data, f"{zip_path}/{name}", "exec", optimize=optimize, dont_inherit=True)
            # A sourceless, timestamp-style .pyc header (flags 0, no mtime or size to check).
            data = importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(without_line_numbers(code))
            name = name[:-3] + ".pyc"
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        out.writestr(entry, data, compress_type=zipfile.ZIP_STORED)
`);
writeFileSync(outZip, full.FS.readFile("/tmp/stdlib.zip"));

const trimmed = await start(outZip);
trimmed.runPython(RUN);
const actual = trimmed.globals.get("answers").toJs();
for (let i = 0; i < expected.length; i++) {
  if (expected[i] !== actual[i]) {
    console.error(`request ${i} answers differently on the trimmed library:\n${expected[i]}\n${actual[i]}`);
    process.exit(1);
  }
}
"""


def stdlib_trace_key(pyodide: PyodidePackage, wheel: bytes, root: Path) -> str:
    """A hash of everything the trimmed library depends on; unchanged inputs skip the trace."""
    digest = hashlib.sha256()
    for part in (pyodide.version, TRACE_SCRIPT, ",".join(ALWAYS_KEEP + ENCODINGS), json.dumps(trace_requests(root), sort_keys=True)):
        digest.update(part.encode())
    digest.update(wheel)
    return digest.hexdigest()[:16]


def trace_requests(root: Path) -> list[dict[str, Any]]:
    """Bridge requests that exercise every calculator: the worked examples and some bad input,
    and a roster read from .xlsx (the sample written by `xlsx_sample`)."""
    from policy_tools.calculator_pages import bridge_requests

    xlsx: dict[str, Any] = {"file": "/tmp/trace.xlsx", "name": "trace.xlsx"}
    return [*bridge_requests(root), {"calculator": "roster", "input": xlsx}, {"calculator": "roster", "input": {**xlsx, "step": "columns"}}]


def xlsx_sample(path: Path) -> None:
    """A small workbook (title row, header, a half day, a totals row) for the trace."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Attendance"], ["Student ID", "Student Name", "Days Enrolled", "Days Absent"], [1, "A", 180, 17.5], ["Total", None, 180, 17.5]):
        sheet.append(row)
    book.save(path)


def trimmed_stdlib(root: Path, pyodide: PyodidePackage, wheel_path: Path, key: str, extra_wheels: list[Path]) -> bytes:
    """The trimmed, precompiled library for these inputs (cached by their hash, policy_tools.cache)."""
    cached = cache_dir("pyodide-stdlib") / f"{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    if not shutil.which("node"):
        raise AssetError("Node.js is needed to trim the standard library: install Node 20 (apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="trace-") as tmp:
        requests = Path(tmp) / "requests.json"
        requests.write_text(json.dumps(trace_requests(root)), encoding="utf-8")
        script = Path(tmp) / "trace.mjs"
        script.write_text(TRACE_SCRIPT, encoding="utf-8")
        out = Path(tmp) / STDLIB
        sample = Path(tmp) / "trace.xlsx"
        xlsx_sample(sample)
        done = subprocess.run(
            ["node", str(script), str(pyodide.directory.resolve()), str(wheel_path.resolve()), str(requests),
             json.dumps(pyodide.lock_info), str(out)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "ALWAYS_KEEP": ",".join(ALWAYS_KEEP + ENCODINGS), "XLSX_SAMPLE": str(sample),
                 "EXTRA_WHEELS": ",".join(str(p.resolve()) for p in extra_wheels)},
        )
        if done.returncode != 0:
            raise AssetError(f"trimming the standard library in Pyodide (Node) failed:\n{done.stderr[-3000:]}")
        data = out.read_bytes()
    write_if_changed(cached, data)
    return data


# --- Files ------------------------------------------------------------------------------------------


def prune_stale(parent: Path, keep: set[str], prefix: str = "") -> None:
    """Remove old content-hashed folders (not in `keep`) untouched for an hour."""
    if not parent.is_dir():
        return
    now = time.time()
    for child in parent.iterdir():
        if child.is_dir() and child.name not in keep and child.name.startswith(prefix):
            if now - child.stat().st_mtime > STALE_AFTER_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
