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
  Node at build time). The full library is 2.5 MB of already-compressed files; the trimmed one keeps
  the first visit inside its download budget and starts faster (docs/serving.md).

`pyodide-manifest.json` tells the browser where they are. The full `python_stdlib.zip` and
`pyodide-lock.json` are copied too, for the bare Pyodide page the benchmark compares against.
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

PACKAGE = "pyodide"
# What loadPyodide fetches in a browser when given lockFileContents and stdLibURL: the loader, the
# Emscripten module and the WebAssembly binary.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# Only the bare benchmark page (docs/assets/bench/bare.html) uses these.
BENCH_FILES = ("python_stdlib.zip", "pyodide-lock.json")
STDLIB = "python_stdlib.zip"
MANIFEST = "pyodide-manifest.json"
# Old content-hashed folders are kept this long so a build running beside ours keeps its files.
STALE_AFTER_SECONDS = 3600
# Modules a Python error needs to be reported legibly, though no successful run imports them.
ALWAYS_KEEP = ("traceback", "linecache", "tokenize", "token", "textwrap", "_colorize")


class AssetError(Exception):
    """A problem with the front-end assets, worded so the reader knows what to run or fix."""


@dataclass(frozen=True)
class PyodidePackage:
    version: str
    directory: Path
    lock_info: dict[str, Any]


