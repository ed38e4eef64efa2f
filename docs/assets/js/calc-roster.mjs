// Roster page: a file chosen or text pasted -> the column step -> Python -> summary, breakdown, chart,
// every row (sortable, filterable, paged) and a download with every input column plus the results.
// Everything stays on the device: the file's bytes go to the Python worker's in-memory file system,
// the download is a Blob made here. Only the choice of columns (header names) goes into the address.
import { calculate, clearErrors, el, keepInAddress, num, plural, printButton, printSummary, showError, showResult, whyList } from "./calc-common.mjs";

const PAGE_SIZE = 50;
const ROLES = ["id", "name", "enrolled", "absent", "present"];
const ROLE_LABELS = {
  id: "Student ID",
  name: "Student name",
  enrolled: "Days enrolled",
  absent: "Days absent",
  present: "Days present (when there is no days enrolled column)",
};
const GROUP_HINT = /grade|school|teacher|class|homeroom|site|program|track|section|period/i;
const PROGRESS_AFTER_MS = 400;

// --- The column step -------------------------------------------------------------------------------

function columnsFromAddress() {
  const params = new URLSearchParams(location.search);
  const chosen = {};
  // Only named columns: for a new file, a role chosen as "(none)" last time is guessed again.
  for (const role of ROLES) if (params.get(role)) chosen[role] = params.get(role);
  return chosen;
}

// The column step. When Python recognised every column without doubt (`computed`), the result is
// already below and the step is folded away, one click from changing a column; otherwise it waits.
function columnStep(step, onConfirm, computed) {
  const form = el("form", { class: "calc-columns", "data-column-step": true, "data-computed": computed ? "" : null, novalidate: true });
  const found = [`The header is row ${num(step.header_row)}; ${plural(step.data_rows, "row")} below it.`];
  if (step.encoding && step.encoding !== "UTF-8") found.push(step.encoding === "xlsx" ? " Read from the first sheet of the workbook." : ` Read as ${step.encoding} text.`);
  const selects = ROLES.map((role) => {
    const id = `roster-col-${role}`;
    const select = el(
      "select",
      { id, name: role },
      el("option", { value: "" }, "(none)"),
      step.headers.map((header, i) => (header ? el("option", { value: header }, `${step.letters[i]}: ${header}`) : null)),
    );
    select.value = step.columns[role] ?? "";
    return el("div", { class: "calc-field" }, el("label", { for: id }, ROLE_LABELS[role]), select);
  });
  const preview = el(
    "div",
    { class: "calc-table-wrap" },
    el(
      "table",
      { class: "calc-table calc-preview" },
      el("caption", {}, `First rows of the file, as read`),
      el("thead", {}, el("tr", {}, step.headers.map((h, i) => el("th", { scope: "col" }, `${step.letters[i]}: ${h}`)))),
      el("tbody", {}, step.sample.map((cells) => el("tr", {}, step.headers.map((_, i) => el("td", {}, cells[i] ?? ""))))),
    ),
  );
  const message = el("p", { class: "calc-form-error", "data-error-for": "columns", tabindex: "-1", hidden: !step.missing }, step.missing || "");
  const button = el("button", { type: "submit", class: "md-button md-button--primary" }, "Calculate with these columns");
  const used = ROLES.filter((role) => step.columns[role]).map((role) => `${ROLE_LABELS[role].replace(/ \(.*\)$/, "")}: ${step.columns[role]}`);
  const parts = [
    el("p", {}, found.join(""), computed ? " The result below uses these columns; change one if it was read wrongly and calculate again." : " Change a choice if a column was read wrongly, then calculate."),
    // The notes say what was skipped or doubtful (a title row, two candidate columns), once.
    step.notes.length ? el("ul", { class: "calc-notes" }, step.notes.map((n) => el("li", {}, n))) : null,
    el("div", { class: "calc-columns-grid" }, selects),
    message,
    el("p", { class: "calc-buttons" }, button),
    preview,
  ];
  if (computed) {
    form.append(
      el("details", { class: "calc-columns-used" }, el("summary", {}, el("span", { class: "calc-columns-heading", id: "columns" }, "Columns used: "), used.join("; "), el("span", { class: "calc-columns-change" }, " (change)")), ...parts),
    );
  } else {
    form.append(el("h2", { id: "columns", tabindex: "-1" }, "Check the columns"), ...parts);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = {};
    for (const role of ROLES) chosen[role] = form.elements.namedItem(role).value;
    onConfirm(chosen, message);
  });
  return form;
}

