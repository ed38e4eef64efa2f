"""The live preview's rebuild (policy_tools.watch): only the steps a change needs, MkDocs into the
folder not being served (dirty when it can be), the post-build steps but the publishing ones; the
build is swapped in only when every step passed, else the open page shows why.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from policy_tools.live_mkdocs import CompiledTemplates, ThemeFiles, other_languages_dirty, titles_plugin
from policy_tools.live_server import Live

DATA_STEPS = ["policy_tools.validate", "policy_tools.generate", "policy_tools.spanish", "policy_tools.version_line"]
# Post-build steps for publishing only: together ~15 s of a rebuild (the edit benchmark,
# scripts/bench_edit.py, decides), and a preview needs none of them. Without the offline worker a
# reload always fetches the new build; ./scripts/build still runs every step.
LIVE_SKIPPED = ("policy_tools.pdf", "policy_tools.offline", "policy_tools.precompress")


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
        CompiledTemplates().install()
        self.theme_files = ThemeFiles()
        self.theme_files.install()

    def log(self, message: str) -> None:
        print(message, file=self.out, flush=True)

    def _config(self) -> Any:
        from mkdocs.config import load_config

        config_file = self.root / "mkdocs.yml"
        mtime = config_file.stat().st_mtime
        if self.config is None or mtime != self.config_mtime:
            self.config = load_config(str(config_file))
            self.config.plugins["policy-live-titles"] = titles_plugin(self.titles)
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

                    with other_languages_dirty(not full):
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
