"""Everything that must happen before a builder (MkDocs, Zensical) reads mkdocs.yml.

Each step is a plain function `run(root)` in its own module, so any builder or CI can call them.
`python -m policy_tools.prepare` runs them in order and stops at the first failure.
"""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Order matters: the data must be valid before anything reads it.
STEPS: list[str] = [
    "policy_tools.validate",  # first: every policy_data file against its schema, and across files
    "policy_tools.bundle_rules",  # after policy_tools.validate: calculators/rules.json
    "policy_tools.bundle_formats",  # calculators/formats.json: each language's number and date formats, from Babel
    "policy_tools.bundle_wording",  # after bundle_rules: calculators/wording.json, every language
    "policy_tools.worked_examples",  # after bundle_formats and bundle_wording: every example's `expect` holds, or no build
    "policy_tools.generate",  # after validate: docs/policy/, docs/reference/, docs/ref/, docs/includes/
    "policy_tools.spanish",  # after validate: docs/**/*.es.md, the generated Spanish pages (issue 14)
    "policy_tools.version_line",  # after validate: the version line and footer partials (overrides/partials/generated/)
    "policy_tools.calculator_pages",  # docs/calculators/*.md, worked examples run in CPython
    "policy_tools.spanish_calculators",  # after calculator_pages: docs/calculators/*.es.md, the Spanish calculator pages (issue 14)
    "policy_tools.assets",  # after bundle_rules: Pyodide, the calculators wheel, the manifest
]


def main(argv: list[str] | None = None) -> int:
    for name in STEPS:
        started = time.perf_counter()
        module = importlib.import_module(name)
        module.run(ROOT)
        print(f"prepare: {name} ({time.perf_counter() - started:.2f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
