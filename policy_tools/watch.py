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
unchanged, else a full one; then the post-build steps but the publishing ones (LIVE_SKIPPED: the
PDF, the offline worker, the precompressed copies; seconds each, and nothing a preview needs).
Only a build where every step passed is swapped in, and the open page reloads itself (Server-Sent
Events from /__live/events, script /__live/reload.js, both served by this process only). A data
error prints its file, line and field in the terminal and on the open page, and the last good
site stays up.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib
import io
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from policy_tools.serve import SiteHandler, serve_until_stopped, server_url

ROOT = Path(__file__).resolve().parents[1]
# Written by the build itself: watching them would rebuild forever.
GENERATED = ("docs/policy", "docs/reference", "docs/ref", "docs/includes", "docs/calculators",
             "docs/assets/pyodide", "docs/assets/wheels", "docs/assets/pyodide-manifest.json", "docs/assets/bench",
             "overrides/partials/generated")
WATCHED = ("policy_data", "docs", "overrides", "policy_tools/calculator_templates", "mkdocs.yml")
DATA_STEPS = ["policy_tools.validate", "policy_tools.generate", "policy_tools.spanish", "policy_tools.version_line"]
# Post-build steps for publishing only: together ~15 s of a rebuild (the edit benchmark,
# scripts/bench_edit.py, decides), and a preview needs none of them. Without the offline worker a
# reload always fetches the new build; ./scripts/build still runs every step.
LIVE_SKIPPED = ("policy_tools.pdf", "policy_tools.offline", "policy_tools.precompress")

RELOAD_JS = b"""// Live preview only (policy_tools.watch): reload this page when a rebuild has been swapped in;
// show why when a rebuild failed (the page keeps the last good build).
(function () {
  if (window.__policyLive) return;
  window.__policyLive = true;
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/__live/live.css";
  document.head.appendChild(style);
  function showError(message) {
    var box = document.getElementById("policy-live-error");
    if (!message) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "policy-live-error";
      box.setAttribute("role", "alert");
      var title = document.createElement("p");
      title.className = "policy-live-error__title";
      title.textContent = "Not rebuilt: fix this and save. The page still shows the last good build.";
      box.appendChild(title);
      box.appendChild(document.createElement("pre"));
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = message;
  }
  var source = new EventSource("/__live/events");
  var seen = null;
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (seen !== null && state.build !== seen) {
      window.location.reload();
      return;
    }
    seen = state.build;
    showError(state.error);
    // Marks the page as watching (the preview's test waits for it; a page script cannot be
    // evaluated from outside under the site's CSP).
    document.documentElement.setAttribute("data-policy-live", state.error ? "error" : "watching");
  };
})();
"""
# The message's look: its own file, since the site's CSP allows no inline style.
LIVE_CSS = b"""#policy-live-error {
  position: fixed; inset: auto 0 0 0; z-index: 10; max-height: 50vh; overflow: auto;
  margin: 0; padding: 0.8rem 1rem; border-top: 0.3rem solid #b71c1c;
  background: #fff; color: #1a1a1a; font-size: 0.8rem; box-shadow: 0 -0.2rem 0.6rem rgba(0, 0, 0, 0.3);
}
#policy-live-error .policy-live-error__title { margin: 0 0 0.4rem; font-weight: 700; color: #b71c1c; }
#policy-live-error pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.75rem; }
"""
# Replaces a worker the published build (./scripts/build, then policy_tools.serve) registered on
# this address: it would answer reloads from its cache, so the preview lets it remove itself.
NO_WORKER_JS = b"""// Live preview only (policy_tools.watch): no offline copy while editing.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function () { self.registration.unregister(); });
"""
INJECT = b'<script src="/__live/reload.js"></script>'


