"""Edit and see it (issue 16): serve the site, rebuild what changed, reload the open page.

    ./scripts/serve                      # builds, then runs this on http://127.0.0.1:8000
    python -m policy_tools.watch --port 8000 [--root .]

Watches policy_data/, docs/ (not the pages generated into it), overrides/, the calculator page
templates and mkdocs.yml (watchdog, which MkDocs itself uses). On a change it runs only the steps
that change needs, in this process (imports and the MkDocs configuration stay warm):

- a calculator's rules, worked examples or page templates: every policy_tools.prepare step;
- any other policy_data/ file: validate, generate, spanish, version_line;
- docs/, overrides/: nothing before MkDocs.

The rebuild is policy_tools.live_build (MkDocs kept warm by policy_tools.live_mkdocs), the
server policy_tools.live_server; this module watches the files and starts them.

MkDocs then builds into the one of two folders (.live/a, .live/b) that is not being served: a
dirty build (only the pages whose source changed) when the set of pages and the configuration are
unchanged, else a full one; then the post-build steps but the publishing ones (LIVE_SKIPPED: the
PDF, the offline worker, the precompressed copies; seconds each, and nothing a preview needs).
Only a build where every step passed is swapped in, and the open page reloads itself (Server-Sent
Events from /__live/events, script /__live/reload.js, both served by this process only). A data
error prints its file, line and field in the terminal and on the open page, and the last good
site stays up.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from policy_tools.live_build import Builder
from policy_tools.live_server import Live, LiveHandler
from policy_tools.serve import serve_until_stopped, server_url

ROOT = Path(__file__).resolve().parents[1]
# Written by the build itself: watching them would rebuild forever.
GENERATED = ("docs/policy", "docs/reference", "docs/ref", "docs/includes", "docs/calculators",
             "docs/assets/pyodide", "docs/assets/wheels", "docs/assets/pyodide-manifest.json", "docs/assets/bench",
             "overrides/partials/generated")
WATCHED = ("policy_data", "docs", "overrides", "policy_tools/calculator_templates", "mkdocs.yml")


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
    return serve_until_stopped(server, f"Serving on {server_url(server)}/ and watching for changes (Ctrl+C to stop)")


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


if __name__ == "__main__":
    sys.exit(main())
