"""The pinned Pyodide package in node_modules, checked against package-lock.json before anything of
it is served: the version, the npm `integrity` recomputed from the tarball in npm's cache, then
every file compared with that tarball (policy_tools.assets copies only what passed).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "pyodide"
# What loadPyodide fetches in a browser when given lockFileContents and stdLibURL: the loader, the
# Emscripten module and the WebAssembly binary.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


class AssetError(Exception):
    """A problem with the front-end assets, worded so the reader knows what to run or fix."""


@dataclass(frozen=True)
class PyodidePackage:
    version: str
    directory: Path
    lock_info: dict[str, Any]


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
