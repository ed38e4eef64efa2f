/* The language switch keeps the page and its answers (issue 14).
 *
 * policy_tools.languages points each link of the header's language switch at the same page in the
 * other language (or that language's home page). Here, when the switch is used on a page that has
 * a translation, the page's query string and fragment go along, so
 * /calculators/chronic-absence/?enrolled=180&absent=17 becomes
 * /es/calculators/chronic-absence/?enrolled=180&absent=17 with the same answer on screen.
 *
 * A link into the other language is always a full page load, never Material's instant navigation:
 * instant navigation swaps only the page body, so the document's `lang`, the header, the switch and
 * the search language would stay those of the first page.
 *
 * After an instant navigation inside one language, the switch is re-pointed from the new page's
 * `<link rel="alternate" hreflang>` (Material swaps the head's links, not the header).
 */
(function () {
  "use strict";
  if (window.__policyLanguages) return;
  window.__policyLanguages = true;

  var LANGUAGES = ["en", "es"]; // the first is the default language, at the site root
  var root = siteRoot();

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (error) {
      base = ".";
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function languageOf(url) {
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    var first = url.pathname.slice(root.pathname.length).split("/")[0];
    return LANGUAGES.indexOf(first) > 0 ? first : LANGUAGES[0];
  }

  function homeOf(lang) {
    return new URL(lang === LANGUAGES[0] ? "./" : lang + "/", root).href;
  }

  function samePage(lang) {
    var link = document.head.querySelector('link[rel="alternate"][hreflang="' + lang + '"]');
    return link ? link.href : null;
  }

  function pointSwitch() {
    var links = document.querySelectorAll("a.md-select__link[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var lang = links[i].getAttribute("hreflang");
      links[i].href = samePage(lang) || homeOf(lang);
    }
  }

  // Capture phase on document: runs before Material's instant-navigation handler (on body), so a
  // stopped event reaches the browser's own navigation only.
  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.target) return;
    var url = new URL(link.href, location.href);
    var to = languageOf(url);
    var here = languageOf(new URL(location.href));
    if (!to || !here) return;
    if (link.matches("a.md-select__link[hreflang]")) {
      var lang = link.getAttribute("hreflang");
      var page = samePage(lang);
      if (lang === here) {
        event.preventDefault();
        return;
      }
      if (page) {
        url = new URL(page);
        url.search = location.search;
        // Only a fragment that names a place on this page (navigation.tracking may leave a stale one).
        url.hash = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))) ? location.hash : "";
        link.href = url.href;
      }
    }
    if (to !== here || link.matches("a.md-select__link")) event.stopPropagation();
  }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(pointSwitch);
  } else {
    pointSwitch();
  }
})();
