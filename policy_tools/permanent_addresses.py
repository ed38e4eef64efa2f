"""Permanent addresses: /ref/<id>/ for every id, the record of every id ever published
(policy_data/published_ids.yaml) and the ids that moved.

A trainer's link to a published id must keep working: an id that leaves the data needs a `moved`
entry, or the build stops. `python -m policy_tools.generate --record` appends the new ids.
"""
from __future__ import annotations

import html
from pathlib import Path

import yaml

from policy_tools.files import write_if_changed
from policy_tools.links import page_url
from policy_tools.policy_data import load_bulletin
from policy_tools.site_index import GenerateError, SiteIndex, Target

PUBLISHED = Path("policy_data") / "published_ids.yaml"
PUBLISHED_HEADER = """\
# Every id ever published under /ref/<id>/ (a trainer may have linked it): append only.
# Add new ids with `python -m policy_tools.generate --record`. Never delete one: when an id leaves
# policy_data, add `old-id: new-id` under `moved`, and /ref/old-id/ leads to the new place.
# tests/site checks that every id here still resolves. Schema: schemas/published_ids.schema.json.
"""


def redirect_html(ident: str, target: Target) -> str:
    """A static redirect: meta refresh plus a visible link; no script, so a strict CSP allows it."""
    href = "../../" + page_url(target.page) + (f"#{target.anchor}" if target.anchor else "")
    label = html.escape(target.label + (f", {target.context}" if target.context else ""))
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{label} — BUL-4926.4</title>\n"
        f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">\n'
        '<meta name="robots" content="noindex">\n'
        # The site's icon (Material's default): without it the browser asks for /favicon.ico, a 404.
        '<link rel="icon" href="../../assets/images/favicon.png">\n'
        f'<link rel="canonical" href="{html.escape(href)}">\n'
        "</head>\n<body>\n"
        f'<p>This permanent address leads to <a href="{html.escape(href)}">{label}</a> of BUL-4926.4.</p>\n'
        "</body>\n</html>\n"
    )


def redirects(index: SiteIndex, moved: dict[str, str]) -> dict[str, str]:
    """ref/<id>/index.html for every id, and for every moved id (pointing to its new home)."""
    out = {f"ref/{ident}/index.html": redirect_html(ident, target) for ident, target in index.targets.items()}
    for old, new in moved.items():
        if old in index.targets:
            raise GenerateError(f"{PUBLISHED.as_posix()}: `moved: {old}` names an id that still exists; remove the entry")
        if new not in index.targets:
            raise GenerateError(f"{PUBLISHED.as_posix()}: `moved: {old}: {new}`: `{new}` is not a current id")
        out[f"ref/{old}/index.html"] = redirect_html(old, index.targets[new])
    return out


def load_published(root: Path) -> tuple[list[str], dict[str, str]]:
    path = root / PUBLISHED
    if not path.is_file():
        return [], {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("ids") or []), dict(data.get("moved") or {})


def check_published(published: list[str], files: dict[str, str]) -> None:
    """Every published id still has its /ref/ page (its own, or a moved entry's)."""
    lost = [ident for ident in published if f"ref/{ident}/index.html" not in files]
    if lost:
        raise GenerateError(
            f"{PUBLISHED.as_posix()}: published ids no longer in policy_data: {', '.join(lost)}; "
            "add each under `moved:` with the id that replaces it (`old-id: new-id`)"
        )


def current_ids(root: Path) -> list[str]:
    return list(SiteIndex(load_bulletin(root)).targets)


def record_ids(root: Path) -> list[str]:
    """Append the ids not yet recorded to policy_data/published_ids.yaml; return them."""
    ids, moved = load_published(root)
    new = [ident for ident in current_ids(root) if ident not in ids and ident not in moved]
    lines = [PUBLISHED_HEADER.rstrip("\n"), "ids:"] + [f"  - {ident}" for ident in ids + new]
    lines += ["moved:" + ("" if moved else " {}")] + [f"  {old}: {target}" for old, target in moved.items()]
    write_if_changed(root / PUBLISHED, ("\n".join(lines) + "\n").encode("utf-8"))
    return new
