"""MkDocs hook: a 404 page per language (issue 14).

MkDocs renders the theme's 404.html once per build at the site root, and mkdocs-static-i18n runs
one build per language into the same folder, so the last language's 404 page replaced the
English one: an English reader got Spanish navigation and Material's words in Spanish. Here each
language other than the default writes its page to `<lang>/404.html` (with the absolute addresses
MkDocs gives an error page, so it works at any depth) and leaves the root's English page alone.

Hosts find it by path: Cloudflare Pages serves the nearest 404.html above a missing address;
`_redirects` (policy_tools.host_files) says the same to Netlify; policy_tools.serve does the same.
Another builder must do the same: tests/site/test_spanish.py checks both pages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULT = "en"


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output
    lang = config.theme["language"]
    if lang == DEFAULT:
        return output
    target = Path(config.site_dir) / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return ""  # an empty page is not written: the root keeps the default language's 404.html