class Live:
    """The folder being served, and the state the open pages watch: the build, and the error of
    the last rebuild if it failed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.build_id = str(time.time())
        self.error: str | None = None
        self.changed = threading.Condition()

    def state(self) -> str:
        return json.dumps({"build": self.build_id, "error": self.error})

    def swap(self, root: Path) -> None:
        with self.changed:
            self.root = root
            self.build_id = str(time.time())
            self.error = None
            self.changed.notify_all()

    def fail(self, message: str) -> None:
        with self.changed:
            self.error = message
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
        elif path == "/__live/live.css":
            self._send(200, "text/css", LIVE_CSS)
        elif path == "/sw.js":
            self._send(200, "text/javascript", NO_WORKER_JS)
        elif path == "/__live/events":
            self._events()
        else:
            # The file itself, never its precompressed copy: a page gets the reload script added.
            target = Path(http.server.SimpleHTTPRequestHandler.translate_path(self, path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path != "/sitemap.xml":
                body = target.read_bytes().replace(b"</body>", INJECT + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", body)
            else:
                super().do_GET()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.content_encoding, self.vary_encoding = None, False  # sent as it is, uncompressed
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
                    if self.live.state() == sent:
                        self.live.changed.wait(timeout=15)
                    current = self.live.state()
                self.wfile.write(f"data: {current}\n\n".encode() if current != sent else b": keep-alive\n\n")
                self.wfile.flush()
                sent = current
        except (BrokenPipeError, ConnectionResetError):
            return


# A step's progress line ("validate: policy_data/ is valid", "postbuild: ... (0.4s)", MkDocs' INFO):
# left out of the message on the page, which shows only what went wrong.
PROGRESS = re.compile(r"(prepare|postbuild|generate|spanish|version_line|search_index|languages|csp|pdf): |"
                      r"validate: policy_data/ is valid|INFO\b")


class _Tee(io.TextIOBase):
    """Writes to the terminal and keeps a copy (a failed build's message for the open page)."""

    def __init__(self, terminal: Any, copy: io.StringIO) -> None:
        self.terminal, self.copy = terminal, copy

    def write(self, text: str) -> int:
        self.terminal.write(text)
        return self.copy.write(text)

    def flush(self) -> None:
        self.terminal.flush()


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; under strict mode that warning alone would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())


