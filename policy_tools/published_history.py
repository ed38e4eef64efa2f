"""Published ids only grow: each one recorded in policy_data/published_ids.yaml (in any committed
version of it) still leads somewhere, to its part or through `moved` to the part that replaced it.

Split from policy_tools.validate, which registers `check_published` among its cross-file checks.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from policy_tools.data_ids import known_ids
from policy_tools.yamlio import LoadedYaml, PolicyDataError

PUBLISHED = "policy_data/published_ids.yaml"


def ever_published(root: Path) -> tuple[dict[str, str], bool] | None:
    """Every id any committed version of published_ids.yaml records (ids and `moved` keys), with
    the first commit seen holding it ("abc1234 2026-11-30"), and whether the clone is shallow
    (then only the commits it holds are known). None without git history (a tarball)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    log = git("log", "--format=%H %h %cs", "--", PUBLISHED)
    if log is None or not log.strip():
        return None
    seen: dict[str, str] = {}
    for line in log.splitlines():
        full, short, day = line.split()
        text = git("show", f"{full}:{PUBLISHED}")
        try:
            data = yaml.safe_load(text or "") or {}
        except yaml.YAMLError:
            continue  # a broken old version records nothing we can read
        if not isinstance(data, dict):
            continue
        ids: list[Any] = data["ids"] if isinstance(data.get("ids"), list) else []
        moved: dict[Any, Any] = data["moved"] if isinstance(data.get("moved"), dict) else {}
        for ident in [*ids, *moved]:
            if isinstance(ident, str):
                seen[ident] = f"{short} {day}"  # log is newest first: ends on the oldest commit
    return seen, (git("rev-parse", "--is-shallow-repository") or "").strip() == "true"


def check_published(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Published ids only grow, and each one leads somewhere: to its part, or through `moved` to
    the part that replaced it (README, "Permanent paragraph addresses")."""
    doc = loaded.get("published_ids.yaml")
    if doc is None:
        return
    current = known_ids(loaded)
    ids: list[str] = list(doc.data.get("ids") or [])
    moved: dict[str, str] = dict(doc.data.get("moved") or {})
    for i, ident in enumerate(ids):
        if ident not in current and ident not in moved:
            yield doc.error(
                ["ids", i],
                f"`{ident}` was published (a trainer may link /ref/{ident}/) but is no longer in policy_data: "
                f"add `{ident}: <the id that replaces it>` under `moved:`",
            )
    for old, new in moved.items():
        if old in current:
            yield doc.error(["moved", old], f"`{old}` still exists in policy_data: remove this `moved` entry")
        elif new not in current:
            yield doc.error(["moved", old], f"`{new}` is not an id in policy_data: name the current id that replaces `{old}`")
    history = ever_published(root)
    if history is None:
        return
    seen, shallow = history
    recorded = set(ids) | set(moved)
    for ident, commit in seen.items():
        if ident not in recorded:
            yield doc.error(
                ["ids"],
                f"`{ident}` was recorded as published (commit {commit}) and is missing: published ids are append-only, "
                f"put it back under `ids:` (and under `moved:` if it left policy_data)",
            )
    if shallow:
        print(f"validate: {PUBLISHED} checked against the commits this shallow clone holds only; "
              "a full clone (git fetch --unshallow) checks its whole history", file=sys.stderr)
