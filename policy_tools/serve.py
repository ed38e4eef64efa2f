"""A static file server for the built site, with the headers a static host must send.

Used by ./scripts/serve and by the browser tests. Pyodide needs `.wasm` served as application/wasm
and `.mjs` as JavaScript (module workers refuse other types); see docs/serving.md for other hosts.
"""
from __future__ import annotations

import argparse
import email.utils
import functools
import re
import http.server
import sys
import threading
from pathlib import Path

from policy_tools.csp import read_policy

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".csv": "text/csv",
}

# Files whose names carry a version never change: a repeat visit must not download them again.
IMMUTABLE_PARTS = ("/assets/pyodide/", "/assets/wheels/")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if any(part in path for part in IMMUTABLE_PARTS):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        # The same policy as every page's meta tag (policy_tools/csp.py); as a header it also
        # governs the calculators' worker scripts, which a meta tag cannot reach.
        policy = read_policy(Path(self.directory))
        if policy:
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/sitemap.xml":
            self.send_sitemap()
            return
        super().do_GET()

    def send_sitemap(self) -> None:
        """The sitemap with its addresses moved to the origin being served.

        Material's instant navigation only follows links whose address is in the sitemap, and it
        compares the port too: built for site_url's port, a preview on any other port (the tests'
        free port, PORT=8080) would reload every page. A real host serves the file as built.
        """
        sitemap = Path(self.directory) / "sitemap.xml"
        if not sitemap.is_file():
            self.send_error(404)
            return
        # Conditional like every other file, so a repeat visit downloads nothing.
        modified = email.utils.formatdate(int(sitemap.stat().st_mtime), usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return
        # HTTP/1.1 requests always carry Host; browsers send it as host:port.
        origin = f"http://{self.headers.get('Host', '127.0.0.1')}/"
        body = re.sub(r"<loc>https?://[^/<]+/", f"<loc>{origin}", sitemap.read_text(encoding="utf-8")).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(root: Path, port: int = 0, host: str = "127.0.0.1", verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for `root` on host:port (port 0 picks a free one); call serve_forever() or start()."""
    if not (root / "index.html").is_file():
        raise SystemExit(f"error: {root}/index.html not found: build the site first with ./scripts/build")
    handler = functools.partial(SiteHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def start_in_thread(root: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = make_server(root, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, bound_port = server.server_address[:2]
    return server, f"http://{host!s}:{bound_port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built site.")
    parser.add_argument("--root", type=Path, default=Path("site"))
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    server = make_server(args.root, args.port, args.host, verbose=True)
    print(f"Serving {args.root} on http://{args.host}:{args.port} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
