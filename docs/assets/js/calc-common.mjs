// Shared glue for the calculator pages: the one Python worker, DOM helpers, field errors, the "why"
// list, the address of a shareable example. No policy here: every result comes from Python.

const siteRoot = new URL("../../", import.meta.url);

// --- Python: one module worker for the whole visit ----------------------------------------------
// Material's instant navigation swaps pages without reloading this module, so the worker started on
// the first calculator page keeps running on the next (and Python starts only once).

let worker = null;
let ready = null;
let nextId = 1;
const pending = new Map();

/** `calc:settled`: Python has started and answered what the page asked first (the inputs in its
 * address); offline.mjs waits for it, so the offline copy never downloads before the first answer. */
function settledOnce() {
  if (!pending.size && !performance.getEntriesByName("calc:settled").length) performance.mark("calc:settled");
}

export function startPython() {
  if (worker) return ready;
  performance.mark("calc:python-start");
  worker = new Worker(new URL("./py-worker.mjs", import.meta.url), { type: "module", name: "python" });
  ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", (event) => {
      const data = event.data;
      if (data.type === "ready") {
        for (const [name, at] of data.steps || []) performance.mark(`calc:worker:${name}`, { startTime: at - performance.timeOrigin });
        resolve();
        settledOnce();
      }
      else if (data.type === "failed") reject(new Error(data.message));
      else if (data.progress !== undefined) pending.get(data.id)?.onProgress?.(data.progress, data.step);
      else if (pending.has(data.id)) {
        const { resolve: done, reject: fail } = pending.get(data.id);
        pending.delete(data.id);
        if (data.failed) fail(new Error(data.failed));
        else done(data.response, data.file);
        settledOnce();
      }
    });
    worker.addEventListener("error", (event) => reject(new Error(event.message || "the Python worker did not start")));
  });
  ready.catch(() => {});
  return ready;
}

/** Run one calculator in Python: `{ok, result}` or `{ok: false, error: {field, message}}`.
 * `file` (optional) is `{bytes: ArrayBuffer, needs: "xlsx"?}`: the bytes go to Python's in-memory
 * file system (never anywhere else) and `input.file` names them; `onProgress(0..1, step)` hears how
 * far a long computation has got. `collect` (optional) is a path in that file system: the file
 * Python writes there comes back as the answer's `file` (an ArrayBuffer); `needs` ("xlsx") loads
 * that library first. */
export function calculate(calculator, input, { file = null, onProgress = null, collect = null, needs = null } = {}) {
  startPython();
  const id = nextId++;
  let upload;
  if (file) {
    const path = `/tmp/upload-${id}`;
    upload = { path, bytes: file.bytes, needs: file.needs || null };
    input = { ...input, file: path };
  }
  return new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: (text, bytes) => {
        const answer = JSON.parse(text);
        if (bytes) answer.file = bytes;
        resolve(answer);
      },
      reject,
      onProgress,
    });
    // The answer's words in the page's language (lang="es" on the Spanish pages; issue 14).
    const request = JSON.stringify({ calculator, input, lang: pageLanguage() });
    worker.postMessage({ id, request, upload, collect, needs }, file ? [file.bytes] : []);
  });
}

// --- The page's language: its words and its number formats (issue 14) ---------------------------
// The calculator's root carries both, written by policy_tools.calculator_pages from the same data
// Python uses: data-words (policy_data/wording/<lang>.yaml, `page` parts) and data-formats
// (calculators/formats.json, from Babel). English stays the default when a page carries none.

let WORDS = {};
let FORMATS = { decimal: ".", group: ",", percent_prefix: "", percent_suffix: "%" };

export function pageLanguage() {
  return document.documentElement.lang === "es" ? "es" : "en";
}

/** Read the words and formats of the calculator on screen (calculators.mjs, on every page). */
export function usePage(root) {
  WORDS = root.dataset.words ? JSON.parse(root.dataset.words) : {};
  if (root.dataset.formats) FORMATS = JSON.parse(root.dataset.formats);
}