def run(root: Path) -> None:
    assets = root / "docs" / "assets"
    pyodide = verify_pyodide(root, RUNTIME_FILES + BENCH_FILES)
    index = assets / "pyodide" / pyodide.version
    for name in RUNTIME_FILES + BENCH_FILES:
        write_if_changed(index / name, (pyodide.directory / name).read_bytes())

    wheel_name, wheel_bytes = build_wheel(root)
    wheel_hash = hashlib.sha256(wheel_bytes).hexdigest()[:16]
    wheel_path = assets / "wheels" / wheel_hash / wheel_name
    write_if_changed(wheel_path, wheel_bytes)
    prune_stale(assets / "wheels", keep=wheel_hash)

    stdlib_key = stdlib_trace_key(pyodide, wheel_bytes, root)
    stdlib_path = index / f"stdlib-{stdlib_key}" / STDLIB
    if not stdlib_path.is_file():
        modules = trace_stdlib_modules(root, pyodide, wheel_path)
        write_if_changed(stdlib_path, trimmed_stdlib(pyodide.directory / STDLIB, modules))
    prune_stale(index, keep=f"stdlib-{stdlib_key}", prefix="stdlib-")

    manifest = {
        "pyodide_version": pyodide.version,
        # Paths are relative to docs/assets/, so the site works under any base path.
        "index": f"pyodide/{pyodide.version}/",
        "stdlib": f"pyodide/{pyodide.version}/stdlib-{stdlib_key}/{STDLIB}",
        "wheel": f"wheels/{wheel_hash}/{wheel_name}",
        # Pyodide checks the ABI in the lock file; an empty package list means it never looks for
        # packages of its own (the calculators need none), so no lock file is fetched either.
        "lock_info": pyodide.lock_info,
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
    if not (root / "calculators" / "rules.json").is_file():
        raise AssetError(
            "calculators/rules.json is missing: the policy_tools.bundle_rules step must run before "
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
            if not any(n.endswith("calculators/rules.json") for n in whl.namelist()):
                raise AssetError("the calculators wheel lacks calculators/rules.json; check pyproject.toml artifacts")
        return wheels[0].name, wheels[0].read_bytes()


# --- A standard library trimmed to what is imported -----------------------------------------------

# Runs in Node: start Pyodide as the browser worker does, install the wheel, import every module the
# calculators name (also those imported inside functions), run the trace requests through the bridge
# and format one error, then list the standard-library files that were read.
TRACE_SCRIPT = r"""
import { readFileSync, writeFileSync } from "node:fs";
const [pyodideDir, wheelPath, requestsPath, lockInfoJson, outPath] = process.argv.slice(-5);
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const py = await loadPyodide({
  indexURL: pyodideDir + "/",
  lockFileContents: { info: JSON.parse(lockInfoJson), packages: {} },
  packageBaseUrl: pyodideDir + "/",
});
await py.loadPackage(wheelPath, { messageCallback: () => {} });
py.globals.set("requests_json", readFileSync(requestsPath, "utf8"));
py.globals.set("always_keep", process.env.ALWAYS_KEEP);
const files = py.runPython(`
import ast, importlib, json, sys, pathlib
import calculators
root = pathlib.Path(calculators.__file__).parent
for source in root.rglob("*.py"):
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
from calculators import bridge
for request in json.loads(requests_json):
    bridge.handle(json.dumps(request))
for name in always_keep.split(","):
    importlib.import_module(name)
try:
    raise ValueError("trace")
except ValueError:
    import traceback
    traceback.format_exc()
zip_prefix = next(p for p in sys.path if p.endswith(".zip")) + "/"
json.dumps(sorted({
    m.__spec__.origin[len(zip_prefix):]
    for m in list(sys.modules.values())
    if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(zip_prefix)
}))
`);
writeFileSync(outPath, files);
"""


def stdlib_trace_key(pyodide: PyodidePackage, wheel: bytes, root: Path) -> str:
    """A hash of everything the trimmed library depends on; unchanged inputs skip the trace."""
    digest = hashlib.sha256()
    for part in (pyodide.version, TRACE_SCRIPT, ",".join(ALWAYS_KEEP), json.dumps(trace_requests(root), sort_keys=True)):
        digest.update(part.encode())
    digest.update(wheel)
    return digest.hexdigest()[:16]


def trace_requests(root: Path) -> list[dict[str, Any]]:
    """Bridge requests that exercise every calculator: the worked examples and some bad input."""
    from policy_tools.calculator_pages import bridge_requests

    return bridge_requests(root)


def trace_stdlib_modules(root: Path, pyodide: PyodidePackage, wheel_path: Path) -> list[str]:
    if not shutil.which("node"):
        raise AssetError("Node.js is needed to trim the standard library: install Node 20 (apt-get install nodejs)")
    with tempfile.TemporaryDirectory(prefix="trace-") as tmp:
        requests = Path(tmp) / "requests.json"
        requests.write_text(json.dumps(trace_requests(root)), encoding="utf-8")
        script = Path(tmp) / "trace.mjs"
        script.write_text(TRACE_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            ["node", str(script), str(pyodide.directory.resolve()), str(wheel_path.resolve()), str(requests),
             json.dumps(pyodide.lock_info), str(Path(tmp) / "files.json")],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "ALWAYS_KEEP": ",".join(ALWAYS_KEEP)},
        )
        if done.returncode != 0:
            raise AssetError(f"tracing the standard library in Pyodide (Node) failed:\n{done.stderr[-3000:]}")
        files: list[str] = json.loads((Path(tmp) / "files.json").read_text(encoding="utf-8"))
    return files


def trimmed_stdlib(full: Path, files: list[str]) -> bytes:
    """python_stdlib.zip with only `files` (and the __init__ of every package they live in)."""
    keep = set(files)
    for name in files:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            keep.add("/".join(parts[:depth]) + "/__init__.py")
    out = io.BytesIO()
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in keep:
                copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                copy.compress_type = zipfile.ZIP_DEFLATED
                copy.external_attr = info.external_attr
                dst.writestr(copy, src.read(info), compresslevel=9)
    return out.getvalue()


# --- Files ------------------------------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (temp file + rename) and only when the content differs; True if written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def prune_stale(parent: Path, keep: str, prefix: str = "") -> None:
    """Remove old content-hashed folders (not `keep`) untouched for an hour."""
    if not parent.is_dir():
        return
    now = time.time()
    for child in parent.iterdir():
        if child.is_dir() and child.name != keep and child.name.startswith(prefix):
            if now - child.stat().st_mtime > STALE_AFTER_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
