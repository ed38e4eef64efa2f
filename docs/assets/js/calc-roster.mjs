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

function columnStep(step, onConfirm) {
  const form = el("form", { class: "calc-columns", "data-column-step": true, novalidate: true });
  const found = [];
  found.push(`The header is row ${num(step.header_row)}`);
  if (step.title_rows.length) found.push(`; ${plural(step.title_rows.length, "row")} above it (a title) will be skipped`);
  found.push(`. ${plural(step.data_rows, "row")} below it.`);
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
  const message = el("p", { class: "calc-form-error", "data-error-for": "columns", tabindex: "-1", hidden: !step.missing }, step.missing ?? "");
  const button = el("button", { type: "submit", class: "md-button md-button--primary" }, "Calculate with these columns");
  form.append(
    el("h2", { id: "columns", tabindex: "-1" }, "Check the columns"),
    el("p", {}, found.join(""), " Change a choice if a column was read wrongly, then calculate."),
    step.notes.length ? el("ul", { class: "calc-notes" }, step.notes.map((n) => el("li", {}, n))) : null,
    el("div", { class: "calc-columns-grid" }, selects),
    message,
    el("p", { class: "calc-buttons" }, button),
    preview,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = {};
    for (const role of ROLES) chosen[role] = form.elements.namedItem(role).value;
    onConfirm(chosen, message);
  });
  return form;
}

// --- The rows: good rows, rows with errors and totals rows in one list ------------------------------

// Entry i >= 0 is good row i of result.rows; -1 - j is problem j (errors, then totals rows).
function model(result) {
  const rows = result.rows;
  const problems = [
    ...result.errors.map((e) => ({ ...e, kind: "error" })),
    ...result.left_out.map((e) => ({ ...e, kind: "left_out" })),
  ].sort((a, b) => a.row - b.row);
  const defs = result.definitions.map((d) => d.id);
  const count = rows.row.length;
  const chronicAny = new Uint8Array(count);
  for (const id of defs) {
    const flags = rows[id];
    for (let i = 0; i < count; i++) if (flags[i]) chronicAny[i] = 1;
  }
  const roleIndex = {};
  for (const [role, header] of Object.entries(result.columns)) roleIndex[role] = result.headers.indexOf(header);
  return { result, rows, problems, defs, count, chronicAny, roleIndex };
}

function rowNumber(m, entry) {
  return entry >= 0 ? m.rows.row[entry] : m.problems[-1 - entry].row;
}

// The table's columns: what each shows for a good row and for a problem row, and how it sorts.
function tableColumns(m) {
  const r = m.result;
  const cellOf = (problem, role) => {
    const index = m.roleIndex[role];
    return index === undefined || index < 0 ? "" : problem.cells[index] ?? "";
  };
  const columns = [{ key: "row", label: "Row", value: (i) => m.rows.row[i], problem: (p) => p.row, numeric: true }];
  for (const role of ["id", "name"]) {
    if (m.rows[role]) columns.push({ key: role, label: r.columns[role], value: (i) => m.rows[role][i], problem: (p) => cellOf(p, role), header: true });
  }
  if (m.rows.present) columns.push({ key: "present", label: r.columns.present, value: (i) => m.rows.present[i], problem: (p) => cellOf(p, "present"), numeric: true });
  columns.push(
    { key: "enrolled", label: "Days enrolled", value: (i) => m.rows.enrolled[i], problem: (p) => cellOf(p, "enrolled"), numeric: true },
    { key: "absent", label: "Days absent", value: (i) => m.rows.absent[i], problem: (p) => cellOf(p, "absent"), numeric: true },
    { key: "attendance_rate", label: "Attendance rate", value: (i) => m.rows.attendance_rate[i], problem: () => "", numeric: true, show: (v) => `${num(v)}%` },
  );
  for (const d of r.definitions) {
    columns.push({ key: d.id, label: d.name, value: (i) => (m.rows[d.id][i] ? 1 : 0), problem: () => "", numeric: true, show: (v) => (v ? "Chronic" : "Not chronic"), chronic: true });
  }
  const names = bandNames(r);
  const order = Object.fromEntries((r.bands || []).map((b, i) => [b.id, i]));
  if (m.rows.band) columns.push({ key: "band", label: "LAUSD band", value: (i) => order[m.rows.band[i]], problem: () => "", show: (v) => names[r.bands[v].id] });
  columns.push({ key: "days_can_miss", label: "Days that can still be missed", value: (i) => m.rows.days_can_miss[i], problem: () => "", numeric: true, show: (v) => (v === null ? "None: chronic" : num(v)) });
  r.other_columns.forEach((c, n) => columns.push({ key: `other-${n}`, label: c.header, value: (i) => c.values[i], problem: (p) => p.cells[r.headers.indexOf(c.header)] ?? "" }));
  columns.push({ key: "problem", label: "Problem", value: () => "", problem: (p) => p.message });
  return columns;
}

