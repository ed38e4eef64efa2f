"""Read a built page the way a link checker does: its ids, its links and its redirect target."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


@dataclass
class Link:
    href: str
    text: str
    classes: str = ""


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    refresh: str | None = None
    scripts: int = 0
    title: str = ""
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._open: list[list[object]] = []      # [href, text parts, classes] of unclosed <a>
        self._in_title = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a":
            self._open.append([values.get("href", ""), [], values.get("class", "")])
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url=(.+)$", values.get("content", ""), re.IGNORECASE)
            self.page.refresh = match.group(1).strip() if match else None
        elif tag == "script":
            self.page.scripts += 1
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, parts, classes = self._open.pop()
            self.page.links.append(Link(str(href), "".join(parts).strip(), str(classes)))  # type: ignore[arg-type]
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        for _, parts, _ in self._open:
            parts.append(data)  # type: ignore[attr-defined]
        if self._in_title:
            self.page.title += data
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = "".join(self._text)


def parse(path: Path) -> ParsedPage:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def resolve(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    """The file a relative link from `page_url` (site-relative, like `ref/xii-c/`) opens, and its anchor."""
    target = urlsplit(urljoin("http://site/" + page_url, href))
    path = target.path.lstrip("/")
    file = site / path / "index.html" if path == "" or path.endswith("/") else site / path
    return file, target.fragment
