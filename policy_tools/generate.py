"""Write the policy and reference pages (Markdown) and the /ref/<id>/ redirect pages from policy_data/.

    python -m policy_tools.generate          # or run(root), a step of policy_tools.prepare
    python -m policy_tools.generate --record # append new ids to policy_data/published_ids.yaml

Output (never committed, see .gitignore): docs/policy/, docs/reference/, docs/includes/ and
docs/ref/<id>/index.html. This module only runs the writers: site_index (where every id lives),
policy_pages, reference_pages, permanent_addresses. Plain Python: any builder that reads
mkdocs.yml can render the result.
"""
from __future__ import annotations

import sys
from pathlib import Path

from policy_tools import bulletin_page
from policy_tools.files import write_if_changed
from policy_tools.permanent_addresses import check_published, load_published, record_ids, redirects
from policy_tools.policy_data import Bulletin, load_bulletin
from policy_tools.policy_pages import PolicyPages
from policy_tools.reference_pages import ReferencePages
from policy_tools.rule_sources import applied_in as rules_applied_in
from policy_tools.site_index import GenerateError, SiteIndex

ROOT = Path(__file__).resolve().parents[1]
GENERATED_DIRS = ("policy", "reference", "ref")


def build_files(bulletin: Bulletin, moved: dict[str, str], applied_in: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Every generated file, by path relative to docs/."""
    index = SiteIndex(bulletin)
    files = PolicyPages(index, applied_in).pages()
    files.update(ReferencePages(index).pages())
    files[bulletin_page.PAGE] = bulletin_page.page(index, files)
    files.update(redirects(index, moved))
    return files


def write_files(docs: Path, files: dict[str, str]) -> int:
    changed = sum(write_if_changed(docs / rel, text.encode("utf-8")) for rel, text in files.items())
    # Pages of ids that no longer exist must go, or MkDocs would publish stale policy.
    wanted = {(docs / rel).resolve() for rel in files}
    for folder in GENERATED_DIRS:
        base = docs / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            if path.is_file() and path.resolve() not in wanted and not path.name.startswith("."):
                path.unlink(missing_ok=True)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def run(root: Path) -> None:
    published, moved = load_published(root)
    files = build_files(load_bulletin(root), moved, rules_applied_in(root))
    check_published(published, files)
    changed = write_files(root / "docs", files)
    print(f"generate: {len(files)} files, {changed} changed", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if args == ["--record"]:
            new = record_ids(ROOT)
            print(f"generate: recorded {len(new)} new id(s) in policy_data/published_ids.yaml", file=sys.stderr)
            return 0
        if args:
            print("usage: python -m policy_tools.generate [--record]", file=sys.stderr)
            return 2
        run(ROOT)
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
