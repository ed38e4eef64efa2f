/* After a search result that opens a page without a fragment (a calculator's worked answer, such
 * as /calculators/withdrawal/?situation=death), Material closes the search but leaves the keyboard
 * focus in the search field. The reader's next click in that field then opens nothing (the field
 * is already focused, so no focus event), and typed keys go to a closed search. On every page
 * load (Material's document$) and fragment change, a focused field of a closed search gives the focus
 * back to the page, and a click in the field of a closed search opens it.
 */
(function () {
  "use strict";
  if (window.__policySearchFocus) {
    return;
  }
  window.__policySearchFocus = true;

  function release() {
    var toggle = document.querySelector("[data-md-toggle=search]");
    var field = document.querySelector(".md-search__input");
    if (toggle && field && !toggle.checked && document.activeElement === field) {
      field.blur();
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () {
      // After Material's own handling of the new page (it closes the search in the same turn).
      setTimeout(release, 0);
    });
  }
  // A result on the page already open (another paragraph of the same page) changes only the
  // fragment: no new page, so no document$; the search closes all the same.
  window.addEventListener("hashchange", function () {
    setTimeout(release, 0);
  });
  // And whatever left the focus there: a click in the field of a closed search opens it.
  document.addEventListener("click", function (event) {
    var toggle = document.querySelector("[data-md-toggle=search]");
    var field = event.target instanceof Element ? event.target.closest(".md-search__input") : null;
    if (toggle && field && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  });
})();
