// The roster page's summary, per-band counts, breakdown by a chosen column and its chart.
import { el, num, plural } from "./calc-common.mjs";

const GROUP_HINT = /grade|school|teacher|class|homeroom|site|program|track|section|period/i;

// --- Summary, breakdown and chart ------------------------------------------------------------------

function share(count, total) {
  return total ? ` (${num(Math.round((count / total) * 1000) / 10)}%)` : "";
}

export function summary(result) {
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

export function bandNames(result) {
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

export function breakdownSection(result, ask) {
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

