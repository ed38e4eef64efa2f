"""Post-build step: the service worker that keeps every page and calculator working offline.

Workbox (`workbox-build`, pinned in package-lock.json) writes `sw.js` and its runtime
`workbox-<hash>.js` into the site, with a precache manifest of every file the site's pages load,
each under its content hash. Found by glob, never by a list, so a new page (Spanish pages, a PDF) is
precached by the next build without a change here. Left out: the precompressed copies (the browser
gets the decoded file anyway), source maps, the host files, and the search languages no page uses.

The page side is docs/assets/js/offline.mjs (registration and the "updated" notice).
Only the site's own files are ever stored: there is no runtime caching, and an address with a
query (a calculator's inputs) is answered from the precached page without being stored.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from policy_tools.host_files import IMMUTABLE
from policy_tools.search_index import ADAPTER

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("service_worker.mjs")
SW_NAME = "sw.js"
CACHE_ID = "bul-4926"
# Loaded by sw.js before Workbox: the runtime's WebAssembly answered by the HTTP cache when online.
HTTP_CACHE_SCRIPT = "assets/js/sw-http-cache.js"

ALWAYS_IGNORED = [
    "**/*.br",
    "**/*.gz",
    "**/*.map",
    "_headers",
    SW_NAME,
    "workbox-*.js",
]
LUNR = "assets/javascripts/lunr"
ADAPTER_DIR = "assets/javascripts/workers"


class OfflineError(SystemExit):
    """Stops the build with a message (no traceback)."""



def search_languages(site: Path) -> list[str]:
    try:
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return [str(lang) for lang in index["config"]["lang"]]
    except (OSError, KeyError, ValueError):
        return ["en"]


def unused_search_files(site: Path) -> list[str]:
    """Material's search loads lunr's language files only for languages other than English."""
    languages = [lang for lang in search_languages(site) if lang != "en"]
    needed = set()
    if languages:
        needed = {f"{LUNR}/min/lunr.stemmer.support.min.js", f"{LUNR}/min/lunr.multi.min.js"}
        needed |= {f"{LUNR}/min/lunr.{lang}.min.js" for lang in languages}
        if "ja" in languages:
            needed.add(f"{LUNR}/tinyseg.js")
        if "th" in languages:
            needed.add(f"{LUNR}/wordcut.js")
    folder = site / LUNR
    if not folder.is_dir():
        return []
    return sorted(
        path.relative_to(site).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(site).as_posix() not in needed
    )


def drop_unloaded(site: Path) -> None:
    """Remove the content-hashed wheel and library folders of earlier builds that docs/ still holds.

    policy_tools.assets keeps them in docs/ for an hour, for a build running beside this one; in
    this site no page loads them, and precaching them would download them for nothing.
    """
    manifest = json.loads((site / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))
    assets = site / "assets"
    keep = {(assets / manifest["calculators"]).parent, (assets / manifest["stdlib"]).parent}
    # Wheels the worker loads only for some files (openpyxl for .xlsx rosters) are loaded too.
    keep |= {(assets / path).parent for paths in manifest.get("extras", {}).values() for path in paths}
    index = assets / manifest["index"]
    keep.add((assets / manifest["snapshot"]).parent)
    candidates = [*(assets / "wheels").glob("*"), *index.glob("stdlib-*"), *index.glob("snapshot-*")]
    for folder in candidates:
        if folder.is_dir() and folder not in keep:
            shutil.rmtree(folder)


def adapter_entries(site: Path) -> list[dict[str, str]]:
    """The search worker adapter is loaded as `search-every-word.js?material=<Material's worker>&lang=<the
    page's language>` and reads those parameters from its own address. A worker's address is the
    address of the response it was given, so the precached copy must be stored under each full
    address: answered from the query-less copy, the adapter would load `workers/null`."""
    folder = site / ADAPTER_DIR
    adapter = folder / ADAPTER
    if not adapter.is_file():
        return []
    revision = hashlib.md5(adapter.read_bytes()).hexdigest()
    return [
        {"url": f"{ADAPTER_DIR}/{ADAPTER}?{urlencode({'material': worker.name, 'lang': lang})}", "revision": revision}
        for worker in sorted(folder.glob("search.*.min.js"))
        for lang in search_languages(site)
    ]


def run_site(site: Path) -> None:
    drop_unloaded(site)
    if not shutil.which("node"):
        raise OfflineError("Node.js is needed to write the service worker: install Node 20 (apt-get install nodejs)")
    for old in site.glob("workbox-*.js"):
        old.unlink()
    config = {
        "globIgnores": ALWAYS_IGNORED + unused_search_files(site),
        "immutable": IMMUTABLE.pattern,
        "swName": SW_NAME,
        "cacheId": CACHE_ID,
        "additionalManifestEntries": adapter_entries(site),
        "importScripts": [HTTP_CACHE_SCRIPT],
    }
    done = subprocess.run(
        ["node", str(SCRIPT), str(site), json.dumps(config)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise OfflineError(f"writing the service worker (workbox-build) failed:\n{done.stderr[-3000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"offline: {summary['count']} files precached, {summary['size'] / 1e6:.1f} MB", file=sys.stderr)
