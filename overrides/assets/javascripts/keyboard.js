// Skip link (WCAG 2.4.1): move keyboard focus to the heading it names, not only the scroll position.
// With instant navigation on, Material answers the link's own #fragment navigation (its popstate)
// by loading the page again and swapping in its content, which drops the focus back to the top of
// the page. So the skip link does the fragment navigation itself: address, then focus (which
// scrolls). A capturing listener on window runs before Material's.
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
