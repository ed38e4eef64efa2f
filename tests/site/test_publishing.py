"""What a host gets from the build (issue 18): the `_headers` file with this build's policy, a `.br`
and `.gz` next to every compressible file, nothing that no page loads, and a local server that sends
the precompressed copies with the right Content-Encoding and Vary.
"""
from __future__ import annotations

import gzip
import json
import re
import urllib.request
import zipfile
from email.message import Message
from pathlib import Path

import brotli
import pytest

from policy_tools import csp, host_files, precompress
from policy_tools.pyodide_package import AssetError
from policy_tools.python_snapshot import stored_snapshot

IMMUTABLE = "public, max-age=31536000, immutable"


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            rules.append((line, {}))
        else:
            name, _, value = line.strip().partition(": ")
            assert name not in rules[-1][1], f"{rules[-1][0]} sets {name} twice"
            rules[-1][1][name] = value
    return rules


def matches(pattern: str, path: str) -> bool:
    """Netlify and Cloudflare Pages: `*` matches anything (also nothing), the rest is literal."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path) is not None


def served_paths(site: Path) -> list[str]:
    return ["/" + p.relative_to(site).as_posix() for p in host_files.served_files(site)]


def test_headers_carry_this_builds_policy_nosniff_and_wasm_type(site_dir: Path) -> None:
    rules = parse_headers((site_dir / "_headers").read_text(encoding="utf-8"))
    everything = dict(rules)["/*"]
    assert everything["Content-Security-Policy"] == f"{csp.read_policy(site_dir)}; frame-ancestors 'self'"
    assert everything["X-Content-Type-Options"] == "nosniff"
    for wasm in site_dir.rglob("*.wasm"):
        path = "/" + wasm.relative_to(site_dir).as_posix()
        assert [h["Content-Type"] for p, h in rules if "Content-Type" in h and matches(p, path)] == ["application/wasm"]
    assert len(rules) <= host_files.MAX_RULES


def test_every_file_gets_exactly_one_cache_rule_immutable_only_when_its_path_is_versioned(site_dir: Path) -> None:
    rules = [(p, h["Cache-Control"]) for p, h in parse_headers((site_dir / "_headers").read_text(encoding="utf-8")) if "Cache-Control" in h]
    paths = served_paths(site_dir) + ["/", "/calculators/chronic-absence/"]
    for path in paths:
        found = [value for pattern, value in rules if matches(pattern, path)]
        assert len(found) == 1, f"{path}: {found}"
    expect = {
        "/": "no-cache",
        "/index.html": "no-cache",
        "/calculators/chronic-absence/index.html": "no-cache",
        "/sw.js": "no-cache",
        "/assets/pyodide-manifest.json": "no-cache",
        "/assets/js/py-worker.mjs": "no-cache",
    }
    manifest = json.loads((site_dir / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))
    for name in ("calculators", "stdlib"):
        expect["/assets/" + manifest[name]] = IMMUTABLE
    expect[next(p for p in paths if re.search(r"/bundle\.[0-9a-f]{8}\.min\.js$", p))] = IMMUTABLE
    for path, value in expect.items():
        assert [v for pattern, v in rules if matches(pattern, path)] == [value], path


def test_every_compressible_file_has_a_brotli_and_a_gzip_copy_of_the_same_bytes(site_dir: Path) -> None:
    wasm = next(site_dir.rglob("pyodide.asm.wasm"))
    checked = 0
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz") or not precompress.compressible(path):
            continue
        if path.suffix not in (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".xml"):
            continue
        data = path.read_bytes()
        br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        assert br.is_file() and gz.is_file(), path
        # Decompressing the 9.6 MB binary twice is slow; its size says enough.
        if path != wasm:
            assert brotli.decompress(br.read_bytes()) == data, br
            assert gzip.decompress(gz.read_bytes()) == data, gz
        assert br.stat().st_size < gz.stat().st_size < len(data), path
        checked += 1
    assert checked > 30


def test_nothing_is_shipped_that_no_page_loads_and_the_library_is_stored_for_brotli(site_dir: Path) -> None:
    manifest = json.loads((site_dir / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))
    index = site_dir / "assets" / manifest["index"]
    assert not (index / "python_stdlib.zip").exists(), "the full standard library is loaded by no page"
    assert not (index / "pyodide-lock.json").exists()
    assert [p.name for p in index.glob("stdlib-*")] == [Path(manifest["stdlib"]).parent.name]
    # The compiled calculators, and the wheels the worker loads on demand (openpyxl when an .xlsx
    # roster is chosen), each named in the manifest: no other wheel is shipped.
    loaded = [manifest["calculators"], *(path for paths in manifest.get("extras", {}).values() for path in paths)]
    wheels = {Path(path).parent.name for path in loaded if path.startswith("wheels/")}
    assert sorted(p.name for p in (site_dir / "assets" / "wheels").iterdir()) == sorted(wheels)
    for path in loaded:
        assert (site_dir / "assets" / path).is_file(), f"the manifest names {path}, which is not shipped"
    with zipfile.ZipFile(site_dir / "assets" / manifest["stdlib"]) as stdlib:
        assert {member.compress_type for member in stdlib.infolist()} == {zipfile.ZIP_STORED}
        first_visit = stdlib.namelist()
    # What only openpyxl imports comes with it, when an .xlsx file is chosen: never on the first visit.
    assert not [name for name in first_visit if name.startswith("xml/")]
    xlsx_part = [path for path in manifest["extras"]["xlsx"] if path.endswith("python_stdlib_xlsx.zip")]
    assert len(xlsx_part) == 1
    with zipfile.ZipFile(site_dir / "assets" / xlsx_part[0]) as part:
        assert "xml/etree/ElementTree.pyc" in part.namelist()
    with zipfile.ZipFile(site_dir / "assets" / manifest["calculators"]) as package:
        assert {member.compress_type for member in package.infolist()} == {zipfile.ZIP_STORED}
    stdlib_br = (site_dir / "assets" / (manifest["stdlib"] + ".br")).stat().st_size
    assert stdlib_br < 600_000
    # One start-up snapshot, this build's, named with its length and the memory it fills.
    snapshot = site_dir / "assets" / manifest["snapshot"]
    assert [p.name for p in index.glob("snapshot-*")] == [snapshot.parent.name]
    assert snapshot.stat().st_size == manifest["snapshot_bytes"]["file"] < manifest["snapshot_bytes"]["memory"]


def test_no_file_is_over_what_a_host_takes_in_one_file(site_dir: Path) -> None:
    """Cloudflare Pages refuses a deploy with a file over 25 MiB (docs/serving.md); Python's
    start-up snapshot is stored without its trailing zeros to stay under it."""
    largest = max((p for p in site_dir.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    assert largest.stat().st_size <= 25 * 2**20, largest
    with pytest.raises(AssetError, match="over the 25 MiB"):
        stored_snapshot(b"\1" * (25 * 2**20 + 1) + bytes(100))
    assert stored_snapshot(b"\1\0\2" + bytes(100)) == b"\1\0\2"


def fetch(url: str, encoding: str | None) -> tuple[Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"), (None, None)],
)
def test_serve_sends_the_precompressed_copy_the_browser_accepts(site_dir: Path, base_url: str, accept: str | None, encoding: str | None) -> None:
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda data: data}
    for path, local, kind in (
        ("/calculators/chronic-absence/", "calculators/chronic-absence/index.html", "text/html"),
        ("/assets/js/py-worker.mjs", "assets/js/py-worker.mjs", "text/javascript"),
    ):
        headers, body = fetch(base_url + path, accept)
        assert headers.get("Content-Encoding") == encoding, path
        assert headers["Vary"] == "Accept-Encoding"
        assert headers["Content-Type"].startswith(kind)
        assert int(headers["Content-Length"]) == len(body)
        assert decode[encoding](body) == (site_dir / local).read_bytes()


def test_serve_sends_the_wasm_as_application_wasm_in_brotli(site_dir: Path, base_url: str) -> None:
    wasm = next(site_dir.rglob("pyodide.asm.wasm"))
    request = urllib.request.Request(base_url + "/" + wasm.relative_to(site_dir).as_posix(), method="HEAD", headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"] == "application/wasm"
        assert response.headers["Content-Encoding"] == "br"
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert int(response.headers["Content-Length"]) == wasm.with_name(wasm.name + ".br").stat().st_size


def test_the_service_worker_precaches_every_built_page_and_what_the_calculators_load(site_dir: Path) -> None:
    worker = (site_dir / "sw.js").read_text(encoding="utf-8")
    urls = set(re.findall(r'url:"([^"]+)"', worker))
    pages = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")}
    assert pages - urls == set(), "pages missing from the offline copy"
    manifest = json.loads((site_dir / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))
    runtime = {manifest["index"] + name for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")}
    assert {"assets/" + manifest["calculators"], "assets/" + manifest["stdlib"]} | {"assets/" + r for r in runtime} <= urls
    assert {"assets/pyodide-manifest.json", "assets/js/py-worker.mjs", "search/search_index.json"} <= urls
    assert [u for u in urls if u.endswith((".br", ".gz", ".map")) or u in ("_headers", "sw.js")] == []
    # Never an address with a query: the calculators' inputs are not part of any cached address.
    # The one exception is fixed at build time: the search worker adapter under the address pages
    # load it by (`?material=` names Material's worker; a worker reads its own address).
    assert "ignoreURLParametersMatching:[/.*/]" in worker
    adapter = re.compile(r"assets/javascripts/workers/search-every-word\.js\?material=search\.[0-9a-f]+\.min\.js&lang=(en|es)")
    assert [u for u in urls if "?" in u and not adapter.fullmatch(u)] == []
    assert any(adapter.fullmatch(u) for u in urls), "the search worker adapter is not stored under the address pages load"