// --- The rows: one page at a time, from the roster kept in Python ----------------------------------

// The table's columns: the sort key Python knows, the heading, and what a row shows.
function tableColumns(result) {
  const roleIndex = {};
  for (const [role, header] of Object.entries(result.columns)) roleIndex[role] = result.headers.indexOf(header);
  const input = (entry, role) => entry.cells[roleIndex[role]] ?? "";
  const names = bandNames(result);
  const columns = [{ key: "row", label: "Row", show: (e) => num(e.row), numeric: true }];
  for (const role of ["id", "name"]) {
    if (role in result.columns) columns.push({ key: role, label: result.columns[role], show: (e) => input(e, role).trim(), header: true });
  }
  if ("present" in result.columns) columns.push({ key: "present", label: result.columns.present, show: (e) => input(e, "present").trim(), numeric: true });
  const computed = (key, format) => (e) => (e.results ? format(e.results[key]) : "");
  columns.push(
    { key: "enrolled", label: "Days enrolled", show: (e) => (e.results ? num(e.results.enrolled) : input(e, "enrolled")), numeric: true },
    { key: "absent", label: "Days absent", show: (e) => (e.results ? num(e.results.absent) : input(e, "absent")), numeric: true },
    { key: "attendance_rate", label: "Attendance rate", show: computed("attendance_rate", (v) => `${num(v)}%`), numeric: true },
  );
  for (const d of result.definitions) {
    columns.push({ key: d.id, label: d.name, show: computed(d.id, (v) => (v ? "Chronic" : "Not chronic")), numeric: true, chronic: d.id });
  }
  columns.push({ key: "band", label: "LAUSD band", show: computed("band", (v) => names[v] ?? "") });
  columns.push({ key: "days_can_miss", label: "Days that can still be missed", show: computed("days_can_miss", (v) => (v === null ? "None: chronic" : num(v))), numeric: true });
  for (const c of result.other_columns) {
    const index = result.headers.indexOf(c.header);
    columns.push({ key: `column-${c.letter}`, label: c.header, show: (e) => e.cells[index] ?? "" });
  }
  columns.push({ key: null, label: "Problem", show: (e) => e.message ?? "" });
  return columns;
}

const FILTERS = {
  all: "All rows",
  chronic: "Chronic (either definition)",
  near: "Within 2 days of a line",
  problems: "Rows with errors and totals rows",
};

