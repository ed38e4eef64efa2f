// The site offline (issue 18): registers the service worker (sw.js, written at build time by
// policy_tools/offline.py with Workbox) and says when a new version of the site is ready.
//
// A new build waits in the background until the reader reloads: an open page never gets files of
// another build (an old page with a new wheel, or the reverse). The notice offers the reload; closing
// every tab of the site does it too. The worker stores only the site's own files (its precache),
// never an address with a query or anything typed.

const siteRoot = new URL("../../", import.meta.url);
const CHECK_EVERY_MS = 60_000;

const WORDS = {
  en: { updated: "This site has been updated.", reload: "Reload to see the new version", later: "Later" },
  es: { updated: "Este sitio se actualizó.", reload: "Recargar para ver la versión nueva", later: "Más tarde" },
};

function words() {
  return (document.documentElement.lang || "en").toLowerCase().startsWith("es") ? WORDS.es : WORDS.en;
}

/** On a calculator page, wait until Python has started (or failed), and has answered when the
 * address carries inputs, so the offline copy's downloads never compete with the first answer, and
 * the big files it needs are in the HTTP cache by then. */
function calculatorSettled() {
  if (!document.querySelector("[data-calculator]")) return Promise.resolve();
  const mark = "calc:settled"; // calc-common.mjs
  return new Promise((resolve) => {
    const settled = () => performance.getEntriesByName(mark).length > 0 || document.querySelector(".calc-status-failed");
    if (settled()) return resolve();
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName(mark).length) {
        observer.disconnect();
        resolve();
      }
    }).observe({ type: "mark", buffered: true });
    // A failed start sets no mark; the status line says so.
    new MutationObserver((records, observer) => {
      if (settled()) {
        observer.disconnect();
        resolve();
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["class"] });
  });
}

function loaded() {
  return document.readyState === "complete" ? Promise.resolve() : new Promise((resolve) => addEventListener("load", resolve, { once: true }));
}

let dismissed = false;

function showUpdateNotice(registration) {
  if (dismissed || document.getElementById("site-update")) return;
  const w = words();
  const reload = document.createElement("button");
  reload.type = "button";
  reload.className = "md-button md-button--primary site-update-reload";
  reload.textContent = w.reload;
  reload.addEventListener("click", () => {
    reload.disabled = true;
    // The waiting worker takes over; `controllerchange` below then reloads this page.
    if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
    else location.reload();
  });
  const later = document.createElement("button");
  later.type = "button";
  later.className = "md-button site-update-later";
  later.textContent = w.later;
  later.addEventListener("click", () => {
    dismissed = true;
    notice.remove();
  });
  const text = document.createElement("p");
  text.textContent = w.updated;
  const notice = document.createElement("div");
  notice.id = "site-update";
  notice.className = "site-update md-typeset"; // md-typeset: Material's button styles
  notice.setAttribute("role", "status");
  notice.append(text, reload, later);
  document.body.append(notice);
}

function watchForUpdates(registration) {
  const offer = () => {
    // Only an update: the very first install has no page of an older build to replace.
    if (registration.waiting && navigator.serviceWorker.controller) showUpdateNotice(registration);
  };
  offer();
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener("statechange", () => {
      if (installing.state === "installed") offer();
    });
  });
  // Material's instant navigation changes pages without a navigation, which is when browsers look
  // for a new worker; look now and then as pages change, and put the notice back on each new page.
  let lastCheck = Date.now();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => {
      offer();
      if (Date.now() - lastCheck > CHECK_EVERY_MS) {
        lastCheck = Date.now();
        registration.update().catch(() => {}); // offline: nothing to check
      }
    });
  }
}

async function register() {
  if (!("serviceWorker" in navigator)) return;
  let controller = navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // A page of the old build under the new worker would mix builds: reload it. The first install
    // (no controller before) takes over the page it was installed from, which is the same build.
    const previous = controller;
    controller = navigator.serviceWorker.controller;
    if (previous) location.reload();
  });
  await loaded();
  await calculatorSettled();
  try {
    const registration = await navigator.serviceWorker.register(new URL("sw.js", siteRoot), {
      scope: siteRoot.pathname,
      updateViaCache: "none",
    });
    watchForUpdates(registration);
  } catch (error) {
    // No offline copy (private window, storage full): the site still works online.
    console.warn(`The offline copy of this site is not available: ${error && error.message ? error.message : error}`);
  }
}

register();
