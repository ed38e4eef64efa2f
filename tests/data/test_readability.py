"""The Spanish readability figures (scripts/bench_readability.py) count what a reader reads."""
from __future__ import annotations

import pytest

from policy_tools.readability import FERNANDEZ_HUERTA_BANDS, band, measure, page_units, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [("día", 2), ("guía", 2), ("ahora", 3), ("ausentismo", 4), ("escuela", 3), ("que", 1), ("guerra", 2),
     ("pingüino", 3), ("hoy", 1), ("y", 1), ("leer", 2), ("país", 2), ("calculadora", 5), ("inscripción", 3),
     ("ciudad", 2), ("Ángeles", 3)],
)
def test_syllables_follow_spanish_spelling_rules(word: str, count: int) -> None:
    assert syllables(word) == count


def test_the_formulas_give_the_published_figures() -> None:
    # Me gus-ta mu-cho la ca-sa (8); Mi pe-rro co-me pan y que-so (9).
    figures = measure(["Me gusta mucho la casa.", "Mi perro come pan y queso."])
    assert (figures.words, figures.sentences) == (11, 2)
    assert figures.syllables == 17
    assert figures.fernandez_huerta == pytest.approx(206.84 - 0.60 * 100 * 17 / 11 - 1.02 * 100 * 2 / 11)
    assert figures.szigriszt_pazos == pytest.approx(206.835 - 62.3 * 17 / 11 - 11 / 2)
    assert band(75.0, FERNANDEZ_HUERTA_BANDS) == "bastante fácil"


def test_only_the_article_s_spanish_text_is_scored() -> None:
    html = (
        '<nav>Inicio</nav><article><h1>Título<a class="headerlink" href="#t">¶</a></h1>'
        '<p>Una frase. <a lang="en" href="x">English words here</a></p><script>var a;</script>'
        '<p hidden>Oculto</p><button>Calcular</button></article>'
    )
    assert page_units(html) == ["Título", "Una frase."]
