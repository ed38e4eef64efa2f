"""Keyboard use: a skip link that works, every control reachable with Tab and visibly focused.

Checked on one page of each kind the site has (home, the first policy, reference and other pages)
and on every calculator page, as a keyboard user meets them: Tab from the top of the page.
"""
from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from playwright.sync_api import expect

from tests.conftest import SITE
from policy_tools.quality import discover

pytestmark = pytest.mark.browser


def pages_to_check() -> list[str]:
    if not (SITE / "index.html").is_file():
        return ["/"]
    pages, _ = discover(SITE)
    chosen: dict[str, str] = {}
    for visit in pages:
        kind = visit.path.strip("/").split("/")[0]
        if kind == "calculators":
            kind = visit.path
        chosen.setdefault(kind, visit.path)
    return list(chosen.values())


def skip_text(lang: str) -> str:
    """Material's own words for the skip link in the page's language (its `action.skip`)."""
    words = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{lang}.html"
    return re.search(r'"action\.skip": "([^"]+)"', words.read_text(encoding="utf-8")).group(1)


# Marks each control a keyboard user must be able to reach (visible, enabled, in the tab order; of a
# radio group only the one Tab stops on) with data-kb, and returns how it is described.
MARK_CONTROLS = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && rendered(el);
  };
  const rendered = (el) => el.checkVisibility({visibilityProperty: true, checkVisibilityCSS: true});
  const stand_in = (el) => (el.nextElementSibling && el.nextElementSibling.tagName === "LABEL" ? el.nextElementSibling : el.labels && el.labels[0]);
  const out = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")) {
    if (el.tabIndex < 0 || el.matches(":disabled") || el.closest("[inert], [hidden]") || !rendered(el)) continue;
    if (el.type === "radio" && el.name) {
      const group = [...document.getElementsByName(el.name)];
      if (el !== (group.find((r) => r.checked) || group[0])) continue;
    }
    // Material hides some inputs (the palette toggle) and shows their label instead.
    const seen = shown(el) ? el : stand_in(el);
    if (!seen || !shown(seen)) continue;
    el.dataset.kb = String(out.length);
    out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${(el.innerText || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40)}`);
  }
  return out;
}"""

# The focused control: its data-kb mark, and whether focus shows (an outline or a shadow on it, or
# on the label that stands in for a hidden input).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rings = (node) => {
    const s = getComputedStyle(node);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  };
  const next = el.nextElementSibling;
  const stand_in = next && next.tagName === "LABEL" ? next : el.labels && el.labels[0];
  const shown = (node) => node.getBoundingClientRect().width > 0 && node.getBoundingClientRect().height > 0;
  const visible = shown(el) ? rings(el) : Boolean(stand_in && shown(stand_in) && rings(stand_in));
  return {kb: el.dataset.kb ?? null, visible, what: `<${el.tagName.toLowerCase()} class="${el.className}" id="${el.id}" name="${el.name || el.dataset.name || ""}">`};
}"""


# The page records each control the focus lands on, with FOCUSED, as the focus moves; the Tabs are
# then pressed one after another and the record read once, instead of a read after every Tab.
RECORD_FOCUS = (
    "() => { window.kbFocused = []; const focused = " + FOCUSED.strip()
    + "; document.addEventListener('focusin', () => { window.kbFocused.push(focused()); }); }"
)


@pytest.mark.parametrize("path", pages_to_check())
def test_skip_link_is_first_shows_on_focus_and_moves_past_the_navigation(page, path: str) -> None:
    page.goto(path)
    # Start once Material's script has run (it swaps html.no-js for html.js): on a busy machine a
    # skip link used before then had its focus start point reset by the script starting up.
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.keyboard.press("Tab")
    # Material fades the skip link in on focus.
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'", timeout=2_000)
    skip = page.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
        return {cls: el.className, text: el.innerText.trim(), href: el.getAttribute("href"),
                lang: document.documentElement.lang,
                opacity: getComputedStyle(el).opacity, inView: box.top >= 0 && box.bottom <= innerHeight && box.width > 0}; }"""
    )
    assert "md-skip" in skip["cls"], f"{path}: the first Tab stop is not the skip link: {skip}"
    assert skip["text"] == skip_text(skip["lang"]), f"{path}: the skip link is not in the page's language: {skip}"
    assert skip["opacity"] == "1" and skip["inView"], f"{path}: the skip link is not visible when focused: {skip}"
    page.keyboard.press("Enter")
    target = skip["href"][skip["href"].index("#") :]
    page.wait_for_function("(hash) => location.hash === hash", arg=target)
    expect(page.locator(target), f"{path}: focus did not move to {target}").to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_count(1)
    inside, where = page.evaluate("() => [Boolean(document.activeElement.closest('.md-content')), document.activeElement.outerHTML.slice(0, 120)]")
    assert inside, f"{path}: after the skip link, Tab does not continue in the content but on {where}"


@pytest.mark.parametrize(
    ("path", "scheme"), [(path, "light") for path in pages_to_check()] + [(pages_to_check()[0], "dark")]
)
def test_every_control_is_reached_by_tab_and_shows_focus(page, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    controls = page.evaluate(MARK_CONTROLS)
    assert controls, f"{path}: no control found"
    reached: set[str] = set()
    unseen_focus: list[str] = []
    page.evaluate(RECORD_FOCUS)
    for _ in range(len(controls) + 25):
        page.keyboard.press("Tab")
    for focused in page.evaluate("() => window.kbFocused"):
        if focused["kb"] is not None:
            if focused["kb"] in reached and focused["kb"] == "0":
                break  # round the page and back to the first control
            reached.add(focused["kb"])
        if not focused["visible"]:
            unseen_focus.append(focused["what"])
    missing = [controls[int(i)] for i in range(len(controls)) if str(i) not in reached]
    assert missing == [], f"{path}: not reachable with Tab: {missing}"
    assert unseen_focus == [], f"{path}: focus not visible on: {unseen_focus}"
