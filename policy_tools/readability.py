"""Readability of Spanish text (issue 14): Fernández-Huerta and Szigriszt-Pazos (INFLESZ scale).

    Fernández-Huerta = 206.84 - 0.60 * (syllables per 100 words) - 1.02 * (sentences per 100 words)
    Szigriszt-Pazos  = 206.835 - 62.3 * (syllables / words) - (words / sentences)

Syllables are counted by the rules of Spanish spelling (RAE, Ortografía 2010, § 1.7): each vowel
group is one syllable (a diphthong or triphthong) unless two of its vowels are open (a, e, o) or
one is an accented close vowel (í, ú), which split it (hiatus: "dí-a", "le-er"); the u of
que/qui/gue/gui is silent; a final y after a vowel closes a diphthong ("hoy", "muy"). textstat's
Spanish count hyphenates with Pyphen, which misses hiatus ("día" as one syllable), and its
package installs a top-level `tests` module that shadows this project's tests, hence this module.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

OPEN = set("aeoáéó")
CLOSED = set("iuü")
ACCENTED_CLOSED = set("íú")
VOWELS = OPEN | CLOSED | ACCENTED_CLOSED
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
SENTENCE_END_RE = re.compile(r"[.!?¿¡:;…]+")

# Fernández-Huerta's scale (Flesch's bands) and Szigriszt-Pazos's INFLESZ scale, easiest first.
FERNANDEZ_HUERTA_BANDS = ((90, "muy fácil"), (80, "fácil"), (70, "bastante fácil"), (60, "normal"),
                          (50, "bastante difícil"), (30, "difícil"), (float("-inf"), "muy difícil"))
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
                 (float("-inf"), "muy difícil"))


def syllables(word: str) -> int:
    w = unicodedata.normalize("NFC", word.lower())
    w = re.sub(r"(?<=[qg])u(?=[eéií])", "", w)  # que, qui, gue, gui: the u is not said
    if len(w) > 1 and w.endswith("y") and w[-2] in VOWELS:
        w = w[:-1] + "i"  # hoy, muy, rey: a closing vowel
    if w == "y":
        return 1
    count = 0
    previous = ""
    for ch in w:
        if ch not in VOWELS:
            previous = ""
            continue
        if not previous:
            count += 1
        elif (ch in OPEN or ch in ACCENTED_CLOSED) and (previous in OPEN or previous in ACCENTED_CLOSED):
            count += 1  # hiatus
        elif ch in CLOSED and previous in CLOSED and ch == previous:
            count += 1  # "leer"-like doubled close vowels are rare ("chiita"): two syllables
        previous = ch
    return max(count, 1)


@dataclass(frozen=True)
class Figures:
    words: int
    sentences: int
    syllables: int

    @property
    def fernandez_huerta(self) -> float:
        return 206.84 - 0.60 * (100 * self.syllables / self.words) - 1.02 * (100 * self.sentences / self.words)

    @property
    def szigriszt_pazos(self) -> float:
        return 206.835 - 62.3 * (self.syllables / self.words) - (self.words / self.sentences)


def band(score: float, bands: tuple[tuple[float, str], ...]) -> str:
    return next(name for floor, name in bands if score >= floor)


def measure(units: list[str]) -> Figures:
    """`units`: blocks of text (paragraphs, list items, headings), each ending a sentence."""
    words = sentences = count = 0
    for unit in units:
        for sentence in SENTENCE_END_RE.split(unit):
            found = WORD_RE.findall(sentence)
            if found:
                sentences += 1
                words += len(found)
                count += sum(syllables(w) for w in found)
    return Figures(words, max(sentences, 1), count)


class ArticleText(HTMLParser):
    """The reader's Spanish text of a built page: the article's blocks, without scripts, hidden
    parts, permalinks, buttons or parts marked lang="en"."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "td", "th", "caption", "summary", "label", "figcaption"}
    SKIP = {"script", "style", "template", "button", "noscript", "svg"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.units: list[str] = []
        self._buffer: list[str] = []
        self._stack: list[str] = []
        self._article_depth: int | None = None
        self._skip_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        self._stack.append(tag)
        if tag == "article" and self._article_depth is None:
            self._article_depth = len(self._stack)
        # English inside a Spanish page (a term as the bulletin prints it) is not Spanish to score.
        english = (attributes.get("lang") or "").startswith("en")
        hidden = tag in self.SKIP or english or "hidden" in attributes or "headerlink" in (attributes.get("class") or "")
        if hidden and self._skip_depth is None:
            self._skip_depth = len(self._stack)
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag not in self._stack:
            return
        while self._stack:
            depth = len(self._stack)
            closed = self._stack.pop()
            if self._skip_depth == depth:
                self._skip_depth = None
            if self._article_depth == depth:
                self._article_depth = None
            if closed in self.BLOCKS:
                self._flush()
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._article_depth is not None and self._skip_depth is None:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.units.append(text)
        self._buffer = []


def page_units(html_text: str) -> list[str]:
    parser = ArticleText()
    parser.feed(html_text)
    parser._flush()
    return parser.units