const FILTERS = {
  all: { label: "All rows", test: () => true },
  chronic: { label: "Chronic (either definition)", test: (m, i) => i >= 0 && m.chronicAny[i] === 1 },
  near: { label: "Within 2 days of a line", test: (m, i) => i >= 0 && m.rows.near[i] },
  problems: { label: "Rows with errors and totals rows", test: (m, i) => i < 0 },
};

// The entries a filter keeps, in row order (good rows and problems are each in row order: merge).
function entries(m, filter) {
  const test = FILTERS[filter].test;
  const out = [];
  let j = 0;
  for (let i = 0; i < m.count; i++) {
    const row = m.rows.row[i];
    while (j < m.problems.length && m.problems[j].row < row) {
      if (test(m, -1 - j)) out.push(-1 - j);
      j++;
    }
    if (test(m, i)) out.push(i);
  }
  for (; j < m.problems.length; j++) if (test(m, -1 - j)) out.push(-1 - j);
  return out;
}

function sortEntries(m, list, column, descending) {
  const key = (entry) => (entry >= 0 ? column.value(entry) : column.problem(m.problems[-1 - entry]));
  const keys = new Map();
  for (const entry of list) keys.set(entry, key(entry));
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  const sign = descending ? -1 : 1;
  list.sort((a, b) => {
    const x = keys.get(a);
    const y = keys.get(b);
    // Blanks (a problem row has no rate) always go last, whichever the direction.
    const xBlank = x === "" || x === null || x === undefined;
    const yBlank = y === "" || y === null || y === undefined;
    if (xBlank || yBlank) return xBlank === yBlank ? rowNumber(m, a) - rowNumber(m, b) : xBlank ? 1 : -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return order * sign || rowNumber(m, a) - rowNumber(m, b);
  });
  return list;
}

