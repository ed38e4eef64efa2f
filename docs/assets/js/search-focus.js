/* After a search result (a paragraph, or a calculator's worked answer such as
 * /calculators/withdrawal/?situation=death), Material closes the search but leaves the keyboard
 * focus in the search field. The reader's next click in that field then opened nothing (the field
 * is already focused, so no focus event), and typed keys went to a closed search. Now a search
 * that closes gives the focus back to the page, and a click in the field of a closed search opens it.
 */
(function () {
  "use strict";
  if (window.__policySearchFocus) {
    return;
  }
  window.__policySearchFocus = true;

  // Material closes the search by clicking its toggle (a change event) 125 ms after a result
  // opened a page or a fragment (so it also closes a search opened in that time), and leaves the
  // focus in the field. Whenever the search closes with the focus in its field, the focus goes back to
  // the page, so the next click in the field is a focus that opens the search. (A timer after the
  // new page came too early: the close came after it.)
  document.addEventListener("change", function (event) {
    var toggle = event.target;
    var field = document.querySelector(".md-search__input");
    if (toggle instanceof HTMLInputElement && toggle.matches("[data-md-toggle=search]") && !toggle.checked && field && document.activeElement === field) {
      field.blur();
    }
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
