// The roster page's rows: one page at a time from the roster kept in Python, sorted and filtered there.
import { el, num, plural } from "./calc-common.mjs";
import { bandNames } from "./roster-summary.mjs";

export const PAGE_SIZE = 50;

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
export function rowsSection(result, ask) {
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

