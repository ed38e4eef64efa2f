/* Copy a paragraph's permanent address (/ref/<id>/) and make glossary terms reachable by keyboard.
 *
 * Trainers paste these addresses into courses (issue 4), so the copied text is always the full,
 * absolute /ref/ address, never the page's own URL. The click handler is delegated from `document`
 * and bound once, so it keeps working after Material's instant navigation swaps the page; the
 * per-page work runs on Material's `document$`, which emits on every page load.
 * No inline script and no other host: the site's Content Security Policy allows neither.
 */
(function () {
  "use strict";
  if (window.__policyCopyLink) {
    return;
  }
  window.__policyCopyLink = true;

  var STATUS_ID = "policy-copy-status";
  var hideTimer = 0;

  function statusRegion() {
    var region = document.getElementById(STATUS_ID);
    if (!region) {
      region = document.createElement("div");
      region.id = STATUS_ID;
      region.className = "policy-copy-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message) {
    var region = statusRegion();
    // Clearing first makes screen readers repeat "Link copied" when a second link is copied.
    region.textContent = "";
    region.classList.remove("is-visible");
    window.clearTimeout(hideTimer);
    window.setTimeout(function () {
      region.textContent = message;
      region.classList.add("is-visible");
      hideTimer = window.setTimeout(function () {
        region.classList.remove("is-visible");
      }, 4000);
    }, 60);
  }

  function copyWithSelection(text) {
    // Without the async Clipboard API (a plain-http host that is not localhost).
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "policy-copy-scratch";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button.policy-copy, button.policy-cite") : null;
    if (!button) {
      return;
    }
    // "Cite this" (issue 16): the citation is written at build time, with the SITE_URL address.
    var citation = button.getAttribute("data-cite");
    if (citation) {
      copy(citation).then(
        function () {
          button.setAttribute("data-copied", "");
          announce("Citation copied: " + citation);
        },
        function () {
          announce("Could not copy. The citation is: " + citation);
        }
      );
      return;
    }
    var address = new URL(button.getAttribute("data-ref"), window.location.href).href;
    copy(address).then(
      function () {
        button.setAttribute("data-copied", "");
        announce("Link copied: " + address);
      },
      function () {
        announce("Could not copy. The permanent address is " + address);
      }
    );
  });

  // The print date on every page (shown only in print, beside the version line): when the page
  // is shown, and again just before printing (a page may stay open for days).
  function fillPrintDate() {
    // In the page's language: a Spanish page (lang="es", issue 14) says "impreso el 1 de diciembre de 2026".
    var spanish = document.documentElement.lang === "es";
    var today = new Date().toLocaleDateString(spanish ? "es" : "en-US", { year: "numeric", month: "long", day: "numeric" });
    var slots = document.querySelectorAll("[data-print-date]");
    for (var i = 0; i < slots.length; i++) {
      slots[i].textContent = (spanish ? " · impreso el " : " · printed ") + today;
    }
  }
  window.addEventListener("beforeprint", fillPrintDate);

  // Search highlighting (Material marks the query words on the page it opens) must not mark our
  // own labels ("Note (ours...)", the version line): they are not the bulletin's words. Material
  // may highlight after this script ran, so watch the content and unwrap any mark inside them.
  var OURS = ".policy-ours mark[data-md-highlight], .policy-actions mark[data-md-highlight], .policy-label mark[data-md-highlight]";
  function unmarkOurs(root) {
    var marks = root.querySelectorAll(OURS);
    for (var i = 0; i < marks.length; i++) {
      var mark = marks[i];
      mark.replaceWith(document.createTextNode(mark.textContent));
    }
  }
  new MutationObserver(function () {
    if (document.querySelector(OURS)) {
      unmarkOurs(document);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  function preparePage() {
    statusRegion();
    fillPrintDate();
    unmarkOurs(document);
    // Material shows a glossary term's meaning when its <abbr> is hovered or focused; let the
    // keyboard reach the first use of each term on the page (one tab stop per term, not dozens).
    var seen = {};
    var terms = document.querySelectorAll(".md-content abbr[title]");
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i].textContent;
      if (!seen[term] && !terms[i].closest("a, button")) {
        seen[term] = true;
        terms[i].setAttribute("tabindex", "0");
      }
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(preparePage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", preparePage);
  } else {
    preparePage();
  }
})();
