"""Steps that run on the built site (after MkDocs or any other builder), in order.

Each step is a module with `run_site(site: Path) -> None`. `python -m policy_tools.postbuild SITE`.
"""
from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Collection
from pathlib import Path

STEPS: list[str] = [
    # Each page's hreflang links and language switch; Spanish glossary tooltips (issue 14).
    "policy_tools.languages",
    "policy_tools.search_index",  # one search entry per paragraph, calculator answer; synonyms
    "policy_tools.pdf",  # the whole bulletin as a PDF with bookmarks (headless Chromium)
    # After every step that writes HTML: it hashes the inline scripts of every page.
    "policy_tools.csp",
    # The steps below write no HTML. After csp: the service worker precaches the pages as served.
    "policy_tools.offline",
    "policy_tools.host_files",  # _headers, with the policy csp wrote
    # Last: a .br and .gz next to every file the steps above wrote or left.
    "policy_tools.precompress",
]


def run(site: Path, skip: Collection[str] = ()) -> None:
    """Every step in order on `site`, but those in `skip` (the live preview leaves out the slow
    publishing steps: policy_tools.watch)."""
    for name in STEPS:
        if name in skip:
            continue
        started = time.perf_counter()
        importlib.import_module(name).run_site(site)
        print(f"postbuild: {name} ({time.perf_counter() - started:.2f}s)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    run(Path(args[0] if args else "site").resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
