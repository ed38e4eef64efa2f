"""Post-build step: search that lands on the paragraph (issue 16), in Material's own index format.

Material's search plugin makes one entry per heading, so a whole section page was one entry and
every hit landed at the top of the page. This step rewrites site/search/search_index.json:

- every block with an id and a `data-label` (lettered paragraphs, Major Changes items: the
  `policy-paragraph` blocks policy_tools.generate writes) becomes its own entry, `page/#id`, titled
  by its label ("XII.c"), under an entry for the page itself (Material groups a page's entries and
  Enter opens the best one). Authority entries already have their own headings, hence entries;
- every calculator answer becomes an entry that opens it pre-filled: the worked examples on each
  calculator page (`?enrolled=...`) and every withdrawal situation (`?situation=...`);
- our own labels ("Note (ours...)", "Copy link", "Apply it", section meta lines: class
  `policy-ours` and the classes in SKIP_CLASSES) are left out of the entries' text, so a search
  never matches or highlights them, and our notes are left out so bulletin wording ranks first;
- the synonyms in policy_data/search.yaml go into a `keywords` field (indexed, never shown): an
  entry whose text contains a `finds` phrase also answers to its `words`.

Ranking stays Material's (lunr, with its boost for entries matching every query word); the field
boosts and the pipeline are the `search` plugin settings in mkdocs.yml.
"""
from __future__ import annotations

import copy
import hashlib
import html
import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from policy_tools.files import write_if_changed