function rowsSection(m) {
  const columns = tableColumns(m);
  const state = { filter: "all", sort: "row", descending: false, page: 0, list: null };
  const status = el("p", { class: "calc-rows-status", role: "status" });
  const body = el("tbody");
  const head = el("tr");
  const filter = el(
    "select",
    { id: "roster-filter" },
    Object.entries(FILTERS).map(([key, f]) => el("option", { value: key }, f.label)),
  );
  const pageInput = el("input", { id: "roster-page", type: "number", min: "1", step: "1", inputmode: "numeric", value: "1" });
  const prev = el("button", { type: "button", class: "md-button" }, "Previous page");
  const next = el("button", { type: "button", class: "md-button" }, "Next page");
  const pages = () => Math.max(1, Math.ceil(state.list.length / PAGE_SIZE));

  function renderHead() {
    head.replaceChildren(
      ...columns.map((c) => {
        const active = state.sort === c.key;
        const button = el("button", { type: "button", class: "calc-sort", "data-sort": c.key }, c.label, el("span", { class: "calc-sort-mark", "aria-hidden": "true" }, active ? (state.descending ? " ▼" : " ▲") : ""));
        button.addEventListener("click", () => {
          state.descending = active ? !state.descending : false;
          state.sort = c.key;
          state.page = 0;
          refresh(true);
        });
        return el("th", { scope: "col", "aria-sort": active ? (state.descending ? "descending" : "ascending") : null }, button);
      }),
    );
  }

  function renderBody() {
    const start = state.page * PAGE_SIZE;
    const shown = state.list.slice(start, start + PAGE_SIZE);
    body.replaceChildren(
      ...shown.map((entry) => {
        const problem = entry >= 0 ? null : m.problems[-1 - entry];
        const chronic = entry >= 0 && m.chronicAny[entry] === 1;
        const cls = problem ? `calc-row-${problem.kind === "error" ? "error" : "left-out"}` : chronic ? "calc-row-chronic" : null;
        return el(
          "tr",
          { class: cls },
          columns.map((c) => {
            const raw = problem ? c.problem(problem) : c.value(entry);
            const text = problem || !c.show ? (raw === null || raw === undefined ? "" : typeof raw === "number" ? num(raw) : raw) : c.show(raw);
            const mark = !problem && c.chronic && raw ? el("strong", {}, text) : text;
            return c.header ? el("th", { scope: "row" }, mark) : el("td", { class: c.numeric ? "calc-num" : null }, mark);
          }),
        );
      }),
    );
    const total = state.list.length;
    status.textContent = total
      ? `${FILTERS[state.filter].label}: ${plural(total, "row")}; showing ${num(start + 1)}–${num(Math.min(total, start + PAGE_SIZE))}, page ${num(state.page + 1)} of ${num(pages())}.`
      : `${FILTERS[state.filter].label}: no rows.`;
    pageInput.max = String(pages());
    pageInput.value = String(state.page + 1);
    prev.disabled = state.page === 0;
    next.disabled = state.page + 1 >= pages();
  }

  function refresh(resort) {
    if (!state.list || resort) {
      state.list = entries(m, state.filter);
      const column = columns.find((c) => c.key === state.sort);
      if (state.sort !== "row" || state.descending) sortEntries(m, state.list, column, state.descending);
      renderHead();
    }
    renderBody();
  }

  filter.addEventListener("change", () => {
    state.filter = filter.value;
    state.page = 0;
    refresh(true);
  });
  prev.addEventListener("click", () => {
    state.page = Math.max(0, state.page - 1);
    refresh(false);
  });
  next.addEventListener("click", () => {
    state.page = Math.min(pages() - 1, state.page + 1);
    refresh(false);
  });
  pageInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") pageInput.dispatchEvent(new Event("change"));
  });
  pageInput.addEventListener("change", () => {
    const wanted = Math.round(Number(pageInput.value));
    state.page = Number.isFinite(wanted) ? Math.min(pages(), Math.max(1, wanted)) - 1 : 0;
    refresh(false);
  });
  refresh(true);
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
    el("div", { class: "calc-table-wrap" }, el("table", { class: "calc-table calc-roster-table" }, el("caption", {}, "Results by student"), el("thead", {}, head), body)),
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
          el("tr", { "data-band": b.id }, el("th", { scope: "row" }, b.name), el("td", {}, b.range), el("td", {}, b.chronic ? "Yes" : "No"),
            el("td", { class: "calc-num" }, num(result.summary.bands[b.id]))),
        ),
      ),
    ),
  );
}

function bandNames(result) {
  return Object.fromEntries((result.bands || []).map((b) => [b.id, b.name]));
}

function groupCounts(m, column) {
  const values = m.result.other_columns[column].values;
  const groups = new Map();
  for (let i = 0; i < m.count; i++) {
    const key = values[i].trim() || "(blank)";
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, students: 0, near: 0, chronic: Object.fromEntries(m.defs.map((d) => [d, 0])), bands: {} }));
    g.students++;
    if (m.rows.band) g.bands[m.rows.band[i]] = (g.bands[m.rows.band[i]] || 0) + 1;
    if (m.rows.near[i]) g.near++;
    for (const d of m.defs) if (m.rows[d][i]) g.chronic[d]++;
  }
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  return [...groups.values()].sort((a, b) => collator.compare(a.key, b.key));
}

