"""The preview server (policy_tools/serve.py) as a hostile client meets it: malformed requests get
400/414, errors are never cached as immutable, no folder is listed, the sitemap rewrite takes only
the origin being served, and an idle connection is closed. Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from policy_tools.serve import start_in_thread

SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset><url><loc>https://example.org/policy/</loc></url></urlset>\n'
IDLE_S = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>not found</title>", encoding="utf-8")
    (site / "es").mkdir()
    (site / "es" / "404.html").write_text("<!doctype html><title>no encontrada</title>", encoding="utf-8")
    (site / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    pyodide = site / "assets" / "pyodide" / "0.0.0"
    pyodide.mkdir(parents=True)
    (pyodide / "pyodide.mjs").write_text("export {};\n", encoding="utf-8")
    (site / "assets" / "empty").mkdir()
    srv, url = start_in_thread(site, idle_timeout=IDLE_S)
    host, port = srv.server_address[:2]
    yield str(host), int(port)
    srv.shutdown()


def raw(server: tuple[str, int], data: bytes) -> bytes:
    """Send bytes, read the whole reply (the server closes after one response)."""
    with socket.create_connection(server, timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(server: tuple[str, int], path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.mark.parametrize(
    ("name", "request_bytes", "status"),
    [
        ("a bad HTTP version", b"GET / HTTP/9\r\n\r\n", b"400"),
        ("a version that is no version", b"GET / FTP/1.0\r\n\r\n", b"400"),
        ("one word", b"HELLO\r\n\r\n", b"400"),
        ("a TLS hello (https:// typed)", bytes.fromhex("16030100c4010000c00303") + b"\x00" * 64, b"400"),
        ("a 70 kB address", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"414"),
        ("a NUL byte in the path", b"GET /a\x00b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"400"),
        ("an encoded NUL in the path", b"GET /index.html%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"400"),
    ],
)
def test_malformed_requests_get_a_status_not_an_empty_reply(server: tuple[str, int], name: str, request_bytes: bytes, status: bytes) -> None:
    reply = raw(server, request_bytes)
    assert reply.split(b" ", 2)[1:2] == [status], f"{name}: {reply[:200]!r}"


def test_errors_under_immutable_folders_are_not_cached(server: tuple[str, int]) -> None:
    found = get(server, "/assets/pyodide/0.0.0/pyodide.mjs")
    assert found.status == 200 and "immutable" in found.headers["Cache-Control"]
    missing = get(server, "/assets/pyodide/0.0.0/nothing.js")
    assert missing.status == 404
    assert "immutable" not in missing.headers["Cache-Control"], missing.headers["Cache-Control"]
    assert get(server, "/assets/wheels/none.whl").headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    ("path", "title"),
    [("/es/calculadoras/nada/", b"no encontrada"), ("/es/x", b"no encontrada"), ("/esx/", b"not found"), ("/calculators/nothing/", b"not found")],
)
def test_a_missing_address_gets_the_404_page_of_its_language(server: tuple[str, int], path: str, title: str) -> None:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 404
    assert b"<title>" + title + b"</title>" in body, body[:200]


@pytest.mark.parametrize("folder", ["/assets/", "/assets/empty/", "/assets/pyodide/0.0.0/"])
def test_folders_are_never_listed(server: tuple[str, int], folder: str) -> None:
    response = get(server, folder)
    assert response.status == 404
    assert "immutable" not in response.headers["Cache-Control"]


def test_the_sitemap_takes_the_served_origin(server: tuple[str, int]) -> None:
    host, port = server
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/sitemap.xml")
    body = conn.getresponse().read().decode()
    assert f"<loc>http://127.0.0.1:{port}/policy/</loc>" in body, body


@pytest.mark.parametrize(
    "host_header",
    ['evil.example"><script>alert(1)</script>:1', "a\\1b", "a\\gb:80", "evil.example:{port}", "127.0.0.1:1"],
)
def test_the_sitemap_never_takes_a_foreign_or_broken_host(server: tuple[str, int], host_header: str) -> None:
    header = host_header.format(port=server[1])
    reply = raw(server, f"GET /sitemap.xml HTTP/1.1\r\nHost: {header}\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.0 200"), reply[:200]
    assert reply.endswith(SITEMAP.encode()), reply[-300:]


def test_an_idle_connection_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=IDLE_S * 10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")  # half a request, then silence
        assert sock.recv(1024) == b"", "the server kept an idle connection open"


def test_a_silent_connection_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=IDLE_S * 10) as sock:
        assert sock.recv(1024) == b""


def test_a_browser_that_hangs_up_mid_download_leaves_no_traceback(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # A page that navigates away while a big file is on its way: the server's write fails. Seen
    # in the terminal of `./scripts/serve` as a BrokenPipeError traceback before this was handled.
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    (site / "big.bin").write_bytes(b"\0" * 20_000_000)
    srv, _ = start_in_thread(site)
    srv.daemon_threads = False  # so server_close() waits for the handler to finish
    host, port = srv.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as sock:
        sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.0 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset, not close
    srv.shutdown()
    srv.server_close()
    assert "Traceback" not in capfd.readouterr().err
