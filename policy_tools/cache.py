"""Where slow, content-addressed build results are kept between builds and between clones.

Like pip's and npm's caches, this lives outside the working tree ($POLICY_CACHE_DIR, else
$XDG_CACHE_HOME/lausd-bul-4926, else ~/.cache/lausd-bul-4926): a fresh clone on a machine that has
built the site before reuses the Brotli copies (a minute of quality-11 compression) and the trimmed
standard library. Every entry is named by the hash of everything it is made from, or checked
against a pinned hash when read, so a stale entry can never be used.
"""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path:
    base = os.environ.get("POLICY_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "lausd-bul-4926") if xdg else str(Path.home() / ".cache" / "lausd-bul-4926")
    return Path(base) / name
