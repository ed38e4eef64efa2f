"""Post-build step: put one Content Security Policy on every page of the built site, as a meta tag.

Scripts run only from the site itself. Pyodide compiles WebAssembly, hence 'wasm-unsafe-eval'
(never 'unsafe-eval' or 'unsafe-inline'). The few inline scripts MkDocs Material writes into each
page (local-storage helpers whose base URL depends on the page's depth, the palette restore, the
anchor-to-tab helper) are allowed by their sha256 hashes. Every page carries the same policy, with
the hashes of every inline script in the whole site: Material's instant navigation runs the next
page's inline scripts under the first page's policy, and a host can then send the very same policy
as one header (docs/serving.md; policy_tools/serve.py reads it back with `read_policy`).

Event-handler attributes (onclick=...) and javascript: URLs cannot be allowed without
'unsafe-inline', so this step refuses to finish while any page has one.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from policy_tools.files import write_if_changed

# Directive order is the order the policy is written in.
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "worker-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# <script type=...> values a browser executes; others (application/json config) are data.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

# with_policy writes "\n" + tag; removing both gives back the page as the builder wrote it.
META_RE = re.compile(r'\n?<meta http-equiv="Content-Security-Policy" content="[^"]*">', re.IGNORECASE)
CHARSET_RE = re.compile(r"<meta charset=[\"']?utf-8[\"']?>", re.IGNORECASE)


class InlineCode(HTMLParser):
    """Collects what a CSP judges as inline: scripts, <style> elements, style="" and on*="" attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.forbidden: list[str] = []
        self._capture: list[str] | None = None
        self._target: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.forbidden.append(f"<{tag} {name}=...> (inline event handler) at line {self.getpos()[0]}")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.forbidden.append(f"<{tag} {name}=\"javascript:...\"> at line {self.getpos()[0]}")
        if values.get("style"):
            self.style_attributes.append(values["style"] or "")
        if tag == "script" and "src" not in values:
            if (values.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
                self._capture, self._target = [], self.scripts
        elif tag == "style":
            self._capture, self._target = [], self.styles

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._capture is not None and tag in ("script", "style") and self._target is not None:
            self._target.append("".join(self._capture))
            self._capture = self._target = None


def source_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def html_pages(site: Path) -> list[Path]:
    """Every HTML file, the benchmark page under assets/ too: anything a browser can open gets the policy."""
    return sorted(site.rglob("*.html"))


# Pages already read, by content (the page without its policy): the live preview
# (policy_tools.watch) runs this step after every rebuild in one process, where most pages are
# unchanged. Bounded: a page's old versions drop out.
_READ: dict[str, InlineCode] = {}


def inline_code(page: str) -> InlineCode:
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    if digest not in _READ:
        if len(_READ) > 5000:
            _READ.clear()
        parser = InlineCode()
        parser.feed(page)
        parser.close()
        _READ[digest] = parser
    return _READ[digest]


def build_policy(found: list[InlineCode]) -> str:
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    scripts = sorted({source_hash(code) for page in found for code in page.scripts})
    styles = sorted({source_hash(code) for page in found for code in page.styles})
    attributes = sorted({source_hash(code) for page in found for code in page.style_attributes})
    policy["script-src"] += scripts
    policy["style-src"] += styles
    if attributes:
        # Hashes cover style="" attributes only together with 'unsafe-hashes' (CSP Level 3).
        policy["style-src"] += ["'unsafe-hashes'", *[h for h in attributes if h not in styles]]
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


def with_policy(text: str, policy: str) -> str:
    """The page with exactly one CSP meta tag, placed before anything it governs."""
    text = META_RE.sub("", text)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy, quote=False)}">'
    match = CHARSET_RE.search(text)
    if match:
        return text[: match.end()] + "\n" + tag + text[match.end() :]
    head = re.search(r"<head[^>]*>", text, re.IGNORECASE)
    if head is None:
        raise ValueError("no <head> to put the Content-Security-Policy meta tag in")
    return text[: head.end()] + "\n" + tag + text[head.end() :]


def run_site(site: Path) -> None:
    pages = html_pages(site)
    texts = {path: path.read_text(encoding="utf-8") for path in pages}
    found: list[InlineCode] = []
    problems: list[str] = []
    for path, text in texts.items():
        parser = inline_code(META_RE.sub("", text))
        found.append(parser)
        problems += [f"{path.relative_to(site)}: {what}" for what in parser.forbidden]
    if problems:
        raise SystemExit(
            "error: inline code that the Content Security Policy would block (move it into a .js file"
            " and attach it with addEventListener):\n  " + "\n  ".join(problems)
        )
    policy = build_policy(found)
    for path, text in texts.items():
        write_if_changed(path, with_policy(text, policy))


def read_policy(site: Path) -> str | None:
    """The policy the build put into the site (from its home page), for servers that send headers."""
    index = site / "index.html"
    try:
        return _policy_in(index, index.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


@functools.lru_cache(maxsize=4)
def _policy_in(index: Path, mtime_ns: int) -> str | None:  # mtime_ns: a rebuild reads it again
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', index.read_text(encoding="utf-8"))
    return html.unescape(match.group(1)) if match else None


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    run_site(target)
    print(read_policy(target))