ROOT = Path(__file__).resolve().parents[1]
INDEX = Path("search/search_index.json")
SKIP_CLASSES = {
    "policy-ours", "policy-actions", "policy-label", "policy-apply", "policy-applies", "policy-note",
    "policy-section-meta", "policy-version", "headerlink", "policy-print-hint",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
WITHDRAWAL_PAGE = "calculators/withdrawal/"
# A calculator answer has its own address (`?situation=...`), so Material shows it as a page of its
# own, and gives pages a larger boost than the paragraphs of a page; this brings it back level, so
# the bulletin's paragraph and the answer that applies it rank on their words alone.
ANSWER_BOOST = 0.1
# A worked example's title names the very words of its rule ("Six funeral days ..."), and a title
# match outweighs a paragraph's text: examples rank lower still, so a clerk's "funeral days" opens
# the bulletin's "max five days per incident", with the example after it.
EXAMPLE_BOOST = 0.02
# Pages that only quote or apply the bulletin rank below the bulletin's own paragraphs: the roles
# and time-limits views repeat paragraph wording, glossary definitions are ours (each row links to its paragraph), and a calculator
# page's long introduction would otherwise match almost any query. (Material's per-page `boost`.)
# The home page only points to the rest. A page of paragraphs ranks below its own paragraphs, so Enter
# (Material opens the best-scored entry) lands on the paragraph, not the top of its page.
HOME_BOOST = 0.2
ARTICLE_BOOST = 0.2
PAGE_BOOST = {"reference/glossary/": 0.5, "reference/roles/": 0.2, "reference/time-limits/": 0.2, "calculators/": 0.2, "serving/": 0.3}


@dataclass
class Block:
    ident: str
    label: str                 # "" when the title is read from the block (<dt>, <strong>)
    text: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    item: bool = False         # a <dt>/<li> entry, not a policy paragraph


@dataclass
class Example:
    href: str
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """Reads one built page's <article>: its h1, its labelled blocks and its worked examples."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.blocks: list[Block] = []
        self.examples: list[Example] = []
        self.outside: list[str] = []       # page text outside every block
        self._stack: list[tuple[str, str]] = []   # (tag, role): role in {"", "skip", "block", "h1", "example", "strong"}
        self._in_article = False
        self._last_closed = ""

    def _roles(self) -> set[str]:
        return {role for _, role in self._stack}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = set(a.get("class", "").split())
        if tag == "article" and "md-content__inner" in classes:
            self._in_article = True
        if not self._in_article or tag in VOID:
            return
        roles = self._roles()
        role = ""
        if classes & SKIP_CLASSES or tag in {"script", "style"}:
            role = "skip"
        elif tag == "div" and "policy-paragraph" in classes and a.get("id") and a.get("data-label") and "block" not in roles:
            self.blocks.append(Block(a["id"], a["data-label"]))
            role = "block"
        elif tag in {"li", "dt"} and a.get("id") and "block" not in roles:
            # A glossary term (<dt id=term-...>, its <dd> follows) or a related bulletin (<li id=bul-...>).
            self.blocks.append(Block(a["id"], "", item=True))
            role = "block" if tag == "li" else "block-title"
        elif tag == "dd" and self.blocks and self._last_closed == "dt":
            role = "block"
        elif tag == "strong" and "block" in roles and not self.blocks[-1].label and not self.blocks[-1].title:
            role = "block-title"
        elif tag == "h1" and not self.title:
            role = "h1"
        elif tag == "li" and self._stack and "calc-examples" in self._stack[-1][1]:
            self.examples.append(Example(""))
            role = "example"
        elif tag == "ul" and "calc-examples" in classes:
            role = "calc-examples"
        elif tag == "strong" and "example" in roles:
            role = "strong"
        elif tag == "a" and "example" in roles and "data-example" in a:
            self.examples[-1].href = a.get("href", "")
            role = "skip"
        self._stack.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        if not self._in_article:
            return
        if tag == "article":
            self._in_article = False
            return
        # Pop to the matching open tag (the built HTML is well formed; this tolerates stray ends).
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break
        self._last_closed = tag

    def handle_data(self, data: str) -> None:
        if not self._in_article:
            return
        roles = self._roles()
        if "skip" in roles:
            return
        if "h1" in roles:
            self.title.append(data)
        elif "block-title" in roles:
            self.blocks[-1].title.append(data)
            if "block" in roles or self.blocks[-1].label:
                self.blocks[-1].text.append(data)
        elif "block" in roles:
            self.blocks[-1].text.append(data)
        elif "strong" in roles:
            self.examples[-1].title.append(data)
        elif "example" in roles:
            self.examples[-1].text.append(data)
        else:
            self.outside.append(data)


def clean(parts: list[str]) -> str:
    """Plain text as Material's index holds it (HTML-escaped, one space between words)."""
    return html.escape(" ".join("".join(parts).split()), quote=False)


def page_file(site: Path, path: str) -> Path:
    return site / path / "index.html" if path else site / "index.html"


# Parsed pages by file and content: the live preview (policy_tools.watch) runs this step after every
# rebuild in one process, where most pages are unchanged; one build parses each page once anyway.
_PARSED: dict[Path, tuple[str, PageParser]] = {}


def parse_page(path: Path) -> PageParser:
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    known = _PARSED.get(path)
    if known is None or known[0] != digest:
        parser = PageParser()
        parser.feed(text)
        parser.close()
        known = _PARSED[path] = (digest, parser)
    return copy.copy(known[1])  # rewrite() narrows a copy's blocks, never the one kept


def page_entries(path: str, parsed: PageParser) -> list[dict[str, Any]]:
    """The page itself, then one entry per labelled block (Material's article, then its sections)."""
    entries: list[dict[str, Any]] = [
        {"location": path, "title": clean(parsed.title), "text": clean(parsed.outside), "boost": ARTICLE_BOOST}
    ]
    for block in parsed.blocks:
        title = html.escape(block.label) if block.label else clean(block.title)
        entries.append({"location": f"{path}#{block.ident}", "title": title, "text": clean(block.text)})
    return entries


def example_entries(path: str, parsed: PageParser) -> list[dict[str, Any]]:
    return [
        {"location": f"{path}{e.href}", "title": clean(e.title), "text": clean(e.text), "boost": EXAMPLE_BOOST}
        for e in parsed.examples
        if e.href.startswith("?")
    ]


def situation_entries(root: Path) -> list[dict[str, Any]]:
    """Every withdrawal situation, opened answered (calculators/withdrawal/?situation=<id>)."""
    rules_file = root / "policy_data" / "rules" / "withdrawal.yaml"
    if not rules_file.is_file():
        return []
    rules = yaml.safe_load(rules_file.read_text(encoding="utf-8")) or {}
    names = {d["id"]: d["name"] for d in rules.get("documents", [])}
    # The situations' names live with the page's words (policy_data/wording/, `withdrawal.situations`),
    # not in the rules: the entry's title is the name the page shows, never the situation's id.
    wording_file = root / "policy_data" / "wording" / "en.yaml"
    wording = yaml.safe_load(wording_file.read_text(encoding="utf-8")) if wording_file.is_file() else {}
    titles = ((wording or {}).get("withdrawal") or {}).get("situations") or {}
    out = []
    for situation in rules.get("situations", []):
        documents = [names.get(d, d) for d in situation.get("documents", [])]
        text = "Withdrawal documents checklist. Supporting documents: " + (", ".join(documents) or "none") + ". "
        text += " ".join(str(situation.get("reading", "")).split())
        out.append({
            "location": f"{WITHDRAWAL_PAGE}?{urlencode({'situation': situation['id']})}",
            "title": html.escape(str(titles.get(situation["id"], situation["id"]))),
            "text": html.escape(text, quote=False),
            "boost": ANSWER_BOOST,
        })
    return out


def load_synonyms(root: Path) -> list[tuple[list[str], re.Pattern[str]]]:
    path = root / "policy_data" / "search.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    out = []
    for entry in (data or {}).get("synonyms", []):
        finds = "|".join(re.escape(phrase) for phrase in entry["finds"])
        out.append((list(entry["words"]), re.compile(rf"\b(?:{finds})", re.IGNORECASE)))
    return out


def add_keywords(entry: dict[str, Any], synonyms: list[tuple[list[str], re.Pattern[str]]]) -> None:
    haystack = html.unescape(f"{entry.get('title', '')} {entry.get('text', '')}")
    words: list[str] = []
    for people_words, finds in synonyms:
        if finds.search(haystack):
            words += [w for w in people_words if w not in words]
    if words:
        entry["keywords"] = html.escape(" ".join(words), quote=False)


def rewrite(site: Path, index: dict[str, Any], root: Path = ROOT) -> dict[str, Any]:
    docs: list[dict[str, Any]] = index["docs"]
    paths: list[str] = []
    by_path: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        path = doc["location"].split("#", 1)[0]
        if path not in by_path:
            paths.append(path)
        by_path.setdefault(path, []).append(doc)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in paths:
        file = page_file(site, path)
        parsed = parse_page(file) if file.is_file() else None
        entries = by_path[path]
        if parsed is not None:
            paragraphs = any(not b.item for b in parsed.blocks)
            # Items (<dt id>, <li id>) split a page only where Material made one entry of it (the
            # glossary, related resources); Authority keeps Material's entry per statute heading.
            if paragraphs or (parsed.blocks and len(entries) == 1):
                if paragraphs:
                    parsed.blocks = [b for b in parsed.blocks if not b.item]
                entries = page_entries(path, parsed)
        if parsed is not None:
            entries = entries + example_entries(path, parsed)
        for entry in entries:
            if entry["location"] not in seen:
                seen.add(entry["location"])
                out.append(entry)
    if any(d["location"].startswith(WITHDRAWAL_PAGE) for d in out):
        out += [e for e in situation_entries(root) if e["location"] not in seen]
    synonyms = load_synonyms(root)
    for entry in out:
        add_keywords(entry, synonyms)
        if entry["location"].split("#")[0] == "" and "boost" not in entry:
            entry["boost"] = HOME_BOOST
        for prefix, boost in PAGE_BOOST.items():
            if entry["location"].startswith(prefix) and "boost" not in entry:
                entry["boost"] = boost
    config = dict(index.get("config", {}))
    if "keywords" not in config.get("fields", {}):
        raise SystemExit("error: mkdocs.yml: plugins: search: fields: add `keywords` (the synonyms field, policy_tools.search_index)")
    return {**index, "config": config, "docs": out}


CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
# Beside Material's worker (overrides/assets/javascripts/workers/), so Material's language files
# (../lunr/) resolve as they do for Material's own worker.
ADAPTER = "search-every-word.js"


HTML_LANG = re.compile(r'<html[^>]*\slang="([A-Za-z-]+)"')


def use_adapter(page_html: str) -> str:
    """Point the page's search worker at the adapter (Material's worker plus "every word first"),
    which loads Material's worker, named in `?material=`, and searches the pages of the page's
    own language, named in `&lang=` (one index holds both languages; see the adapter)."""
    found = HTML_LANG.search(page_html)
    lang = found.group(1).lower() if found else "en"

    def swap(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        worker = str(config.get("search") or "")
        folder, _, name = worker.rpartition("/")
        if not name.endswith(".js") or name == ADAPTER or "?" in name:
            return match.group(0)
        query = urlencode({"material": name, "lang": lang})
        config["search"] = f"{folder}/{ADAPTER}?{query}" if folder else f"{ADAPTER}?{query}"
        return match.group(1) + json.dumps(config, ensure_ascii=False, separators=(",", ":")) + match.group(3)

    return CONFIG_RE.sub(swap, page_html, count=1)


def run_site(site: Path) -> None:
    path = site / INDEX
    if not path.is_file():
        print("search_index: no search index (search plugin off); nothing to do", file=sys.stderr)
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if index.get("x-policy-entries"):
        return  # already rewritten (a repeated post-build run)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if '"search"' in text:
            write_if_changed(page, use_adapter(text))
    result = rewrite(site, index)
    result["x-policy-entries"] = True
    write_if_changed(path, json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    print(f"search_index: {len(index['docs'])} entries -> {len(result['docs'])}", file=sys.stderr)
