"""Writing generated files: atomically, and only when their content changed.

Atomic (temp file in the same folder + rename) because several builds may run at once and a
reader must never see half a file; only-when-changed so builders see no spurious change.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write `data` (text is written as UTF-8) to `path`; True if the file was written."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