class _CompiledTemplates:
    """Jinja's compiled templates, kept between rebuilds (MkDocs makes a new environment, and so
    compiles every theme template again, for each build and language: seconds per rebuild). Jinja
    checks each template's source against its checksum, so an edited override is compiled anew."""

    def __init__(self) -> None:
        import jinja2

        class Memory(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = Memory()

    def install(self) -> None:
        from mkdocs.theme import Theme

        original = Theme.get_env
        if getattr(original, "_live_cached", False):
            return
        cache = self.cache

        def get_env(theme: Theme) -> Any:
            env = original(theme)
            env.bytecode_cache = cache
            return env

        get_env._live_cached = True  # type: ignore[attr-defined]
        Theme.get_env = get_env  # type: ignore[method-assign,assignment]


class _ThemeFiles:
    """The theme's static files, listed once: MkDocs walks every theme folder (Material's
    thousands of icons) for each build and language, seconds per rebuild. Forgotten before each
    full build, which any change under overrides/ or to mkdocs.yml is."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], list[tuple[str, str | None]]] = {}

    def install(self) -> None:
        from mkdocs.structure.files import File, Files

        original = Files.add_files_from_theme
        if getattr(original, "_live_cached", False):
            return
        found = self.found

        def add_files_from_theme(files: Files, env: Any, config: Any) -> None:
            # mkdocs-static-i18n puts its sitemap folder first in the theme's folders on every build.
            key = (tuple(dict.fromkeys(config.theme.dirs)), tuple(sorted(config.theme.static_templates)))
            if key not in found:
                scratch = Files([])
                original(scratch, env, config)
                found[key] = [(f.src_uri, f.src_dir) for f in scratch]
            for src_uri, src_dir in found[key]:
                if files.get_file_from_path(src_uri) is None:  # a docs/ file wins over the theme's
                    files.append(File(src_uri, src_dir, config.site_dir, config.use_directory_urls))

        add_files_from_theme._live_cached = True  # type: ignore[attr-defined]
        Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign,assignment]


def _titles_plugin(titles: dict[str, str]) -> Any:
    """A plugin that gives the pages a dirty build does not read their titles from the builds
    before: MkDocs names a page in the navigation by its content, so every unread page would
    show as "None" in the rebuilt pages' navigation."""
    from mkdocs.plugins import BasePlugin

    class KeepTitles(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:  # after every page is read
            for file in files.documentation_pages():
                page = file.page
                if page is None:
                    continue
                if page.markdown is None:  # not read: unchanged since the last build
                    if file.src_uri in titles:
                        page.title = titles[file.src_uri]
                elif page.title is not None:
                    titles[file.src_uri] = page.title
            return env

    return KeepTitles()


@contextlib.contextmanager
def _other_languages_dirty(dirty: bool) -> Any:
    """mkdocs-static-i18n builds the other languages (/es/) in full unless "--dirty" is on the
    command line (it reads sys.argv); a dirty rebuild is dirty in every language."""
    if not dirty or "--dirty" in sys.argv:
        yield
        return
    sys.argv.append("--dirty")
    try:
        yield
    finally:
        sys.argv.remove("--dirty")


class Builder:
    """Rebuilds into the folder not being served; swaps it in only when every step passed."""

    def __init__(self, root: Path, live: Live, out=sys.stderr) -> None:  # type: ignore[no-untyped-def]
        self.root = root
        self.live = live
        self.out = out
        self.folders = [root / ".live" / "a", root / ".live" / "b"]
        self.config: Any = None
        self.config_mtime = 0.0
        self.layout: Any = None
        self.search_docs: list[Any] | None = None  # Material's index of the build being served
        self.titles: dict[str, str] = {}  # each page's title (a dirty build does not read them all)
        self.lock = threading.Lock()
        _CompiledTemplates().install()
        self.theme_files = _ThemeFiles()
        self.theme_files.install()

    def log(self, message: str) -> None:
        print(message, file=self.out, flush=True)

    def _config(self) -> Any:
        from mkdocs.config import load_config

        config_file = self.root / "mkdocs.yml"
        mtime = config_file.stat().st_mtime
        if self.config is None or mtime != self.config_mtime:
            self.config = load_config(str(config_file))
            self.config.plugins["policy-live-titles"] = _titles_plugin(self.titles)
            # As `mkdocs serve` does: plugins keep their state between builds (Material's search
            # index merges a dirty build's pages into the previous index).
            self.config.plugins.on_startup(command="serve", dirty=True)
            self.config_mtime = mtime
            return None  # a new configuration: the next build must be a full one
        return self.config

    def _layout(self) -> Any:
        """What every page shows besides its own words: the set of pages, their titles (the nav),
        and the snippets appended to every page (docs/includes/, the glossary's abbreviations).
        When it changes, a dirty build would leave other pages stale: the build is a full one."""
        docs = self.root / "docs"
        titles = {}
        for page in sorted(docs.rglob("*.md")):
            rel = page.relative_to(docs).as_posix()
            if rel.startswith("includes/"):
                continue
            with page.open(encoding="utf-8", errors="replace") as text:
                head = "".join(line for _, line in zip(range(40), text))
            found = re.search(r"^(?:title:\s*(.+)|# (.+))$", head, re.MULTILINE)
            titles[rel] = (found.group(1) or found.group(2)).strip() if found else ""
        includes = sorted((p.relative_to(docs).as_posix(), p.stat().st_mtime)
                          for p in (docs / "includes").rglob("*") if p.is_file()) if (docs / "includes").is_dir() else []
        return titles, includes

    def start(self) -> None:
        """Fill both folders: the first from a full build (MkDocs' state starts here)."""
        self.build(set(), first=True)

    def build(self, changed: set[str], first: bool = False) -> bool:
        with self.lock:
            started = time.perf_counter()
            # What the steps print goes to the terminal and, when the build fails, to the open page.
            said = io.StringIO()
            try:
                with contextlib.redirect_stderr(_Tee(sys.stderr, said)):
                    steps = self._prepare_steps(changed) if not first else self._prepare_steps({"policy_data/rules/"})
                    for name in steps:
                        importlib.import_module(name).run(self.root)
                    prepared = time.perf_counter()
                    config = self._config()
                    layout = self._layout()
                    full = first or config is None or layout != self.layout or any(
                        c.startswith(("overrides/", "mkdocs.yml")) for c in changed)
                    if full and config is not None:
                        # A full build starts from a fresh configuration, as the first one did: the
                        # plugins' state from earlier builds (i18n leaves the Spanish build's words
                        # in the theme's settings) must not reach it.
                        self.config = None
                        self._config()
                    config = self.config
                    target = self.folders[1] if self.live.root == self.folders[0] else self.folders[0]
                    if first:
                        target = self.folders[0]
                    config["site_dir"] = str(target)
                    if full:
                        self.theme_files.found.clear()
                    self._one_build_of_state(config)
                    from mkdocs.commands.build import build as mkdocs_build

                    with _other_languages_dirty(not full):
                        mkdocs_build(config, dirty=not full)
                    self._merge_search_index(target, full)
                    built = time.perf_counter()
                    from policy_tools import postbuild

                    postbuild.run(target, skip=LIVE_SKIPPED)
                    self.layout = layout
            except SystemExit as exc:  # validate prints each problem (file, line, field) first
                reason = f": {exc}" if str(exc) and not str(exc).isdigit() else ""
                self._failed(said.getvalue(), reason.removeprefix(": "))
                self.log(f"watch: not rebuilt{reason}; still serving the last good site")
                return False
            except Exception as exc:  # noqa: BLE001 - any failure keeps the last good site up
                message = str(exc) or type(exc).__name__
                self.log(f"error: {message}")
                if os.environ.get("WATCH_DEBUG"):
                    traceback.print_exc()
                self._failed(said.getvalue(), f"error: {message}")
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

    def _one_build_of_state(self, config: Any) -> None:
        """Plugin state that must start afresh with each build (the plugins expect one build per
        process): otherwise the theme's folders, the search index and the time to deduplicate
        it grow with every rebuild."""
        config.theme.dirs[:] = list(dict.fromkeys(config.theme.dirs))  # i18n's sitemap folder, once
        for plugin in config.plugins.values():
            if type(plugin).__module__.startswith("mkdocs_static_i18n"):
                # i18n adds every build's search entries to the builds' before, and starts the next
                # build in the language it built last (then builds that one twice).
                plugin.search_entries = []
                plugin.current_language = None
            if hasattr(plugin, "search_index_prev"):
                # Material merges a dirty build's entries into the last index assuming one page was
                # rebuilt; _merge_search_index does it for any number of pages and languages.
                plugin.search_index_prev = None

    def _merge_search_index(self, target: Path, full: bool) -> None:
        """A dirty build's search index holds only the pages it rebuilt: put them in place of their
        old entries in the index of the last build (before policy_tools.search_index rewrites it)."""
        index_file = target / "search" / "search_index.json"
        if not index_file.is_file():
            return
        index = json.loads(index_file.read_text(encoding="utf-8"))
        if not full and self.search_docs is not None:
            fresh: dict[str, list[Any]] = {}
            for doc in index["docs"]:
                entries = fresh.setdefault(doc["location"].split("#", 1)[0], [])
                if doc not in entries:  # one page may be indexed by more than one language's build
                    entries.append(doc)
            merged: list[Any] = []
            for doc in self.search_docs:
                page = doc["location"].split("#", 1)[0]
                if page not in fresh:
                    merged.append(doc)
                elif fresh[page]:
                    merged.extend(fresh[page])
                    fresh[page] = []  # placed where the page was; its old entries are dropped
            merged += [doc for docs in fresh.values() for doc in docs]
            index["docs"] = merged
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.search_docs = index["docs"]

    def _failed(self, said: str, reason: str) -> None:
        """Tell the open pages why: the problems printed (file, line, field), not the progress lines."""
        lines = [line for line in said.splitlines() if line.strip() and not PROGRESS.match(line)]
        if reason and reason not in lines:
            lines.append(reason)
        self.live.fail("\n".join(lines[-40:]) or "the rebuild failed: see the terminal")

    def _prepare_steps(self, changed: set[str]) -> list[str]:
        from policy_tools.prepare import STEPS

        # What the calculator pages and the wheel are made from (rules, examples, results' wording).
        everything = any(c.startswith(("policy_data/rules/", "policy_data/examples/", "policy_data/wording/",
                                       "policy_tools/calculator_templates/")) for c in changed)
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