// `ask(view)` asks Python for one page of the kept roster; answers to older questions are dropped.
function rowsSection(result, ask) {
  const columns = tableColumns(result);
  const state = { filter: "all", sort: "row", descending: false, page: 0, pages: 1 };
  let asked = 0;
  const status = el("p", { class: "calc-rows-status", role: "status" });
  const body = el("tbody");
  const head = el("tr");
  const table = el("table", { class: "calc-table calc-roster-table" }, el("caption", {}, "Results by student"), el("thead", {}, head), body);
  const filter = el("select", { id: "roster-filter" }, Object.entries(FILTERS).map(([key, label]) => el("option", { value: key }, label)));
  const pageInput = el("input", { id: "roster-page", type: "number", min: "1", step: "1", inputmode: "numeric", value: "1" });
  const prev = el("button", { type: "button", class: "md-button" }, "Previous page");
  const next = el("button", { type: "button", class: "md-button" }, "Next page");

  function renderHead() {
    head.replaceChildren(
      ...columns.map((c) => {
        if (!c.key) return el("th", { scope: "col" }, c.label);
        const active = state.sort === c.key;
        const button = el("button", { type: "button", class: "calc-sort", "data-sort": c.key }, c.label, el("span", { class: "calc-sort-mark", "aria-hidden": "true" }, active ? (state.descending ? " ▼" : " ▲") : ""));
        button.addEventListener("click", () => {
          state.descending = active ? !state.descending : false;
          state.sort = c.key;
          state.page = 0;
          refresh();
        });
        return el("th", { scope: "col", "aria-sort": active ? (state.descending ? "descending" : "ascending") : null }, button);
      }),
    );
  }

  function render(view) {
    state.page = view.page;
    state.pages = view.pages;
    body.replaceChildren(
      ...view.rows.map((entry) => {
        const chronic = entry.results && entry.results.chronic_any;
        const cls = entry.kind === "error" ? "calc-row-error" : entry.kind === "left_out" ? "calc-row-left-out" : chronic ? "calc-row-chronic" : null;
        return el(
          "tr",
          { class: cls },
          columns.map((c) => {
            const text = c.show(entry);
            const mark = c.chronic && entry.results && entry.results[c.chronic] ? el("strong", {}, text) : text;
            // On a phone each row is a card: its cells say which column they are (data-label).
            return c.header ? el("th", { scope: "row" }, mark) : el("td", { class: c.numeric ? "calc-num" : c.key ? null : "calc-problem", "data-label": c.label }, mark);
          }),
        );
      }),
    );
    const label = FILTERS[view.filter];
    status.textContent = view.total
      ? `${label}: ${plural(view.total, "row")}; showing ${num(view.first)}–${num(view.first + view.rows.length - 1)}, page ${num(view.page + 1)} of ${num(view.pages)}.`
      : `${label}: no rows.`;
    pageInput.max = String(view.pages);
    pageInput.value = String(view.page + 1);
    prev.disabled = view.page === 0;
    next.disabled = view.page + 1 >= view.pages;
    table.removeAttribute("aria-busy");
  }

  // Sorting a district file takes Python a moment: the page stays usable and says so meanwhile.
  async function refresh() {
    const mine = ++asked;
    renderHead();
    table.setAttribute("aria-busy", "true");
    status.textContent = "Sorting and filtering…";
    const response = await ask({ filter: state.filter, sort: state.sort, descending: state.descending, page: state.page, page_size: PAGE_SIZE });
    if (mine !== asked) return;
    if (!response.ok) {
      status.textContent = response.error.message;
      table.removeAttribute("aria-busy");
      return;
    }
    render(response.result.view);
  }

  filter.addEventListener("change", () => {
    state.filter = filter.value;
    state.page = 0;
    refresh();
  });
  prev.addEventListener("click", () => {
    state.page = Math.max(0, state.page - 1);
    refresh();
  });
  next.addEventListener("click", () => {
    state.page = Math.min(state.pages - 1, state.page + 1);
    refresh();
  });
  pageInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") pageInput.dispatchEvent(new Event("change"));
  });
  pageInput.addEventListener("change", () => {
    const wanted = Math.round(Number(pageInput.value));
    state.page = Number.isFinite(wanted) ? Math.min(state.pages, Math.max(1, wanted)) - 1 : 0;
    refresh();
  });
  renderHead();
  render(result.view);
  const pager = el(
    "div",
    { class: "calc-pager calc-no-print" },
    prev,
    el("span", { class: "calc-field calc-page-field" }, el("label", { for: "roster-page" }, "Page"), pageInput),
    next,
  );
  return el(
    "section",
    { class: "calc-rows" },
    el("h3", {}, "Students"),
    el("p", { class: "calc-hint" }, "Choose a column heading to sort by it (again to reverse). Chronic rows are marked in bold and colour."),
    el("div", { class: "calc-field calc-no-print" }, el("label", { for: "roster-filter" }, "Show"), filter),
    status,
    el("div", { class: "calc-table-wrap" }, table),
    pager,
  );
}

