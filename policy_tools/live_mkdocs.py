"""MkDocs kept warm between the live preview's rebuilds (policy_tools.watch): compiled theme
templates and the theme's file list kept, the titles of pages a dirty build does not read, a dirty
build in every language, and no warning for the dirty build itself.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any

class NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; under strict mode that warning alone would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


logging.getLogger("mkdocs.commands.build").addFilter(NoDirtyWarning())


class CompiledTemplates:
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


class ThemeFiles:
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


def titles_plugin(titles: dict[str, str]) -> Any:
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
def other_languages_dirty(dirty: bool) -> Any:
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
