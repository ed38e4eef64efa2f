"""Pyodide and the calculators wheel, served from the site itself (issue 6).

Prepare step. Three things land in docs/assets/ (all generated, never committed):

- `pyodide/<version>/`: the Pyodide runtime files, copied from node_modules/pyodide only after the
  package is checked against package-lock.json (the version, and the npm `integrity` recomputed from
  the tarball in npm's cache, then every copied file compared with that tarball), so what we serve is
  exactly what the lock file pins.
- `wheels/<hash>/calculators-<v>-pyodide.zip`: the calculators as the browser runs them, compiled
  to bytecode for Pyodide's Python from the wheel the standard backend (hatchling) builds with
  calculators/rules.json, formats.json and wording.json inside (so Python compiles nothing of ours
  at start-up), stored for the transfer encoding; the folder is named by its content hash so it can
  be cached for ever. `wheels/<hash>/` also holds the pinned wheels some files need (openpyxl).
- `pyodide/<version>/stdlib-<hash>/python_stdlib.zip`: the part of Python's standard library that
  Pyodide's start-up and the calculators actually import (found by running them in Pyodide under
  Node at build time), compiled to bytecode. The full library is 2.5 MB of sources that Python
  compiles at every start; the trimmed one is a third of that and needs no compiling, which is most
  of the difference in start-up time (docs/serving.md). Its members are stored, not deflated, so
  the transfer encoding (the precompressed `.br` beside it, policy_tools/precompress.py) compresses
  the whole file: 0.54 MB with Brotli instead of 0.78 MB deflated member by member. The modules only
  openpyxl imports (xml.etree, ...) are `python_stdlib_xlsx.zip` beside it, loaded with openpyxl.
- `pyodide/<version>/snapshot-<hash>/python-snapshot.bin`: Python's memory once started and the
  calculators imported, made from the files above (policy_tools.python_snapshot); a repeat visit
  restores it from the offline copy instead of starting Python again.

The Pyodide check is policy_tools.pyodide_package, the trimming policy_tools.trimmed_stdlib.
`pyodide-manifest.json` tells the browser where they are. Nothing else is copied: the full standard
library and Pyodide's lock file are loaded by no page of the site (scripts/bench_browser.py serves
them to its bare Pyodide page straight from node_modules).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from policy_tools import browser_wheels
from policy_tools.files import write_if_changed
from policy_tools.pyodide_package import RUNTIME_FILES, AssetError, verify_pyodide
from policy_tools.python_snapshot import SNAPSHOT, python_snapshot, stored_snapshot
from policy_tools.trimmed_stdlib import STDLIB, STDLIB_XLSX, stdlib_trace_key, trace_requests, trimmed_stdlib

__all__ = ["RUNTIME_FILES", "AssetError", "build_wheel", "prune_stale", "run", "verify_pyodide"]

# Copied by earlier builds and loaded by no page: removed from docs/ so the site does not ship them.
NOT_SHIPPED = ("python_stdlib.zip", "pyodide-lock.json")
MANIFEST = "pyodide-manifest.json"
# Old content-hashed folders are kept this long so a build running beside ours keeps its files.
STALE_AFTER_SECONDS = 3600
# The compiled calculators (bytecode for Pyodide's Python, and the bundled data): not a wheel.
PACKAGE_NAME = "calculators-{version}-pyodide.zip"


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
    # Wheels some files need (openpyxl for .xlsx), loaded by the worker only then.
    extras: dict[str, list[str]] = {}
    extra_paths: list[Path] = []
    kept = set()
    for group, files in browser_wheels.wheels(root).items():
        for name, data in files:
            folder = hashlib.sha256(data).hexdigest()[:16]
            write_if_changed(assets / "wheels" / folder / name, data)
            extras.setdefault(group, []).append(f"wheels/{folder}/{name}")
            extra_paths.append(assets / "wheels" / folder / name)
            kept.add(folder)

    key = stdlib_trace_key(pyodide, wheel_bytes + b"".join(p.read_bytes() for p in extra_paths), root)
    with tempfile.TemporaryDirectory(prefix="wheel-") as tmp:
        wheel_path = Path(tmp) / wheel_name
        wheel_path.write_bytes(wheel_bytes)
        traced = trimmed_stdlib(root, pyodide, wheel_path, key, extra_paths)
    # The browser loads the calculators compiled (the wheel's sources, as bytecode, and its data),
    # in a folder named by content so it can be cached for ever.
    package_hash = hashlib.sha256(traced.calculators).hexdigest()[:16]
    package = f"wheels/{package_hash}/{PACKAGE_NAME.format(version=wheel_name.split('-')[1])}"
    write_if_changed(assets / package, traced.calculators)
    kept.add(package_hash)
    prune_stale(assets / "wheels", keep=kept)
    # Named by content, so a change to the calculators that imports nothing new keeps the cached copy.
    stdlib_folder = f"stdlib-{hashlib.sha256(traced.stdlib + traced.stdlib_xlsx).hexdigest()[:16]}"
    write_if_changed(index / stdlib_folder / STDLIB, traced.stdlib)
    write_if_changed(index / stdlib_folder / STDLIB_XLSX, traced.stdlib_xlsx)
    prune_stale(index, keep={stdlib_folder}, prefix="stdlib-")
    # The modules only openpyxl needs come with it, never on the first visit.
    extras.setdefault("xlsx", []).append(f"pyodide/{pyodide.version}/{stdlib_folder}/{STDLIB_XLSX}")
    # Python's memory after start-up, for repeat visits only (policy_tools.python_snapshot).
    snapshot = python_snapshot(pyodide, traced.stdlib, traced.calculators, trace_requests(root)[0])
    stored = stored_snapshot(snapshot)
    snapshot_folder = f"snapshot-{hashlib.sha256(stored).hexdigest()[:16]}"
    write_if_changed(index / snapshot_folder / SNAPSHOT, stored)
    prune_stale(index, keep={snapshot_folder}, prefix="snapshot-")

    manifest = {
        "pyodide_version": pyodide.version,
        # Paths are relative to docs/assets/, so the site works under any base path.
        "index": f"pyodide/{pyodide.version}/",
        "stdlib": f"pyodide/{pyodide.version}/{stdlib_folder}/{STDLIB}",
        "calculators": package,
        # Made from exactly these runtime, library and calculators files; used only from the offline copy.
        "snapshot": f"pyodide/{pyodide.version}/{snapshot_folder}/{SNAPSHOT}",
        # The file's length, and Python's memory it fills (the rest zeros).
        "snapshot_bytes": {"file": len(stored), "memory": len(snapshot)},
        # Pyodide checks the ABI in the lock file; an empty package list means it never looks for
        # packages of its own (the calculators need none), so no lock file is fetched either.
        "lock_info": pyodide.lock_info,
        "extras": extras,
    }
    write_if_changed(assets / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


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
