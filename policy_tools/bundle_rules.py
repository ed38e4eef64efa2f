"""Prepare step: bundle `policy_data/rules/*.yaml` into `calculators/rules.json` for the wheel.

The calculators read only this bundle when installed (Pyodide has no PyYAML and no policy_data/).
Written atomically and only when the content changed, since several builds may run at once.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from calculators.rules import BUNDLE_NAME, rules_from_yaml


def bundle_text(root: Path) -> str:
    data = rules_from_yaml(root / "policy_data" / "rules")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_if_changed(path: Path, content: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == content:
        return False
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def run(root: Path) -> None:
    write_if_changed(root / "calculators" / BUNDLE_NAME, bundle_text(root))


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
    sys.exit(0)
