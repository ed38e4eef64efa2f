"""Post-build step: the `_headers` file that Netlify and Cloudflare Pages read, for this very build.

It carries what docs/serving.md asks of a host, with the exact values of this build:

- `Content-Security-Policy` with this build's script hashes (the same policy as every page's meta tag,
  policy_tools/csp.py) plus `frame-ancestors 'self'`, which only a header can carry;
- `X-Content-Type-Options: nosniff`; `Content-Type: application/wasm` for each WebAssembly file;
- `Cache-Control: public, max-age=31536000, immutable` for files whose path carries a version or
  content hash (IMMUTABLE), `no-cache` for everything else.

The two hosts disagree when several rules set the same header for one path (Netlify keeps the last,
Cloudflare joins the values with commas), so the caching rules never overlap: the site's folders are
split into rules that each cover only immutable or only revalidated files. Cloudflare Pages reads at
most 100 rules of at most 2,000 characters a line; the build stops before writing a file it would cut.
"""
from __future__ import annotations

import re
from pathlib import Path

from policy_tools.csp import read_policy
from policy_tools.files import write_if_changed

# Paths (relative to the site, or URL paths) that never change content: Pyodide's versioned folder,
# the content-hashed wheel and standard library, Material's hashed bundles, Workbox's hashed runtime.
IMMUTABLE = re.compile(
    r"(^|/)assets/(pyodide|wheels)/"
    r"|\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$"
    r"|(^|/)workbox-[0-9a-f]{8}\.js$"
)
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
REVALIDATE_CACHE = "no-cache"
FILE = "_headers"
MAX_RULES = 100
MAX_LINE = 2000
# Copies for hosts that serve precompressed files; hosts reading _headers compress by themselves.
SKIPPED_SUFFIXES = (".br", ".gz")


class HeadersError(SystemExit):
    """Stops the build with a message (no traceback)."""



def header_policy(site: Path) -> str | None:
    """The policy a host sends as a header: the pages' policy plus what a meta tag cannot carry."""
    policy = read_policy(site)
    return f"{policy}; frame-ancestors 'self'" if policy else None


def immutable(url_path: str) -> bool:
    return IMMUTABLE.search(url_path) is not None


def served_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES) and p.name != FILE]


def cache_rules(site: Path) -> list[tuple[str, str]]:
    """(URL pattern, Cache-Control) rules that together cover every file once, never overlapping."""
    rules: list[tuple[str, str]] = []

    def url(path: Path) -> str:
        return "/" + path.relative_to(site).as_posix()

    def cover(folder: Path) -> None:
        kinds = {immutable(url(p)) for p in served_files(folder)}
        if folder != site and len(kinds) == 1:
            rules.append((url(folder) + "/*", IMMUTABLE_CACHE if kinds.pop() else REVALIDATE_CACHE))
            return
        for child in sorted(folder.iterdir()):
            if child.is_dir():
                if served_files(child):
                    cover(child)
            elif child.name != FILE and not child.name.endswith(SKIPPED_SUFFIXES):
                rules.append((url(child), IMMUTABLE_CACHE if immutable(url(child)) else REVALIDATE_CACHE))
                if child.name == "index.html":
                    # The folder's own address serves its index.html.
                    rules.append((url(child)[: -len("index.html")], REVALIDATE_CACHE))

    cover(site)
    return rules


def headers_text(site: Path) -> str:
    policy = header_policy(site)
    if policy is None:
        raise HeadersError(f"{site}/index.html has no Content-Security-Policy: the policy_tools.csp step must run first")
    blocks = [
        "# Written by the build (policy_tools/host_files.py) for Netlify and Cloudflare Pages; do not edit.",
        f"/*\n  Content-Security-Policy: {policy}\n  X-Content-Type-Options: nosniff",
    ]
    blocks += [f"/{p.relative_to(site).as_posix()}\n  Content-Type: application/wasm" for p in sorted(site.rglob("*.wasm"))]
    blocks += [f"{pattern}\n  Cache-Control: {value}" for pattern, value in cache_rules(site)]
    rules = len(blocks) - 1
    if rules > MAX_RULES:
        raise HeadersError(f"{FILE} would have {rules} rules; Cloudflare Pages reads only {MAX_RULES}")
    text = "\n".join(blocks) + "\n"
    long_lines = [line[:60] for line in text.splitlines() if len(line) > MAX_LINE]
    if long_lines:
        raise HeadersError(f"{FILE} has lines longer than {MAX_LINE} characters (Cloudflare Pages cuts them): {long_lines}")
    return text


def run_site(site: Path) -> None:
    write_if_changed(site / FILE, headers_text(site).encode("utf-8"))


if __name__ == "__main__":
    import sys

    print(headers_text(Path(sys.argv[1] if len(sys.argv) > 1 else "site")), end="")
