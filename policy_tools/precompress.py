"""Post-build step: a Brotli (`.br`) and a gzip (`.gz`) copy next to every compressible file.

A host that serves precompressed files (nginx `brotli_static`/`gzip_static`, policy_tools/serve.py)
then sends the smallest encoding the browser accepts without compressing at request time, and at the
highest settings: Brotli quality 11 takes half a minute on the 9.6 MB WebAssembly binary, far too slow
to do per request. Hosts that compress by themselves (Netlify, Cloudflare Pages, GitHub Pages) ignore
the copies. Compressing is cached by content hash (policy_tools.cache, outside the tree), so a
rebuild, or a fresh clone on the same machine, only compresses what changed.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from policy_tools.cache import cache_dir
from policy_tools.files import write_if_changed

ROOT = Path(__file__).resolve().parents[1]
CACHE = cache_dir("precompressed")
ENCODINGS = {".br": "br", ".gz": "gzip"}
# Already compressed (images, fonts, archives that deflate their members): a second pass gains
# nothing. Everything else is tried; the stored standard library zip is compressible on purpose.
INCOMPRESSIBLE = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".br", ".gz", ".whl"}
# A copy must save at least this share of the file to be worth a second request path.
MIN_SAVING = 0.05
# Below this, the headers outweigh any saving.
MIN_SIZE = 256
# Python's start-up snapshot (31 MB, policy_tools.python_snapshot, downloaded by the offline copy
# only): quality 11 takes two minutes on it, quality 9 a second for 0.5 MB more (3.4 MB).
LARGE = 16 * 1024 * 1024
LARGE_QUALITY = 9


def compressible(path: Path) -> bool:
    return path.suffix.lower() not in INCOMPRESSIBLE and path.name != "_headers" and path.stat().st_size >= MIN_SIZE


def compress(data: bytes, encoding: str) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    cached = CACHE / f"{digest}.{encoding}"
    if cached.is_file():
        return cached.read_bytes()
    if encoding == "br":
        out = bytes(brotli.compress(data, quality=11 if len(data) <= LARGE else LARGE_QUALITY))
    else:
        # mtime=0: the same input always gives the same bytes.
        out = gzip.compress(data, compresslevel=9, mtime=0)
    write_if_changed(cached, out)
    return out


def precompress(path: Path) -> None:
    data = path.read_bytes()
    for suffix, encoding in ENCODINGS.items():
        target = path.with_name(path.name + suffix)
        packed = compress(data, encoding)
        if len(packed) <= len(data) * (1 - MIN_SAVING):
            write_if_changed(target, packed)
        else:
            target.unlink(missing_ok=True)


def run_site(site: Path) -> None:
    files = [p for p in sorted(site.rglob("*")) if p.is_file() and p.suffix not in ENCODINGS]
    # A copy whose original is gone (or no longer compressible) would be served for nothing.
    for suffix in ENCODINGS:
        for copy in site.rglob(f"*{suffix}"):
            original = copy.with_name(copy.name[: -len(suffix)])
            if not original.is_file():
                copy.unlink()
    todo = [p for p in files if compressible(p)]
    # Brotli releases the GIL while it compresses, so threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(precompress, todo))
