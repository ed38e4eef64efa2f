"""Edit and see it (issue 16): serve the site, rebuild what changed, reload the open page.

    ./scripts/serve                      # builds, then runs this on http://127.0.0.1:8000
    python -m policy_tools.watch --port 8000 [--root .]

Watches policy_data/, docs/ (not the pages generated into it), overrides/, the calculator page
templates and mkdocs.yml (watchdog, which MkDocs itself uses). On a change it runs only the steps
that change needs, in this process (imports and the MkDocs configuration stay warm):

- a calculator's rules, worked examples or page templates: every policy_tools.prepare step;
- any other policy_data/ file: validate, generate, spanish, version_line;
- docs/, overrides/: nothing before MkDocs.

MkDocs then builds into the one of two folders (.live/a, .live/b) that is not being served: a
dirty build (only the pages whose source changed) when the set of pages and the configuration are
unchanged, else a full one; then the post-build steps (not the PDF: POLICY_PDF=0). Only a build
where every step passed is swapped in, and the open page reloads itself (Server-Sent Events from
/__live/events, script /__live/reload.js, both served by this process only). A data error prints
its file, line and field and the last good site stays up.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import logging
import os
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from policy_tools.serve import SiteHandler

ROOT = Path(__file__).resolve().parents[1]
# Written by the build itself: watching them would rebuild forever.
GENERATED = ("docs/policy", "docs/reference", "docs/ref", "docs/includes", "docs/calculators",
             "docs/assets/pyodide", "docs/assets/wheels", "docs/assets/pyodide-manifest.json", "docs/assets/bench",
             "overrides/partials/generated")
WATCHED = ("policy_data", "docs", "overrides", "policy_tools/calculator_templates", "mkdocs.yml")
DATA_STEPS = ["policy_tools.validate", "policy_tools.generate", "policy_tools.spanish", "policy_tools.version_line"]

RELOAD_JS = b"""// Live preview only (policy_tools.watch): reload this page when a rebuild has been swapped in.
(function () {
  if (window.__policyLive) return;
  window.__policyLive = true;
  var source = new EventSource("/__live/events");
  var seen = null;
  source.onmessage = function (event) {
    if (seen !== null && event.data !== seen) window.location.reload();
    seen = event.data;
  };
})();
"""
INJECT = b'<script src="/__live/reload.js"></script>'


class Live:
    """The folder being served, and a counter the open pages watch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.build_id = str(time.time())
        self.changed = threading.Condition()

    def swap(self, root: Path) -> None:
        with self.changed:
            self.root = root
            self.build_id = str(time.time())
            self.changed.notify_all()