/** The page's words for `key`, {placeholders} filled; `fallback` when the page has none. */
export function t(key, fallback, values = {}) {
  const text = typeof WORDS[key] === "string" ? WORDS[key] : fallback;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Show "loading" until Python is ready, then enable the form's buttons. */
export function watchReady(root) {
  const status = root.querySelector("[data-calc-status]");
  const busy = root.querySelectorAll("[data-needs-python]");
  if (status) {
    status.hidden = false;
    status.textContent = status.dataset.loading || "Loading the calculator…";
  }
  root.setAttribute("aria-busy", "true");
  return startPython().then(
    () => {
      if (!performance.getEntriesByName("calc:python-ready").length) performance.mark("calc:python-ready");
      root.removeAttribute("aria-busy");
      root.classList.add("calc-ready");
      if (status) {
        status.textContent = status.dataset.ready || "The calculator is ready.";
        status.classList.add("calc-status-ready");
      }
      busy.forEach((el) => el.removeAttribute("disabled"));
    },
    (error) => {
      root.removeAttribute("aria-busy");
      if (status) {
        status.textContent = t("could_not_start", "The calculator could not start: {error}. Reload the page to try again.", { error: error.message });
        status.classList.add("calc-status-failed");
      }
      throw error;
    },
  );
}

// --- DOM ----------------------------------------------------------------------------------------

/** el("p", {class: "x"}, "text", child): text is always text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A number as the page shows it: 17.5, 90.56, 1,234. */
export function num(value) {
  if (typeof value !== "number") return String(value);
  // As calculators.formats writes it (Babel's data for the page's language): 1,234.5 or 1.234,5.
  const [whole, fraction] = Math.abs(value).toLocaleString("en-US", { maximumFractionDigits: 10, useGrouping: false }).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000").split("\u0000").join(FORMATS.group);
  return (value < 0 ? "-" : "") + grouped + (fraction ? FORMATS.decimal + fraction : "");
}

/** A percentage (the value already in percent): "91.67%", "91,67 %". */
export function pct(value) {
  return `${FORMATS.percent_prefix}${num(value)}${FORMATS.percent_suffix}`;
}

/** "1 student", "2 students". */
export function plural(count, word) {
  return `${num(count)} ${count === 1 ? word : `${word}s`}`;
}

export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}

/** Where a reason's source is explained: the paragraph, the statute, or the reading on this page. */
export function sourceHref(source) {
  if (source.kind === "paragraph") return siteUrl(`ref/${source.id}/`);
  // A statute the bulletin's Authority list lacks carries its official page instead (DESIGN.md).
  if (source.kind === "statute") return source.url || siteUrl(`reference/authority/#${source.id}`);
  // LAUSD's own published practice: its citation is on the page, under "What this calculator applies".
  if (source.kind === "practice") return `#practice-${source.id}`;
  return `#reading-${source.id}`;
}

export function sourceLink(source) {
  // A reading is explained on the page when the page lists it; otherwise the reason's text says it.
  if ((source.kind === "reading" || source.kind === "practice") && !document.getElementById(`${source.kind}-${source.id}`)) {
    return el("span", { class: "calc-source calc-source-reading" }, source.label);
  }
  // The bulletin and the statutes exist in English only: a Spanish page says where the link goes.
  const english = pageLanguage() !== "en" && (source.kind === "paragraph" || source.kind === "statute");
  return el("a", { href: sourceHref(source), class: `calc-source calc-source-${source.kind}`, hreflang: english ? "en" : null }, source.label);
}

/** The "why" list under a result: each reason with a link to its paragraph, statute or reading. */
export function whyList(reasons, heading = t("why", "Why")) {
  if (!reasons || reasons.length === 0) return null;
  return el(
    "section",
    { class: "calc-why" },
    el("h3", {}, heading),
    el("ul", {}, reasons.map((reason) => el("li", { "data-rule": reason.rule }, reason.text, " ", el("span", { class: "calc-why-source" }, "(", sourceLink(reason.source), ")")))),
  );
}

// --- Field errors: next to the field, announced, linked with aria-describedby -------------------

export function clearErrors(form) {
  const errorSummary = form.querySelector("[data-error-summary]");
  if (errorSummary) {
    errorSummary.hidden = true;
    errorSummary.querySelector("[data-error-list]")?.replaceChildren();
  }
  form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
  form.querySelectorAll("[data-error-for]").forEach((msg) => {
    msg.textContent = "";
    msg.hidden = true;
  });
  const summary = form.querySelector("[data-form-error]");
  if (summary) {
    summary.textContent = "";
    summary.hidden = true;
  }
}

/** The form field Python's error names, and its message element: Python names the field as its
 * input does ("calendar.non_school_days[2]"); the nearest field of the form is the one to mark
 * ("calendar.non_school_days"). Both null when the form has no such field. */
export function fieldFor(form, fieldName) {
  let name = fieldName || "";
  while (name) {
    const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const msg = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (field && msg) return { field, msg };
    name = name.replace(/(\[\d+\]|\.[^.[\]]*)$/, "");
  }
  return { field: null, msg: null };
}

/** Show a field that a hidden part of the form holds (a closed <details>, a field not asked yet). */
function reveal(field) {
  for (let node = field.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
    if (node.hidden && node.matches("[data-calendar-field], .calc-field")) node.hidden = false;
  }
}

/** Every problem at once (GOV.UK's error summary): a list at the top of the form, each message a
 * link to its field, and the same message next to the field. Focus moves to the summary, so a
 * screen reader reads it first. A problem with no field of the form is listed without a link. */
