"""The data files the build bundles into this package (rules.json, formats.json, wording.json).

The wheel ships them, so the calculators never read the repository or build-time libraries: in
Pyodide there are none. `./scripts/build` (or `python -m policy_tools.prepare`) writes them.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any


class BundleMissing(RuntimeError):
    """The package was built without one of its bundled data files."""


def read(name: str) -> Any:
    """The JSON of the bundled file `name`; BundleMissing (naming the step that writes it) without it."""
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise BundleMissing(
            f"calculators/{name} is missing: build it with `python -m policy_tools.prepare` (or ./scripts/build)"
        ) from None
    return json.loads(text)