class LiveHandler(SiteHandler):
    live: Live

    def __init__(self, *args: Any, live: Live, **kwargs: Any) -> None:
        self.live = live
        super().__init__(*args, directory=str(live.root), **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/__live/reload.js":
            self._send(200, "text/javascript", RELOAD_JS)
        elif path == "/__live/events":
            self._events()
        else:
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path != "/sitemap.xml":
                body = target.read_bytes().replace(b"</body>", INJECT + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", body)
            else:
                super().do_GET()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = ""
        try:
            while True:
                with self.live.changed:
                    if self.live.build_id == sent:
                        self.live.changed.wait(timeout=15)
                    current = self.live.build_id
                self.wfile.write(f"data: {current}\n\n".encode() if current != sent else b": keep-alive\n\n")
                self.wfile.flush()
                sent = current
        except (BrokenPipeError, ConnectionResetError):
            return


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; under strict mode that warning alone would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())


class Builder:
    """Rebuilds into the folder not being served; swaps it in only when every step passed."""

    def __init__(self, root: Path, live: Live, out=sys.stderr) -> None:  # type: ignore[no-untyped-def]
        self.root = root
        self.live = live
        self.out = out
        self.folders = [root / ".live" / "a", root / ".live" / "b"]
        self.config: Any = None
        self.config_mtime = 0.0
        self.pages: set[str] = set()
        self.lock = threading.Lock()

    def log(self, message: str) -> None:
        print(message, file=self.out, flush=True)

    def _config(self) -> Any:
        from mkdocs.config import load_config

        config_file = self.root / "mkdocs.yml"
        mtime = config_file.stat().st_mtime
        if self.config is None or mtime != self.config_mtime:
            self.config = load_config(str(config_file))
            # As `mkdocs serve` does: plugins keep their state between builds (Material's search
            # index merges a dirty build's pages into the previous index).
            self.config.plugins.on_startup(command="serve", dirty=True)
            self.config_mtime = mtime
            return None  # a new configuration: the next build must be a full one
        return self.config

    def _doc_pages(self) -> set[str]:
        docs = self.root / "docs"
        return {str(p.relative_to(docs)) for p in docs.rglob("*.md")}

    def start(self) -> None:
        """Fill both folders: the first from a full build (MkDocs' state starts here)."""
        self.build(set(), first=True)

    def build(self, changed: set[str], first: bool = False) -> bool:
        with self.lock:
            started = time.perf_counter()
            try:
                steps = self._prepare_steps(changed) if not first else self._prepare_steps({"policy_data/rules/"})
                for name in steps:
                    importlib.import_module(name).run(self.root)
                prepared = time.perf_counter()
                config = self._config()
                pages = self._doc_pages()
                full = first or config is None or pages != self.pages or any(
                    c.startswith(("overrides/", "mkdocs.yml")) for c in changed)
                config = self.config
                target = self.folders[1] if self.live.root == self.folders[0] else self.folders[0]
                if first:
                    target = self.folders[0]
                config["site_dir"] = str(target)
                from mkdocs.commands.build import build as mkdocs_build

                mkdocs_build(config, dirty=not full)
                built = time.perf_counter()
                os.environ["POLICY_PDF"] = "0"
                from policy_tools import postbuild

                postbuild.main([str(target)])
                self.pages = pages
            except SystemExit as exc:  # validate prints each problem (file, line, field) first
                reason = f": {exc}" if str(exc) and not str(exc).isdigit() else ""
                self.log(f"watch: not rebuilt{reason}; still serving the last good site")
                return False
            except Exception as exc:  # noqa: BLE001 - any failure keeps the last good site up
                message = str(exc) or type(exc).__name__
                self.log(f"error: {message}")
                if os.environ.get("WATCH_DEBUG"):
                    traceback.print_exc()
                self.log("watch: not rebuilt; still serving the last good site")
                return False
            self.live.swap(target)
            if first:
                # The other folder starts as a copy, so either can take the next (dirty) build.
                other = self.folders[1]
                shutil.rmtree(other, ignore_errors=True)
                shutil.copytree(target, other, symlinks=True)
            done = time.perf_counter()
            self.log(f"watch: rebuilt in {done - started:.2f}s ({'full' if full else 'changed pages'}; prepare "
                     f"{prepared - started:.2f}s, MkDocs {built - prepared:.2f}s, post-build {done - built:.2f}s): "
                     f"{', '.join(sorted(changed)) or 'everything'}")
            return True

    def _prepare_steps(self, changed: set[str]) -> list[str]:
        from policy_tools.prepare import STEPS

        everything = any(c.startswith(("policy_data/rules/", "policy_data/examples/", "policy_tools/calculator_templates/"))
                         for c in changed)
        if everything:
            return list(STEPS)
        if any(c.startswith("policy_data/") for c in changed):
            return [s for s in STEPS if s in DATA_STEPS]
        return []


def watch(root: Path, builder: Builder, debounce: float = 0.05) -> Any:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    pending: set[str] = set()
    wake = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # "closed": a file written and closed (most editors); "moved": saved by rename (sed -i, vim).
            if event.event_type not in ("modified", "created", "deleted", "moved", "closed"):
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if not raw:
                    continue
                path = Path(os.fsdecode(raw))
                try:
                    rel = path.resolve().relative_to(root).as_posix()
                except ValueError:
                    continue
                if path.is_dir() or path.name.startswith(".") or path.name.endswith((".tmp", "~", ".swp")):
                    continue
                if any(rel == g or rel.startswith(g + "/") for g in GENERATED):
                    continue
                if rel.startswith("policy_data/") and path.suffix not in (".yaml", ".yml", ".json", ".txt"):
                    continue  # an editor's or sed's scratch file
                if any(rel == w or rel.startswith(w + "/") for w in WATCHED):
                    pending.add(rel)
                    wake.set()

    observer = Observer()
    for name in WATCHED:
        path = root / name
        if path.is_dir():
            observer.schedule(Handler(), str(path), recursive=True)
    observer.schedule(Handler(), str(root), recursive=False)  # mkdocs.yml
    observer.daemon = True
    observer.start()

    def loop() -> None:
        while True:
            wake.wait()
            time.sleep(debounce)  # an editor's save is often several events
            wake.clear()
            changed = set(pending)
            pending.clear()
            if changed:
                builder.build(changed)

    threading.Thread(target=loop, daemon=True).start()
    return observer


def main(argv: list[str] | None = None) -> int:
    import http.server

    parser = argparse.ArgumentParser(description="Serve the site and rebuild it on every change.")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    os.chdir(root)  # MkDocs reads docs_dir and custom_dir relative to the working directory
    live = Live(root / "site")
    builder = Builder(root, live)
    if not builder.build(set(), first=True):
        return 1
    server = http.server.ThreadingHTTPServer((args.host, args.port), functools.partial(LiveHandler, live=live))
    server.daemon_threads = True
    server.verbose = False  # type: ignore[attr-defined]
    watch(root, builder)
    print(f"Serving on http://{args.host}:{server.server_address[1]}/ and watching for changes (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())


COPY_SKIP = {".venv", "node_modules", "site", ".live", ".git", ".stamps", ".mypy_cache", ".pytest_cache", ".hypothesis", "__pycache__"}


def copy_project(src: Path, dst: Path) -> Path:
    """A scratch copy of the project to edit (the edit benchmark and its test never touch the real
    policy_data/); node_modules is linked, not copied."""
    dst.mkdir(parents=True, exist_ok=True)
    for item in src.iterdir():
        if item.name in COPY_SKIP:
            continue
        if item.is_dir():
            shutil.copytree(item, dst / item.name, symlinks=True, ignore=shutil.ignore_patterns(*COPY_SKIP))
        else:
            shutil.copy2(item, dst / item.name)
    if (src / "node_modules").is_dir():
        (dst / "node_modules").symlink_to(src / "node_modules")
    return dst
