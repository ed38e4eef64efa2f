"""A static file server for the built site, with the headers a static host must send.

Used by ./scripts/serve and by the browser tests. Pyodide needs `.wasm` served as application/wasm
and `.mjs` as JavaScript (module workers refuse other types); see docs/serving.md for other hosts.
"""
from __future__ import annotations

import argparse
import email.utils
import functools
import os
import re
import http.server
import sys
import threading
import urllib.parse
from http import HTTPStatus
from pathlib import Path

from policy_tools.host_files import IMMUTABLE, header_policy

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".csv": "text/csv",
}

# The copies policy_tools/precompress.py writes next to each compressible file, best first.
PRECOMPRESSED = ((".br", "br"), (".gz", "gzip"))


def accepted_encodings(header: str) -> set[str]:
    """Content codings an Accept-Encoding header allows ("br;q=0" refuses br)."""
    accepted = set()
    for part in header.split(","):
        name, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() and quality > 0:
            accepted.add(name.strip().lower())
    return accepted

# A connection that sends nothing (or half a request) for this long is closed, so idle or
# hanging clients cannot hold the server's threads forever.
IDLE_TIMEOUT_S = 30.0

# What a Host header may be for the sitemap rewrite: a plain name or IPv4 address, or a bracketed
# IPv6 address, then the port. Anything else (markup, backslashes) gets the sitemap as built.
_HOST = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]):(?P<port>[0-9]{1,5})")
_LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    timeout = IDLE_TIMEOUT_S  # socket timeout for each connection (StreamRequestHandler)
    # The stdlib answers a request it cannot parse as HTTP/0.9: a body with no status line, which
    # clients read as an empty reply. Every answer gets a status line.
    default_request_version = "HTTP/1.0"
    _status = 0
    # Set per request by translate_path when a precompressed copy exists (policy_tools/precompress.py).
    content_encoding: str | None = None
    vary_encoding = False

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code  # end_headers decides caching from it
        super().send_response(code, message)

    def end_headers(self) -> None:
        # A malformed request (bad version, a line too long) is answered before `path` is set.
        path = getattr(self, "path", "").split("?", 1)[0]
        # Only a file that exists is immutable: an error must not stick in a cache for a year.
        if self._status in (200, 304) and IMMUTABLE.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.content_encoding:
            self.send_header("Content-Encoding", self.content_encoding)
        if self.vary_encoding:
            self.send_header("Vary", "Accept-Encoding")
        # The same policy as every page's meta tag (policy_tools/csp.py), plus frame-ancestors; as a
        # header it also governs the calculators' worker scripts, which a meta tag cannot reach.
        policy = header_policy(Path(self.directory))
        if policy:
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()

    def handle_one_request(self) -> None:
        # A TLS ClientHello (someone typed https://) starts with byte 0x16 and has no line end to
        # wait for: answer it in plain HTTP at once instead of holding the connection open.
        try:
            first = self.rfile.peek(1)[:1]  # type: ignore[attr-defined]
        except OSError:  # the idle timeout, or the client went away
            self.close_connection = True
            return
        if first == b"\x16":
            self.requestline = self.request_version = self.command = ""
            self.close_connection = True
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request: this server speaks plain HTTP, not HTTPS")
            return
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            # The browser stopped reading (it navigated away mid-download): nothing to answer, and
            # not a server fault worth a traceback in the terminal.
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        # A NUL byte (raw or %00) is never part of a file name; open() would raise on it.
        if "\0" in urllib.parse.unquote(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request: the address holds a NUL byte")
            return False
        return True

    def send_head(self):  # type: ignore[no-untyped-def] # stdlib signature
        self.content_encoding, self.vary_encoding = None, False
        return super().send_head()

    def translate_path(self, path: str) -> str:
        """The file to send: its precompressed copy when the browser accepts that encoding."""
        local = super().translate_path(path)
        target = local
        if os.path.isdir(local) and urllib.parse.urlsplit(path).path.endswith("/"):
            target = os.path.join(local, "index.html")
        if not os.path.isfile(target):
            return local
        copies = [(suffix, coding) for suffix, coding in PRECOMPRESSED if os.path.isfile(target + suffix)]
        # The answer depends on Accept-Encoding whenever a copy exists, whichever is sent.
        self.vary_encoding = bool(copies)
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", "")) if self.headers else set()
        for suffix, coding in copies:
            if coding in accepted:
                self.content_encoding = coding
                return target + suffix
        return local

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The type of the file itself, not of its compressed copy."""
        text = os.fspath(path)
        for suffix, coding in PRECOMPRESSED:
            if self.content_encoding == coding and text.endswith(suffix):
                text = text[: -len(suffix)]
        return super().guess_type(text)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/sitemap.xml":
            self.send_sitemap()
            return
        super().do_GET()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No listings: a folder without index.html is simply not found, as on a static host."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def _served_origin(self) -> str | None:
        """`http://host:port` when the request's Host names this server, else None."""
        match = _HOST.fullmatch(self.headers.get("Host", "").strip())
        if match is None:
            return None
        address: tuple[str, int] = self.server.server_address  # type: ignore[assignment]
        bound_host, bound_port = address[0], address[1]
        if int(match["port"]) != bound_port:
            return None
        name = match["name"].lower()
        if bound_host not in ("0.0.0.0", "::", "") and name not in (*_LOCAL_NAMES, str(bound_host).lower()):
            return None
        return f"http://{name}:{bound_port}"

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
        # Browsers send Host as host:port. Only an origin this server answers on is written in
        # (checked, so no markup gets in); any other Host gets the sitemap as built.
        text = sitemap.read_text(encoding="utf-8")
        origin = self._served_origin()
        if origin is not None:
            # The built addresses start with SITE_URL, which may have a path (https://x.org/bul/):
            # the home page's canonical address is it; without one, only the origin moves.
            home = Path(self.directory) / "index.html"
            found = re.search(r'<link rel="canonical" href="(https?://[^"]+/)"', home.read_text(encoding="utf-8")) if home.is_file() else None
            if found:
                text = text.replace(f"<loc>{found.group(1)}", f"<loc>{origin}/")
            else:
                text = re.sub(r"<loc>https?://[^/<]+/", lambda _: f"<loc>{origin}/", text)
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_found_page(self) -> Path:
        """The 404 page in the address's language: es/404.html for a missing /es/... address (issue
        14), as Cloudflare Pages serves the nearest 404.html above the address; else the root's."""
        site = Path(self.directory)
        # A malformed request line sets no path.
        first = urllib.parse.urlsplit(getattr(self, "path", "")).path.lstrip("/").split("/", 1)[0]
        if re.fullmatch(r"[a-z]{2}", first) and (site / first / "404.html").is_file():
            return site / first / "404.html"
        return site / "404.html"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.content_encoding, self.vary_encoding = None, False  # an error body is never a copy
        not_found = self._not_found_page()
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


def make_server(
    root: Path, port: int = 0, host: str = "127.0.0.1", verbose: bool = False, idle_timeout: float = IDLE_TIMEOUT_S
) -> http.server.ThreadingHTTPServer:
    """A server for `root` on host:port (port 0 picks a free one); call serve_forever() or start()."""
    if not (root / "index.html").is_file():
        raise SystemExit(f"error: {root}/index.html not found: build the site first with ./scripts/build")
    handler_class = type("SiteHandler", (SiteHandler,), {"timeout": idle_timeout})
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def start_in_thread(root: Path, port: int = 0, idle_timeout: float = IDLE_TIMEOUT_S) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = make_server(root, port, idle_timeout=idle_timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server_url(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the built site.")
    parser.add_argument("--root", type=Path, default=Path("site"))
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    server = make_server(args.root, args.port, args.host, verbose=True)
    return serve_until_stopped(server, f"Serving {args.root} on {server_url(server)}/ (Ctrl+C to stop)")


def server_url(server: http.server.HTTPServer) -> str:
    """The address a browser opens (the port actually bound: --port 0 picks a free one)."""
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def serve_until_stopped(server: http.server.HTTPServer, message: str) -> int:
    """Say where the site is, then serve until Ctrl+C (this server and policy_tools.watch)."""
    print(message, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
