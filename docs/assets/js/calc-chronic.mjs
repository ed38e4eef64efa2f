// Chronic absence page: days enrolled, days absent, optional days left -> Python -> the two
// definitions side by side. The inputs live in the address (?enrolled=180&absent=17).
import {
  addressFor, calculate, clearErrors, copyLinkButton, el, fillForm, formValues, keepInAddress, num,
  printSummary, showError, showResult, whyList,
} from "./calc-common.mjs";

const FIELDS = ["enrolled", "absent", "days_left"];
const LABELS = { enrolled: "Days enrolled", absent: "Days absent", days_left: "Days left in the school year" };

function statusText(chronic) {
  return chronic ? "Chronic" : "Not chronic";
}

function definitionsTable(result) {
  const withDaysLeft = result.days_left !== null && result.days_left !== undefined;
  return el(
    "table",
    { class: "calc-table" },
    el("caption", {}, "Chronic absence under each definition"),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, "Definition"),
        el("th", { scope: "col" }, "Chronic when"),
        el("th", { scope: "col" }, "Status now"),
        el("th", { scope: "col" }, "Chronic at"),
        el("th", { scope: "col" }, withDaysLeft ? "More days that can be missed this school year" : "More days that can be missed"),
        withDaysLeft ? el("th", { scope: "col" }, "Days to attend of those left") : null,
      ),
    ),
    el(
      "tbody",
      {},
      result.definitions.map((d) =>
        el(
          "tr",
          { "data-definition": d.id, class: d.chronic ? "calc-chronic" : "calc-not-chronic" },
          el("th", { scope: "row" }, d.name),
          el("td", {}, d.threshold),
          el("td", {}, el("strong", {}, statusText(d.chronic))),
          el("td", {}, `${num(d.chronic_at_absences)} days absent of ${num(d.period_days)}`),
          el("td", {}, num(d.days_can_miss)),
          withDaysLeft ? el("td", {}, d.can_stay_under === false ? "Cannot stay under" : num(d.must_attend)) : null,
        ),
      ),
    ),
  );
}

// LAUSD's band (rate in whole percent), and the strict reading where it gives another answer.
function bandLine(band) {
  if (!band) return null;
  return el(
    "p",
    { class: "calc-band", "data-band": band.id },
    "LAUSD attendance band: ",
    el("strong", {}, band.name),
    ` (${band.range}; ${band.absences_in_year} absences in a ${band.year_days}-day year)${band.chronic ? ", a chronic band" : ""}.`,
    band.note ? ` ${band.note}` : "",
  );
}

function strictNotes(result) {
  const notes = result.definitions.filter((d) => d.strict && d.strict.text);
  if (!notes.length) return null;
  return el("div", { class: "calc-strict" }, notes.map((d) => el("p", { "data-strict": d.id }, d.strict.text)));
}

function projection(result) {
  const p = result.projection;
  if (!p) return null;
  const line = (label, s) =>
    el("li", {}, `${label}: absent ${num(s.absent)} of ${num(p.year_end_enrolled)} days, attendance rate ${num(s.attendance_rate)}%; ` +
      `${statusText(s.chronic_state).toLowerCase()} under the state definition, ${statusText(s.chronic_lausd).toLowerCase()} under LAUSD's` +
      `${s.chronic_lausd_strict !== undefined && s.chronic_lausd_strict !== s.chronic_lausd ? ` (${statusText(s.chronic_lausd_strict).toLowerCase()} read strictly)` : ""}` +
      `; band ${s.band.name}.`);
  return el(
    "section",
    { class: "calc-projection" },
    el("h3", {}, "At the end of the school year"),
    el("ul", {}, line("If the student attends every remaining day", p.if_attends_all_remaining), line("If absences continue at the same pace", p.at_current_pace)),
  );
}

function render(root, result) {
  const byId = Object.fromEntries(result.definitions.map((d) => [d.id, d]));
  const state = byId.chronic_state;
  const lausd = byId.chronic_lausd;
  const inputs = [[LABELS.enrolled, num(result.enrolled)], [LABELS.absent, num(result.absent)]];
  if (result.days_left !== null && result.days_left !== undefined) inputs.push([LABELS.days_left, num(result.days_left)]);
  return [
    printSummary(root, inputs),
    el("h2", { id: "result" }, "Result"),
    el(
      "p",
      { class: "calc-headline" },
      "Attendance rate ",
      el("strong", { "data-value": "attendance_rate" }, `${num(result.attendance_rate)}%`),
      ` (${num(result.attended)} of ${num(result.enrolled)} days attended); absence rate `,
      el("strong", { "data-value": "absence_rate" }, `${num(result.absence_rate)}%`),
      ".",
    ),
    el(
      "p",
      { class: "calc-verdict" },
      state && lausd
        ? `${statusText(lausd.chronic)} under LAUSD's definition; ${statusText(state.chronic).toLowerCase()} under the state's.`
        : null,
    ),
    bandLine(result.band),
    definitionsTable(result),
    strictNotes(result),
    projection(result),
    whyList(result.reasons),
  ];
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");

  async function run(values) {
    clearErrors(form);
    const response = await calculate("chronic", values);
    if (!response.ok) {
      showResult(region);
      showError(form, response.error);
      return;
    }
    showResult(region, ...render(root, response.result), copyLinkButton(() => addressFor(values).href));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(form, FIELDS);
    keepInAddress(values);
    run(values);
  });

  const params = new URLSearchParams(location.search);
  if (FIELDS.some((name) => params.has(name))) {
    fillForm(form, params, FIELDS);
    run(formValues(form, FIELDS));
  }
  return { onAddressChange: () => {
    const p = new URLSearchParams(location.search);
    fillForm(form, p, FIELDS);
    if (FIELDS.some((name) => p.has(name))) run(formValues(form, FIELDS));
    else { clearErrors(form); showResult(region); }
  } };
}