function breakdownTable(m, column) {
  const r = m.result;
  const groups = groupCounts(m, column);
  return el(
    "div",
    { class: "calc-table-wrap" },
    el(
      "table",
      { class: "calc-table calc-breakdown-table" },
      el("caption", {}, `Students by ${r.other_columns[column].header}`),
      el(
        "thead",
        {},
        el("tr", {}, el("th", { scope: "col" }, r.other_columns[column].header), el("th", { scope: "col" }, "Students"),
          r.definitions.map((d) => el("th", { scope: "col" }, `Chronic: ${d.name}`)), el("th", { scope: "col" }, `Within ${r.near_days} days of a line`),
          (r.bands || []).map((b) => el("th", { scope: "col" }, b.name))),
      ),
      el(
        "tbody",
        {},
        groups.map((g) =>
          el("tr", {}, el("th", { scope: "row" }, g.key), el("td", { class: "calc-num" }, num(g.students)),
            m.defs.map((d) => el("td", { class: "calc-num" }, `${num(g.chronic[d])}${share(g.chronic[d], g.students)}`)),
            el("td", { class: "calc-num" }, num(g.near)),
            (r.bands || []).map((b) => el("td", { class: "calc-num" }, num(g.bands[b.id] || 0)))),
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
function chartBars(m) {
  const s = m.result.summary;
  if (m.result.bands && s.bands) return m.result.bands.map((b) => ({ label: `${b.name} (${b.range})`, value: s.bands[b.id] ?? 0, cls: b.chronic ? "calc-chart-chronic" : "" }));
  return [
    { label: "Students", value: s.students },
    ...m.result.definitions.map((d) => ({ label: `Chronic: ${d.name}`, value: s.chronic[d.id], cls: "calc-chart-chronic" })),
    { label: `Within ${m.result.near_days} days of a line`, value: s.near, cls: "calc-chart-near" },
  ];
}

function breakdownSection(m) {
  const r = m.result;
  const section = el("section", { class: "calc-breakdown" }, el("h3", {}, "Breakdown"));
  section.append(barChart(r.bands ? "Students by LAUSD attendance band" : "Students, chronic and close to a line", chartBars(m)));
  if (!r.other_columns.length) {
    section.append(el("p", {}, "The file has no other column (such as grade or school) to break the results down by."));
    return section;
  }
  const guess = r.other_columns.findIndex((c) => GROUP_HINT.test(c.header));
  const select = el(
    "select",
    { id: "roster-group" },
    el("option", { value: "" }, "(no breakdown)"),
    r.other_columns.map((c, i) => el("option", { value: String(i) }, `${c.letter}: ${c.header}`)),
  );
  select.value = guess >= 0 ? String(guess) : "";
  const holder = el("div", { "data-breakdown": true });
  const show = () => holder.replaceChildren(select.value === "" ? "" : breakdownTable(m, Number(select.value)));
  select.addEventListener("change", show);
  show();
  section.append(el("div", { class: "calc-field calc-no-print" }, el("label", { for: "roster-group" }, "Break down by"), select), holder);
  return section;
}

// --- Download ----------------------------------------------------------------------------------------

// Spreadsheet programs run cells that start with these as formulas; a leading ' keeps them text.
function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function resultsCsv(m) {
  const r = m.result;
  const rows = m.rows;
  const other = new Map(r.other_columns.map((c) => [r.headers.indexOf(c.header), c]));
  const roleAt = new Map(Object.entries(m.roleIndex).map(([role, i]) => [i, role]));
  const inputValue = (i, column) => {
    const role = roleAt.get(column);
    if (role) return rows[role][i];
    return other.get(column)?.values[i] ?? "";
  };
  const header = ["Row", ...r.headers, "Days enrolled (computed)", "Attendance rate (%)", "Absence rate (%)",
    ...r.definitions.map((d) => `Chronic: ${d.name}`), "LAUSD band", "Days that can still be missed", "Problem"];
  const names = bandNames(r);
  const out = [header.map(cell).join(",")];
  const order = [];
  for (let i = 0; i < m.count; i++) order.push(i);
  for (let j = 0; j < m.problems.length; j++) order.push(-1 - j);
  order.sort((a, b) => rowNumber(m, a) - rowNumber(m, b));
  for (const entry of order) {
    let line;
    if (entry >= 0) {
      line = [rows.row[entry], ...r.headers.map((_, c) => inputValue(entry, c)), rows.enrolled[entry], rows.attendance_rate[entry], rows.absence_rate[entry],
        ...r.definitions.map((d) => (rows[d.id][entry] ? "yes" : "no")), names[rows.band[entry]] ?? "", rows.days_can_miss[entry] ?? "", ""];
    } else {
      const p = m.problems[-1 - entry];
      line = [p.row, ...r.headers.map((_, c) => p.cells[c] ?? ""), "", "", "", ...r.definitions.map(() => ""), "", "", p.message];
    }
    out.push(line.map(cell).join(","));
  }
  return out.join("\r\n") + "\r\n";
}

function downloadButton(m) {
  const button = el("button", { type: "button", class: "md-button calc-download" }, "Download the results (CSV)");
  button.addEventListener("click", () => {
    const blob = new Blob(["\ufeff", resultsCsv(m)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: "chronic-absence-results.csv", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return button;
}

// --- The page ----------------------------------------------------------------------------------------

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
      update(fraction) {
        bar.value = fraction;
        label.textContent = `Calculating… ${Math.round(fraction * 100)}%`;
      },
      done: () => clearTimeout(timer),
    };
  }

  // A rejected request (the worker failed, or a bug in the calculators) is answered like bad input,
  // so every step shows a message instead of waiting forever; no traceback reaches the page.
  function ask(input, onProgress) {
    const opts = { onProgress };
    if (source.bytes) opts.file = { bytes: source.bytes.slice(0), needs: source.needs };
    return calculate("roster", source.bytes ? { ...input, name: source.name } : { ...input, csv: source.csv }, opts).catch(() => ({
      ok: false,
      error: { message: "The calculator stopped before it could finish this file. Nothing was sent anywhere. Reload the page and try again; if it stops again, save the file as CSV and choose it again." },
    }));
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
    const response = await ask({ step: "columns", columns: columnsFromAddress() });
    if (mine !== run) return;
    if (!response.ok && response.error.field === "columns") {
      // The columns in the address are from another export: guess again for this file.
      const again = await ask({ step: "columns" });
      if (mine !== run) return;
      return again.ok ? showStep(again.result, mine) : failed(again.error);
    }
    if (!response.ok) return failed(response.error);
    showStep(response.result, mine);
  }

  function showStep(step, mine) {
    showResult(region);
    const stepForm = columnStep(step, (chosen, message) => compute(chosen, message, mine));
    details.replaceChildren();
    stepHolder.replaceChildren(stepForm);
    stepForm.querySelector("h2").focus();
  }

  async function compute(chosen, message, mine) {
    message.hidden = true;
    const bar = progressBar();
    // The bar sits outside the live region, so its changing figure is not read out again and again.
    region.replaceChildren(el("p", {}, "Calculating…"));
    details.replaceChildren(bar.node);
    const response = await ask({ columns: chosen }, (f) => bar.update(f));
    bar.done();
    bar.node.remove();
    if (mine !== run) return;
    if (!response.ok) {
      showResult(region);
      message.textContent = response.error.message;
      message.hidden = false;
      message.focus();
      return;
    }
    // Only header names go into the address: a reload or a bookmark keeps the choice of columns.
    keepInAddress(chosen);
    const result = response.result;
    const m = model(result);
    // The live region announces the summary only; the tables follow outside it.
    showResult(
      region,
      printSummary(root, [["Roster", source.name], ["Students", num(result.summary.students)]]),
      el("h2", { id: "result", tabindex: "-1" }, "Result"),
      summary(result),
    );
    details.replaceChildren(
      el("p", { class: "calc-actions calc-no-print" }, downloadButton(m), " ", printButton()),
      breakdownSection(m),
      rowsSection(m),
      whyList(result.reasons),
    );
    region.querySelector("#result").focus();
  }

  async function chooseFile() {
    const chosen = file.files[0];
    run++;
    clearLast();
    const bytes = await chosen.arrayBuffer();
    const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
    const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
    source = { field: "file", name: chosen.name, bytes, needs: zip || /\.xlsx$/i.test(chosen.name) ? "xlsx" : null };
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
