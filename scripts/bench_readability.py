"""Readability of every Spanish family page (issue 14), as built (not a test).

    .venv/bin/python scripts/bench_readability.py [SITE_DIR]

For each page under es/: words, sentences, Fernández-Huerta and Szigriszt-Pazos (INFLESZ) with their
band. Target: "bastante fácil" or easier on both scales (Fernández-Huerta >= 70, INFLESZ >= 65).
Also the calculators' Spanish answers for the worked examples, when the calculators speak Spanish.
Exit status 1 when a page misses the target.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_tools import languages  # noqa: E402
from policy_tools.readability import FERNANDEZ_HUERTA_BANDS, INFLESZ_BANDS, Figures, band, measure, page_units  # noqa: E402

TARGET_FH = 70.0
TARGET_INFLESZ = 65.0


def row(name: str, figures: Figures) -> tuple[str, bool]:
    fh, sp = figures.fernandez_huerta, figures.szigriszt_pazos
    ok = fh >= TARGET_FH and sp >= TARGET_INFLESZ
    line = (f"{name:<44} {figures.words:>6} {figures.sentences:>5} {figures.words / figures.sentences:>6.1f}"
            f" {fh:>6.1f} {band(fh, FERNANDEZ_HUERTA_BANDS):<17} {sp:>6.1f} {band(sp, INFLESZ_BANDS):<15} {'ok' if ok else 'BELOW TARGET'}")
    return line, ok


def answers() -> list[tuple[str, list[str]]]:
    """The Spanish sentences the calculators answer for each worked example, if they speak Spanish."""
    try:
        from calculators import bridge
        from policy_tools.calculator_examples import load_examples
    except ImportError:
        return []
    import json

    from calculators import wording

    if "es" not in wording.languages():
        return []  # the calculators answer in English only: nothing Spanish to measure

    out: list[tuple[str, list[str]]] = []
    for example in load_examples(ROOT):
        if example["calculator"] not in ("chronic", "excused", "withdrawal"):
            continue
        response = json.loads(bridge.handle(json.dumps({"calculator": example["calculator"], "input": example["input"], "lang": "es"})))
        if not response.get("ok"):
            continue
        texts = sorted(set(collect_texts(response["result"])))
        if texts:
            out.append((f"answer: {example['calculator']} {example['id']}", texts))
    return out


def collect_texts(value: object) -> list[str]:
    """Every sentence of a result meant for the reader (fields named text, sentence, summary...)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"text", "sentence", "summary", "headline", "verdict", "message", "next_step"} and isinstance(item, str):
                found.append(item)
            else:
                found += collect_texts(item)
    elif isinstance(value, list):
        for item in value:
            found += collect_texts(item)
    return found


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SITE_DIR", ROOT / "site")).resolve()
    print(f"{'page':<44} {'words':>6} {'sent.':>5} {'w/s':>6} {'F-H':>6} {'(band)':<17} {'S-P':>6} {'(INFLESZ)':<15}")
    all_ok = True
    for rel in languages.spanish_pages(site):
        figures = measure(page_units((site / rel).read_text(encoding="utf-8")))
        line, ok = row("/" + rel.removesuffix("index.html"), figures)
        all_ok &= ok
        print(line)
    for name, texts in answers():
        line, ok = row(name, measure(texts))
        all_ok &= ok
        print(line)
    print(f"target: Fernández-Huerta >= {TARGET_FH:.0f} and INFLESZ >= {TARGET_INFLESZ:.0f} (\"bastante fácil\" or easier)")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
