// Entry point of the calculator pages (mkdocs.yml extra_javascript, type: module). Loaded once per
// visit: Material's instant navigation swaps page content and announces each page on `document$`,
// so pages are (re)initialised from there while the Python worker lives on (calc-common.mjs).
import { startPython, usePage, watchReady } from "./calc-common.mjs";

// Each page names its own glue (`data-script`, written from calculators/registry.py by
// policy_tools.calculator_pages), fetched only on that page, so other pages load none of it.
const SCRIPT = /^calc-[a-z-]+\.mjs$/;

let current = null; // { root, handle } of the calculator on screen

async function initPage() {
  const root = document.querySelector("[data-calculator]");
  current = null;
  if (!root || root.dataset.calcInitialised || !SCRIPT.test(root.dataset.script || "")) return;
  root.dataset.calcInitialised = "true";
  usePage(root);
  // Start Python before anything else, so it loads while the reader reads and types.
  startPython();
  watchReady(root).catch(() => {});
  const controller = await import(`./${root.dataset.script}`);
  if (root.isConnected) current = { root, handle: controller.init(root) || {} };
}

// Links to a worked example on the same page: fill the form and show the result without reloading,
// with a history entry so the back button returns to the previous example.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-example]") : null;
  if (!link || !current || !current.root.isConnected || !current.handle.onAddressChange) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href);
  if (url.pathname !== location.pathname) return;
  event.preventDefault();
  event.stopPropagation();
  history.pushState(history.state, "", url);
  current.handle.onAddressChange();
  current.root.querySelector("form")?.scrollIntoView({ block: "start" });
}, true);

window.addEventListener("popstate", () => {
  if (current && current.root.isConnected && current.handle.onAddressChange) current.handle.onAddressChange();
});

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => initPage());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", initPage);
} else {
  initPage();
}