// --- Summary, breakdown and chart ------------------------------------------------------------------

function share(count, total) {
  return total ? ` (${num(Math.round((count / total) * 1000) / 10)}%)` : "";
}

function summary(result) {
  const s = result.summary;
  return el(
    "section",
    { class: "calc-summary" },
    el("h3", {}, "Summary"),
    el(
      "ul",
      {},
      el("li", { "data-summary": "students" }, `${plural(s.students, "student")} computed`),
      result.definitions.map((d) =>
        el(
          "li",
          { "data-summary": d.id },
          `${d.name} (${d.threshold}): `,
          el("strong", {}, `${num(s.chronic[d.id])} chronic`),
          s.share[d.id] === null ? "" : ` (${num(s.share[d.id])}% of students)`,
          // The strict reading, beside LAUSD's, where the counts differ.
          s.chronic_strict && d.id in s.chronic_strict && s.chronic_strict[d.id] !== s.chronic[d.id]
            ? el("span", { "data-summary-strict": d.id }, `; read strictly (${d.strict_threshold}): ${num(s.chronic_strict[d.id])} chronic`)
            : null,
        ),
      ),
      el("li", { "data-summary": "near" }, `${plural(s.near, "student")} within ${result.near_days} days of a line (not yet chronic under it)`),
      el("li", { "data-summary": "errors" }, `${plural(s.rows_with_errors, "row")} with errors (not counted above)`),
      s.rows_left_out ? el("li", { "data-summary": "left_out" }, `${plural(s.rows_left_out, "totals row")} left out`) : null,
    ),
    result.notes.length ? el("ul", { class: "calc-notes" }, result.notes.map((n) => el("li", {}, n))) : null,
    bandCounts(result),
  );
}

// Students per LAUSD attendance band (the rate in whole percent), chronic bands marked.
function bandCounts(result) {
  const bands = result.bands || [];
  if (!bands.length) return null;
  return el(
    "div",
    { class: "calc-table-wrap" },
    el(
      "table",
      { class: "calc-table calc-band-counts" },
      el("caption", {}, "Students per LAUSD attendance band"),
      el("thead", {}, el("tr", {}, ["Band", "Attendance rate", "Chronic band", "Students"].map((h) => el("th", { scope: "col" }, h)))),
      el(
        "tbody",
        {},
        bands.map((b) =>
          el("tr", { "data-band": b.id }, el("th", { scope: "row" }, b.name), el("td", { "data-label": "Attendance rate" }, b.range),
            el("td", { "data-label": "Chronic band" }, b.chronic ? "Yes" : "No"),
            el("td", { class: "calc-num", "data-label": "Students" }, num(result.summary.bands[b.id]))),
        ),
      ),
    ),
  );
}

function bandNames(result) {
  return Object.fromEntries((result.bands || []).map((b) => [b.id, b.name]));
}

// The breakdown Python counted: students per value of the chosen column, per definition and band.
function breakdownTable(result, breakdown) {
  const defs = result.definitions;
  const bands = result.bands || [];
  return el(
    "div",
    { class: "calc-table-wrap" },
    el(
      "table",
      { class: "calc-table calc-breakdown-table" },
      el("caption", {}, `Students by ${breakdown.column}`),
      el(
        "thead",
        {},
        el("tr", {}, el("th", { scope: "col" }, breakdown.column), el("th", { scope: "col" }, "Students"),
          defs.map((d) => el("th", { scope: "col" }, `Chronic: ${d.name}`)), el("th", { scope: "col" }, `Within ${result.near_days} days of a line`),
          bands.map((b) => el("th", { scope: "col" }, b.name))),
      ),
      el(
        "tbody",
        {},
        breakdown.groups.map((g) =>
          el("tr", {}, el("th", { scope: "row" }, g.value || "(blank)"), el("td", { class: "calc-num", "data-label": "Students" }, num(g.students)),
            defs.map((d) => el("td", { class: "calc-num", "data-label": `Chronic: ${d.name}` }, `${num(g.chronic[d.id])}${share(g.chronic[d.id], g.students)}`)),
            el("td", { class: "calc-num", "data-label": `Within ${result.near_days} days of a line` }, num(g.near)),
            bands.map((b) => el("td", { class: "calc-num", "data-label": b.name }, num(g.bands[b.id] || 0)))),
        ),
      ),
    ),
  );
}

