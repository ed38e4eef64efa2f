// The roster page's column step: which column of the file is which (remembered in the address).
import { el, num, plural } from "./calc-common.mjs";

export const ROLES = ["id", "name", "enrolled", "absent", "present"];
const ROLE_LABELS = {
  id: "Student ID",
  name: "Student name",
  enrolled: "Days enrolled",
  absent: "Days absent",
  present: "Days present (when there is no days enrolled column)",
};

// --- The column step -------------------------------------------------------------------------------

export function columnsFromAddress() {
  const params = new URLSearchParams(location.search);
  const chosen = {};
  // Only named columns: for a new file, a role chosen as "(none)" last time is guessed again.
  for (const role of ROLES) if (params.get(role)) chosen[role] = params.get(role);
  return chosen;
}

// The column step. When Python recognised every column without doubt (`computed`), the result is
// already below and the step is folded away, one click from changing a column; otherwise it waits.
export function columnStep(step, onConfirm, computed) {
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