export function showErrors(form, errors) {
  const errorSummary = form.querySelector("[data-error-summary]");
  if (!errorSummary) {
    for (const error of [...errors].reverse()) showError(form, error);
    return;
  }
  const items = [];
  const unplaced = [];
  for (const error of errors) {
    const { field, msg } = fieldFor(form, error.field);
    if (field && msg) {
      reveal(field);
      field.setAttribute("aria-invalid", "true");
      msg.textContent = msg.textContent ? `${msg.textContent} ${error.message}` : error.message;
      msg.hidden = false;
      const link = el("a", { href: `#${field.id}` }, error.message);
      link.addEventListener("click", (event) => {
        // The field, not a navigation: Material's instant loading would load the page again.
        event.preventDefault();
        event.stopPropagation();
        reveal(field);
        field.focus();
        (field.closest(".calc-field") || field).scrollIntoView({ block: "center" });
      });
      items.push(el("li", {}, link));
    } else {
      unplaced.push(error.message);
      items.push(el("li", {}, error.message));
    }
  }
  const formError = form.querySelector("[data-form-error]");
  if (formError && unplaced.length) {
    formError.textContent = unplaced.join(" ");
    formError.hidden = false;
  }
  errorSummary.querySelector("[data-error-list]").replaceChildren(...items);
  errorSummary.hidden = false;
  errorSummary.focus();
}

/** Put Python's message next to the field it names (or above the form) and move focus there. */
export function showError(form, error) {
  const { field, msg } = fieldFor(form, error.field);
  if (field && msg) {
    field.setAttribute("aria-invalid", "true");
    msg.textContent = error.message;
    msg.hidden = false;
    field.focus();
    return;
  }
  const summary = form.querySelector("[data-form-error]");
  if (summary) {
    summary.textContent = error.message;
    summary.hidden = false;
    summary.focus();
  }
}

// --- Shareable examples: single-student inputs live in the address -------------------------------

export function formValues(form, names) {
  const values = {};
  for (const name of names) {
    const field = form.elements.namedItem(name);
    if (field && field.value.trim() !== "") values[name] = field.value.trim();
  }
  return values;
}

export function fillForm(form, params, names) {
  for (const name of names) {
    const field = form.elements.namedItem(name);
    if (field) field.value = params.get(name) ?? "";
  }
}

export function addressFor(values) {
  const url = new URL(location.href);
  url.search = new URLSearchParams(values).toString();
  url.hash = "";
  return url;
}

/** Keep `values` in the address without adding a history entry (the back button leaves the page). */
export function keepInAddress(values) {
  const url = addressFor(values);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

/** "Copy link to this example": the clipboard when allowed, else the link shown to copy by hand. */
export function copyLinkButton(getUrl, words = {}) {
  const note = el("span", { class: "calc-copy-note", role: "status" });
  const button = el("button", { type: "button", class: "md-button calc-copy" }, words.copy || t("copy_link", "Copy link to this example"));
  button.addEventListener("click", async () => {
    const url = getUrl();
    try {
      await navigator.clipboard.writeText(url);
      note.textContent = words.copied || t("link_copied", "Link copied.");
    } catch {
      note.textContent = "";
      note.append(words.copyThis || t("copy_this_link", "Copy this link: "), el("a", { href: url }, url));
    }
  });
  return el("p", { class: "calc-actions calc-no-print" }, button, " ", printButton(words.print), " ", note);
}

export function printButton(label = null) {
  const button = el("button", { type: "button", class: "md-button calc-print" }, label || t("print", "Print"));
  button.addEventListener("click", () => window.print());
  return button;
}

/** A calendar date (2024-10-07) as the results write it, "Mon, Oct 7, 2024" or "lun, 7 oct 2024"
 * (the same CLDR pattern Python's date_text uses), never ISO to a family. */
export function dateText(iso, lang = pageLanguage()) {
  const day = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return iso;
  return day.toLocaleDateString(lang === "es" ? "es" : "en-US", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/** What a printout needs above the result: the inputs, the bulletin and the date, and the
 * page's own (pre-filled) address, so the paper leads back to the same answer. */
export function printSummary(root, inputs, address = null, words = {}) {
  const bulletin = root.dataset.bulletin || "";
  const today = new Date().toLocaleDateString(words.lang || (pageLanguage() === "es" ? "es" : "en-US"), { year: "numeric", month: "long", day: "numeric" });
  const url = new URL(address ?? location.href);
  url.hash = "";
  return el(
    "div",
    { class: "calc-print-only calc-print-summary" },
    el("p", {}, words.calculatedOn ? `${bulletin} · ${words.calculatedOn} ${today}` : t("calculated_on", "{bulletin} · calculated on {today}", { bulletin, today })),
    el("p", { class: "calc-print-address" }, (words.thisAnswer || t("this_answer", "This answer: ")).trimEnd(), " ", el("span", {}, url.href)),
    el("dl", {}, inputs.map(([label, value]) => [el("dt", {}, label), el("dd", {}, value)])),
  );
}

/** Replace the live region's content in one step, so screen readers announce the new result once. */
export function showResult(region, ...nodes) {
  region.replaceChildren(...nodes.filter(Boolean));
  // For scripts/bench_browser.py and any real-user timing: when the first answer appeared.
  if (nodes.some(Boolean) && !performance.getEntriesByName("calc:first-result").length) performance.mark("calc:first-result");
}