// A bar chart in SVG (attributes only, no style: the site's Content Security Policy holds), with
// the same figures as text beside it, so it needs no colour or sight to read.
function barChart(title, bars) {
  const width = 600;
  const bar = 28;
  const gap = 12;
  const labelWidth = 220;
  const most = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * (bar + gap) + gap;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const titleId = `chart-title-${Math.random().toString(36).slice(2)}`;
  for (const [k, v] of Object.entries({ viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": titleId, class: "calc-chart" })) svg.setAttribute(k, v);
  const t = document.createElementNS(ns, "title");
  t.id = titleId;
  t.textContent = `${title}: ${bars.map((b) => `${b.label} ${num(b.value)}`).join("; ")}`;
  svg.append(t);
  bars.forEach((b, i) => {
    const y = gap + i * (bar + gap);
    const text = document.createElementNS(ns, "text");
    for (const [k, v] of Object.entries({ x: "0", y: String(y + bar * 0.7), class: "calc-chart-label" })) text.setAttribute(k, v);
    text.textContent = b.label;
    const rect = document.createElementNS(ns, "rect");
    const w = Math.max(1, Math.round(((width - labelWidth - 90) * b.value) / most));
    for (const [k, v] of Object.entries({ x: String(labelWidth), y: String(y), width: String(w), height: String(bar), class: `calc-chart-bar ${b.cls || ""}` })) rect.setAttribute(k, v);
    const value = document.createElementNS(ns, "text");
    for (const [k, v] of Object.entries({ x: String(labelWidth + w + 6), y: String(y + bar * 0.7), class: "calc-chart-value" })) value.setAttribute(k, v);
    value.textContent = num(b.value);
    svg.append(text, rect, value);
  });
  return el("figure", { class: "calc-figure" }, svg, el("figcaption", {}, title));
}

// The bars: LAUSD's attendance bands when the result has them, else each definition's count.
function chartBars(result) {
  const s = result.summary;
  if (result.bands && s.bands) return result.bands.map((b) => ({ label: `${b.name} (${b.range})`, value: s.bands[b.id] ?? 0, cls: b.chronic ? "calc-chart-chronic" : "" }));
  return [
    { label: "Students", value: s.students },
    ...result.definitions.map((d) => ({ label: `Chronic: ${d.name}`, value: s.chronic[d.id], cls: "calc-chart-chronic" })),
    { label: `Within ${result.near_days} days of a line`, value: s.near, cls: "calc-chart-near" },
  ];
}

function breakdownSection(result, ask) {
  const section = el("section", { class: "calc-breakdown" }, el("h3", {}, "Breakdown"));
  section.append(barChart(result.bands ? "Students by LAUSD attendance band" : "Students, chronic and close to a line", chartBars(result)));
  if (!result.other_columns.length) {
    section.append(el("p", {}, "The file has no other column (such as grade or school) to break the results down by."));
    return section;
  }
  const guess = result.other_columns.findIndex((c) => GROUP_HINT.test(c.header));
  const select = el(
    "select",
    { id: "roster-group" },
    el("option", { value: "" }, "(no breakdown)"),
    result.other_columns.map((c, i) => el("option", { value: String(i) }, `${c.letter}: ${c.header}`)),
  );
  select.value = guess >= 0 ? String(guess) : "";
  const holder = el("div", { "data-breakdown": true, "aria-live": "polite" });
  let asked = 0;
  const show = async () => {
    const mine = ++asked;
    if (select.value === "") return holder.replaceChildren();
    const column = result.other_columns[Number(select.value)];
    holder.setAttribute("aria-busy", "true");
    const response = await ask({ breakdown: column.letter, page_size: 1 });
    if (mine !== asked) return;
    holder.removeAttribute("aria-busy");
    holder.replaceChildren(response.ok ? breakdownTable(result, response.result.breakdown) : el("p", { class: "calc-form-error" }, response.error.message));
  };
  select.addEventListener("change", show);
  show();
  section.append(el("div", { class: "calc-field calc-no-print" }, el("label", { for: "roster-group" }, "Break down by"), select), holder);
  return section;
}

// --- Download: written by Python (every input column, then the results), saved from here ----------

function downloadButton(kind, label, ask) {
  const button = el("button", { type: "button", class: "md-button calc-download", "data-download": kind }, label);
  const note = el("span", { class: "calc-download-note", role: "status" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    note.textContent = "Preparing the file…";
    const response = await ask(kind);
    button.disabled = false;
    if (!response.ok || !response.file) {
      note.textContent = response.ok ? "The file could not be made." : response.error.message;
      return;
    }
    note.textContent = "";
    const info = response.result.download;
    const url = URL.createObjectURL(new Blob([response.file], { type: info.type }));
    const link = el("a", { href: url, download: info.name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return [button, note];
}

// --- The page ----------------------------------------------------------------------------------------

// For scripts/bench_browser.py and any real-user timing: when each phase of a roster ended.
function mark(name) {
  performance.mark(`roster:${name}`);
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");
  const details = root.querySelector("[data-calc-details]");
  // The column step stays above the result, so choosing again is one change and one click away.
  const stepHolder = root.querySelector("[data-calc-step]");
  const file = form.elements.namedItem("file");
  const pasted = form.elements.namedItem("csv");
  let source = null; // {field, name, bytes?, csv?, needs?}
  let run = 0;

  function progressBar() {
    const bar = el("progress", { max: "1", value: "0", "aria-labelledby": "roster-progress-label" });
    const label = el("span", { id: "roster-progress-label" }, "Calculating…");
    const holder = el("p", { class: "calc-progress", hidden: true }, label, " ", bar);
    const timer = setTimeout(() => (holder.hidden = false), PROGRESS_AFTER_MS);
    return {
      node: holder,
      update(fraction, step) {
        bar.value = fraction;
        label.textContent = `Calculating… ${Math.round(fraction * 100)}%`;
        if (step) mark(`python-${step}`);
      },
      done: () => clearTimeout(timer),
    };
  }

  const stopped = () => ({
    ok: false,
    error: { message: "The calculator stopped before it could finish this file. Nothing was sent anywhere. Reload the page and try again; if it stops again, save the file as CSV and choose it again." },
  });

  // A rejected request (the worker failed, or a bug in the calculators) is answered like bad input,
  // so every step shows a message instead of waiting forever; no traceback reaches the page.
  async function ask(input, onProgress) {
    const opts = { onProgress };
    // The file is read again for each question and its bytes handed over (not copied): the page
    // holds no copy of a district file while Python works on it.
    if (source.file) {
      try {
        opts.file = { bytes: source.first ?? (await source.file.arrayBuffer()), needs: source.needs };
      } catch {
        return { ok: false, error: { field: "file", message: "The file can no longer be read (it was moved or changed): choose it again." } };
      }
    }
    source.first = null;
    mark("sent");
    return calculate("roster", source.file ? { ...input, name: source.name } : { ...input, csv: source.csv }, opts).catch(stopped);
  }

  // Questions to the roster Python keeps (a page, a sort, a breakdown, the download).
  function askView(view, opts = {}) {
    return calculate("roster", { view }, opts).catch(stopped);
  }

  let downloads = 0;
  function askDownload(kind) {
    const path = `/tmp/results-${++downloads}.${kind}`;
    return askView({ download: kind, path }, { collect: path, needs: kind === "xlsx" ? "xlsx" : null });
  }

  function failed(error) {
    showResult(region);
    details.replaceChildren();
    stepHolder.replaceChildren();
    // A problem with the whole file belongs next to the field it came from.
    showError(form, { ...error, field: source.field });
  }

  // The last file's step and result go at once, before the new file is read: confirming the old
  // step while the new file loads would compute the old columns for the new file.
  function clearLast() {
    clearErrors(form);
    details.replaceChildren();
    stepHolder.replaceChildren();
    region.replaceChildren(el("p", {}, "Reading the file…"));
  }

  async function start() {
    const mine = ++run;
    clearLast();
    // One question: the result when Python recognises every column, else the column step.
    let response = await computeWith({ step: "auto", columns: columnsFromAddress() }, null, mine);
    if (mine !== run || !response) return;
    if (!response.ok && response.error.field === "columns") {
      // The columns in the address are from another export: guess again for this file.
      response = await computeWith({ step: "auto" }, null, mine);
      if (mine !== run || !response) return;
    }
    if (!response.ok) return failed(response.error);
    if (response.result.step === "columns") showStep(response.result, mine);
  }

  function showStep(step, mine, computed = false) {
    const stepForm = columnStep(step, (chosen, message) => computeWith({ columns: chosen }, message, mine), computed);
    stepHolder.replaceChildren(stepForm);
    if (!computed) {
      showResult(region);
      details.replaceChildren();
      stepForm.querySelector("h2").focus();
    }
  }

  // Compute (or, with step "auto", maybe only read the columns) and show the result; returns the
  // answer when it is not a result, for the caller to handle.
  async function computeWith(input, message, mine) {
    if (message) message.hidden = true;
    const bar = progressBar();
    // The bar sits outside the live region, so its changing figure is not read out again and again.
    if (message) region.replaceChildren(el("p", {}, "Calculating…"));
    details.replaceChildren(bar.node);
    const response = await ask({ ...input, view: { page_size: PAGE_SIZE } }, (f, step) => bar.update(f, step));
    mark("answered");
    bar.done();
    bar.node.remove();
    if (mine !== run) return null;
    if (!response.ok) {
      if (!message) return response;
      showResult(region);
      message.textContent = response.error.message;
      message.hidden = false;
      message.focus();
      return null;
    }
    const result = response.result;
    if (result.step === "columns") return response;
    // Only header names go into the address: a reload or a bookmark keeps the choice of columns.
    keepInAddress(Object.fromEntries(ROLES.map((role) => [role, result.columns[role] ?? ""])));
    if (result.column_step) showStep(result.column_step, mine, true);
    // The live region announces the summary only; the tables follow outside it.
    showResult(
      region,
      printSummary(root, [["Roster", source.name], ["Students", num(result.summary.students)]]),
      el("h2", { id: "result", tabindex: "-1" }, "Result"),
      summary(result),
    );
    mark("summary-shown");
    details.replaceChildren(
      el("p", { class: "calc-actions calc-no-print" }, downloadButton("csv", "Download the results (CSV)", askDownload), " ",
        downloadButton("xlsx", "Download the results (Excel)", askDownload), " ", printButton()),
      breakdownSection(result, askView),
      rowsSection(result, askView),
      whyList(result.reasons),
    );
    mark("shown");
    region.querySelector("#result").focus();
    return response;
  }

  async function chooseFile() {
    mark("chosen");
    const chosen = file.files[0];
    run++;
    clearLast();
    const bytes = await chosen.arrayBuffer();
    mark("file-read");
    const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
    const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
    source = { field: "file", name: chosen.name, file: chosen, first: bytes, needs: zip || /\.xlsx$/i.test(chosen.name) ? "xlsx" : null };
    start();
  }

  file.addEventListener("change", () => {
    if (file.files.length) chooseFile();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (file.files.length) chooseFile();
    else {
      source = { field: "csv", name: "pasted text", csv: pasted.value };
      start();
    }
  });
  return {};
}
