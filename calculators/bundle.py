"""The data files the build bundles into this package (rules.json, formats.json, wording.json).

The wheel ships them, so the calculators never read the repository or build-time libraries: in
Pyodide there are none. `./scripts/build` (or `python -m policy_tools.prepare`) writes them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The files sit beside this module, in the wheel and in the browser's compiled package alike. Read
# as files, not through importlib.resources: that is 38 kB of standard library (7 kB with Brotli)
# a phone would download and import before the first answer, for this one read.
HERE = Path(__file__).parent


class BundleMissing(RuntimeError):
    """The package was built without one of its bundled data files."""


def read(name: str) -> Any:
    """The JSON of the bundled file `name`; BundleMissing (naming the step that writes it) without it."""
    try:
        text = (HERE / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise BundleMissing(
            f"calculators/{name} is missing: build it with `python -m policy_tools.prepare` (or ./scripts/build)"
        ) from None
    return json.loads(text)
