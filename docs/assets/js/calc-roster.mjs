// Roster page: a CSV chosen or pasted -> Python -> a table, a summary, row errors and a CSV download.
// Everything stays on the device: the file is read here, computed in the worker, and the download is
// a Blob made here. Roster data never goes into the address.
import { calculate, clearErrors, el, num, plural, printButton, printSummary, showError, showResult, whyList } from "./calc-common.mjs";

const SHOWN_ROWS = 100;
const SHOWN_ERRORS = 100;

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
          // No student computed: no share to give (never "null%").
          s.share[d.id] === null ? " (no student computed)" : ` (${num(s.share[d.id])}% of students)`,
          // The strict reading, beside LAUSD's, where the counts differ.
          s.chronic_strict && d.id in s.chronic_strict && s.chronic_strict[d.id] !== s.chronic[d.id]
            ? el("span", { "data-summary-strict": d.id }, `; read strictly (the rate as it is, not in whole percent): ${num(s.chronic_strict[d.id])} chronic`)
            : null,
        ),
      ),
      el("li", { "data-summary": "errors" }, `${plural(s.rows_with_errors, "row")} with errors (not counted above)`),
    ),
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
          el(
            "tr",
            { "data-band": b.id },
            el("th", { scope: "row" }, b.name),
            el("td", {}, b.range),
            el("td", {}, b.chronic ? "Yes" : "No"),
            el("td", {}, num(result.summary.bands[b.id])),
          ),
        ),
      ),
    ),
  );
}

function bandName(result, id) {
  const band = (result.bands || []).find((b) => b.id === id);
  return band ? band.name : "";
}

function table(result) {
  const rows = result.rows;
  const count = rows.row.length;
  const shown = Math.min(count, SHOWN_ROWS);
  const body = [];
  for (let i = 0; i < shown; i++) {
    body.push(
      el(
        "tr",
        {},
        el("td", {}, num(rows.row[i])),
        el("th", { scope: "row" }, rows.label[i] ?? ""),
        el("td", {}, num(rows.enrolled[i])),
        el("td", {}, num(rows.absent[i])),
        el("td", {}, `${num(rows.attendance_rate[i])}%`),
        result.definitions.map((d) => el("td", {}, rows[d.id][i] ? "Chronic" : "Not chronic")),
        el("td", {}, bandName(result, rows.band[i])),
      ),
    );
  }
  return el(
    "section",
    { class: "calc-rows" },
    el("h3", {}, "Students"),
    count > shown ? el("p", {}, `Showing the first ${num(shown)} of ${num(count)} students; the download has them all.`) : null,
    el(
      "div",
      { class: "calc-table-wrap" },
      el(
        "table",
        { class: "calc-table" },
        el("caption", {}, "Results by student"),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, "Row"),
            el("th", { scope: "col" }, "Student"),
            el("th", { scope: "col" }, "Days enrolled"),
            el("th", { scope: "col" }, "Days absent"),
            el("th", { scope: "col" }, "Attendance rate"),
            result.definitions.map((d) => el("th", { scope: "col" }, d.name)),
            el("th", { scope: "col" }, "LAUSD band"),
          ),
        ),
        el("tbody", {}, body),
      ),
    ),
  );
}

function rowErrors(result) {
  const errors = result.errors;
  if (!errors.length) return null;
  return el(
    "section",
    { class: "calc-row-errors" },
    el("h3", {}, "Rows with errors"),
    errors.length > SHOWN_ERRORS ? el("p", {}, `Showing the first ${SHOWN_ERRORS} of ${num(errors.length)}; the download lists them all.`) : null,
    el("ul", {}, errors.slice(0, SHOWN_ERRORS).map((e) => el("li", {}, `Row ${e.row}${e.label ? ` (${e.label})` : ""}: ${e.message}`))),
  );
}

// Spreadsheet programs run cells that start with these as formulas; a leading ' keeps them text.
function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function resultsCsv(result) {
  const rows = result.rows;
  const header = ["Row", "Student", "Days enrolled", "Days absent", "Attendance rate (%)", "Absence rate (%)",
    ...result.definitions.map((d) => `Chronic: ${d.name}`), "LAUSD band", "Error"];
  const lines = [];
  for (let i = 0; i < rows.row.length; i++) {
    lines.push([rows.row[i], [rows.row[i], rows.label[i], rows.enrolled[i], rows.absent[i], rows.attendance_rate[i], rows.absence_rate[i],
      ...result.definitions.map((d) => (rows[d.id][i] ? "yes" : "no")), bandName(result, rows.band[i]), ""]]);
  }
  for (const e of result.errors) {
    lines.push([e.row, [e.row, e.label ?? "", "", "", "", "", ...result.definitions.map(() => ""), "", e.message]]);
  }
  lines.sort((a, b) => a[0] - b[0]);
  return [header, ...lines.map(([, line]) => line)].map((line) => line.map(cell).join(",")).join("\r\n") + "\r\n";
}

function downloadButton(result) {
  const button = el("button", { type: "button", class: "md-button calc-download" }, "Download the results (CSV)");
  button.addEventListener("click", () => {
    const blob = new Blob([resultsCsv(result)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: "chronic-absence-results.csv", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return button;
}

// File.text() would turn a spreadsheet's bytes into replacement characters and Python would then
// only say the header lacks columns; a strict decode names the real problem, in the CLI's words.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

async function fileText(chosen) {
  try {
    return { text: UTF8.decode(await chosen.arrayBuffer()) };
  } catch {
    return { error: { field: "file", message: `${chosen.name} is not UTF-8 text: save the CSV file as UTF-8.` } };
  }
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");
  const details = root.querySelector("[data-calc-details]");
  const file = form.elements.namedItem("file");
  const pasted = form.elements.namedItem("csv");

  async function run(text, source) {
    clearErrors(form);
    details.replaceChildren();
    region.replaceChildren(el("p", {}, "Calculating…"));
    const response = await calculate("roster", { csv: text });
    if (!response.ok) {
      showResult(region);
      details.replaceChildren();
      // A problem with the whole file belongs next to the field it came from.
      showError(form, { ...response.error, field: source });
      return;
    }
    const result = response.result;
    // The live region announces the summary only; the tables follow outside it.
    showResult(
      region,
      printSummary(root, [["Roster", source === "file" ? file.files[0].name : "pasted text"], ["Students", num(result.summary.students)]]),
      el("h2", { id: "result" }, "Result"),
      summary(result),
    );
    details.replaceChildren(
      el("p", { class: "calc-actions calc-no-print" }, downloadButton(result), " ", printButton()),
      rowErrors(result),
      table(result),
      whyList(result.reasons),
    );
  }

  async function runFile() {
    const read = await fileText(file.files[0]);
    if (read.error) {
      clearErrors(form);
      details.replaceChildren();
      showResult(region);
      showError(form, read.error);
      return;
    }
    run(read.text, "file");
  }

  file.addEventListener("change", () => {
    if (file.files.length) runFile();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (file.files.length) runFile();
    else run(pasted.value, "csv");
  });
  return {};
}
