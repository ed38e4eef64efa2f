// Keyboard fixes on top of MkDocs Material (issue 7; WCAG 2.1.1, 2.4.1). Loaded on every page by
// overrides/main.html; listeners on window, so they outlive Material's instant navigation.

// Skip link: move keyboard focus to the heading it names, not only the scroll position. With instant
// navigation on, Material answers the link's own #fragment navigation (its popstate) by loading the
// page again and swapping in its content, which drops the focus back to the top of the page. So the
// skip link does the fragment navigation itself: address, then focus (which scrolls). A capturing
// listener on window runs before Material's.
window.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("a.md-skip") : null;
    if (!link) return;
    const hash = new URL(link.href).hash;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    history.pushState(null, "", hash);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  },
  true,
);

// Colour scheme toggle: Material makes it a pair of radio buttons, each followed by a visible label
// naming the other scheme ("Switch to dark mode"); it switches on Enter and the arrow keys. On a
// first visit no option is checked, so Tab landed on the first one whatever the scheme: in the dark
// scheme, an option whose label is hidden (no visible focus) and whose name is wrong. Check the
// option of the scheme shown when the toggle takes focus, and let Space (what a keyboard user tries
// first on a button) do what a click on the label does.
window.addEventListener(
  "focusin",
  (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("md-option")) return;
    const options = [...document.querySelectorAll("input.md-option")];
    if (options.some((option) => option.checked)) return;
    const scheme = document.body.getAttribute("data-md-color-scheme");
    const current = options.find((option) => option.getAttribute("data-md-color-scheme") === scheme);
    if (!current) return;
    current.checked = true;
    if (current !== input) current.focus();
  },
  true,
);

window.addEventListener(
  "keydown",
  (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("md-option")) return;
    if (event.key !== " ") return;
    const label = input.nextElementSibling;
    if (!(label instanceof HTMLLabelElement)) return;
    event.preventDefault();
    label.click();
    // Stay on the option now chosen: its own label switches back.
    document.getElementById(label.htmlFor)?.focus();
  },
  true,
);
