"""Pure-Python wheels the browser loads on demand (openpyxl for .xlsx rosters), self-hosted.

`browser-wheels.lock` pins each wheel by version and PyPI hash, in groups (`# group: xlsx`). The
build fetches them once with pip (from the package index, like every other pinned package) into
build/browser-wheels/, checks each file's sha256 against the lock, and policy_tools.assets copies
them into docs/assets/wheels/<hash>/ and names them in the manifest (`extras`), so the worker loads
a group only when a file needs it. No request ever goes to another host from the page.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from policy_tools.cache import cache_dir

LOCK = "browser-wheels.lock"
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>\S+)\s+--hash=sha256:(?P<sha>[0-9a-f]{64})\s*$")


class WheelError(Exception):
    """A pinned browser wheel is missing or differs from its pin, worded with what to do."""


@dataclass(frozen=True)
class Pin:
    group: str
    name: str
    version: str
    sha256: str


def pins(root: Path) -> list[Pin]:
    path = root / LOCK
    found: list[Pin] = []
    group = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("# group:"):
            group = stripped.split(":", 1)[1].strip()
            continue
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(stripped)
        if not match or not group:
            raise WheelError(f"{path}:{number}: expected `name==version --hash=sha256:<64 hex>` after a `# group: <name>` line")
        found.append(Pin(group, match["name"], match["version"], match["sha"]))
    return found


def wheels(root: Path) -> dict[str, list[tuple[str, bytes]]]:
    """group -> [(wheel file name, bytes)], each checked against its pinned hash."""
    cache = cache_dir("browser-wheels")
    out: dict[str, list[tuple[str, bytes]]] = {}
    for pin in pins(root):
        path = _cached(cache, pin) or _download(root, cache, pin)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != pin.sha256:
            path.unlink()
            raise WheelError(f"{path.name} does not match its hash in {LOCK}: run the build again to fetch it anew")
        out.setdefault(pin.group, []).append((path.name, data))
    return out


def _prefix(pin: Pin) -> str:
    return f"{pin.name.replace('-', '_').lower()}-{pin.version}-"


def _cached(cache: Path, pin: Pin) -> Path | None:
    if not cache.is_dir():
        return None
    for path in cache.glob("*.whl"):
        if path.name.lower().startswith(_prefix(pin)) and hashlib.sha256(path.read_bytes()).hexdigest() == pin.sha256:
            return path
    return None


def _download(root: Path, cache: Path, pin: Pin) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--only-binary=:all:", "--dest", str(cache), f"{pin.name}=={pin.version}"],
        capture_output=True, text=True, check=False,
    )
    found = _cached(cache, pin)
    if done.returncode != 0 or found is None:
        raise WheelError(f"could not fetch {pin.name}=={pin.version} with pip (pinned in {LOCK}):\n{done.stderr[-1500:]}")
    return found
