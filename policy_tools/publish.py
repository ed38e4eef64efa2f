"""Build the site into a fresh folder and put it in place only when every step has passed.

    python -m policy_tools.publish SITE [BUILDER ARGS...]    # ./scripts/build runs this

The builder (MkDocs) writes into an empty folder beside SITE, the post-build steps (the Content
Security Policy last) run on that folder, and only then does it replace SITE. A broken link, a page
the CSP step refuses or a crash leaves the previous SITE exactly as it was, so a failed build
never ships a site without its policy.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from policy_tools import postbuild

# MkDocs, as ./scripts/build has always run it; `--site-dir` is added here.
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]


class BuildFailed(Exception):
    """A step failed; the published site was left alone."""


def fresh_folder(site: Path) -> Path:
    """An empty folder beside `site` (same file system, so the final rename is one step)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))


def replace(site: Path, built: Path) -> None:
    """Put `built` where `site` is; the old site is moved aside first and removed after."""
    old = None
    if site.exists() or site.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
        os.replace(site, old / site.name)
    os.replace(built, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(site: Path, builder: Sequence[str] = MKDOCS, cwd: Path | None = None) -> None:
    """Run `builder --site-dir NEW`, then every post-build step on NEW, then replace `site`."""
    site = site.absolute()
    built = fresh_folder(site)
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        if subprocess.run([*builder, "--site-dir", str(built)], cwd=cwd, env=env).returncode != 0:
            raise BuildFailed("the builder failed")
        try:
            postbuild.main([str(built)])
        except SystemExit as exc:  # a step refuses the site (e.g. inline code the CSP would block)
            if exc.code not in (None, 0):
                if not isinstance(exc.code, int):
                    print(exc.code, file=sys.stderr)
                raise BuildFailed("a post-build step failed") from None
        replace(site, built)
    finally:
        if built.exists():
            shutil.rmtree(built, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0] if args else "site")
    try:
        build(site, [*MKDOCS, *args[1:]])
    except BuildFailed as exc:
        print(f"build failed ({exc}): {site}/ was left as it was", file=sys.stderr)
        return 1
    print(f"publish: {site}/ replaced by the new build", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
