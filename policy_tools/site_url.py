"""The address the site is published at: `SITE_URL` from the environment at build time.

    SITE_URL=https://example.org/bulletin/ ./scripts/build

mkdocs.yml reads the same variable (`site_url: !ENV [SITE_URL, <default>]`), so MkDocs' canonical
links and sitemap and our citations and printed addresses always agree. The default (the local
preview address) is written once, in mkdocs.yml; this module reads it from there.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FALLBACK = "http://127.0.0.1:8000/"
_DEFAULT_RE = re.compile(r"""^site_url:\s*!ENV\s*\[\s*SITE_URL\s*,\s*["']?([^"'\]\s]+)["']?\s*\]""", re.MULTILINE)


class SiteUrlError(ValueError):
    """SITE_URL is not an absolute http(s) address."""


def default_site_url(root: Path = ROOT) -> str:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    found = _DEFAULT_RE.search(text)
    return normalize(found.group(1)) if found else FALLBACK


def normalize(url: str) -> str:
    url = url.strip()
    if not re.match(r"https?://[^/\s]+", url):
        raise SiteUrlError(f"SITE_URL={url!r}: give an absolute address such as https://example.org/ (http or https)")
    return url if url.endswith("/") else url + "/"


def site_url(root: Path = ROOT) -> str:
    """The published address of the site root, always ending in "/"."""
    value = os.environ.get("SITE_URL", "").strip()
    return normalize(value) if value else default_site_url(root)
