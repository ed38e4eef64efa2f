// Chronic absence page: days enrolled, days absent, optional days left -> Python -> the answer in
// words first (so far, by the year end, days that can still be missed), a picture of the year,
// what to do next, then the details and the why. Every word of the result comes from Python
// (calculators/chronic_answer.py and policy_data/wording/); this file only lays it out.
// The inputs live in the address (?enrolled=180&absent=17).
import {
  addressFor, calculate, clearErrors, copyLinkButton, el, fillForm, formValues, keepInAddress, num,
  pct, printSummary, showError, showResult, t, whyList,
} from "./calc-common.mjs";
import { yearBar } from "./calc-picture.mjs";

const FIELDS = ["enrolled", "absent", "days_left"];

/** The form's own label for a field: the printout lists the inputs in the page's words. */
function labelOf(form, name) {
  const field = form.elements.namedItem(name);
  return field?.labels?.[0]?.textContent.replace(/\s*\(.*\)\s*$/, "") ?? name;
}

function definitionsTable(result) {
  const withDaysLeft = result.days_left !== null && result.days_left !== undefined;
  const headers = [
    t("definition", "Definition"), t("chronic_when", "Chronic when"), t("status_so_far", "Status so far"), t("chronic_at", "Chronic at"),
    withDaysLeft ? t("can_miss_year", "More days that can be missed this school year") : t("can_miss", "More days that can be missed"),
  ];
  if (withDaysLeft) headers.push(t("must_attend", "Days to attend of those left"));
  return el(
    "table",
    { class: "calc-table calc-cards" },
    el("caption", {}, t("table_caption", "Chronic absence under each definition")),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el(
      "tbody",
      {},
      result.definitions.map((d) =>
        el(
          "tr",
          { "data-definition": d.id, class: d.chronic ? "calc-chronic" : "calc-not-chronic" },
          el("th", { scope: "row" }, d.name),
          el("td", { "data-label": headers[1] }, d.threshold),
          el("td", { "data-label": headers[2] }, el("strong", {}, d.verdict)),
          el("td", { "data-label": headers[3] }, d.chronic_at_absences === null ? "—" : t("absent_of", "{absent} days absent of {period}", { absent: num(d.chronic_at_absences), period: num(d.period_days) })),
          el("td", { "data-label": headers[4] }, num(d.days_can_miss)),
          withDaysLeft ? el("td", { "data-label": headers[5] }, d.must_attend === null ? "—" : num(d.must_attend)) : null,
        ),
      ),
    ),
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
  return el(
    "section",
    { class: "calc-projection" },
    el("h3", {}, t("year_end", "At the end of the school year")),
    el("ul", {}, el("li", {}, p.if_attends_all_remaining.text), el("li", {}, p.at_current_pace.text)),
  );
}

/** What to do next: written on the page (the template), shown under every answer. */
function nextSteps(root) {
  const template = root.querySelector("template[data-next-steps]");
  return template ? template.content.cloneNode(true).firstElementChild : null;
}

function render(root, form, result, address) {
  const a = result.answer;
  const inputs = [[labelOf(form, "enrolled"), num(result.enrolled)], [labelOf(form, "absent"), num(result.absent)]];
  if (result.days_left !== null && result.days_left !== undefined) inputs.push([labelOf(form, "days_left"), num(result.days_left)]);
  return [
    printSummary(root, inputs, address),
    el(
      "div",
      { class: "calc-answer" },
      el("h2", { id: "result", tabindex: "-1", class: "calc-verdict" }, a.so_far),
      el("p", {}, a.missed),
      el("p", { class: "calc-band", "data-band": result.band.id }, a.band),
      a.year_end_heading ? el("h3", {}, a.year_end_heading) : null,
      a.lines.length ? el("ul", { class: "calc-can-miss" }, a.lines.map((line) => el("li", { "data-definition": line.definition, class: line.strict ? "calc-strict-line" : null }, line.text))) : null,
    ),
    yearBar(a.picture),
    nextSteps(root),
    el("h3", { class: "calc-details-heading" }, t("details", "The details")),
    el(
      "p",
      { class: "calc-headline" },
      t("attendance_rate", "Attendance rate "),
      el("strong", { "data-value": "attendance_rate" }, pct(result.attendance_rate)),
      t("attended_of", " ({attended} of {enrolled} days attended); absence rate ", { attended: num(result.attended), enrolled: num(result.enrolled) }),
      el("strong", { "data-value": "absence_rate" }, pct(result.absence_rate)),
      ".",
    ),
    definitionsTable(result),
    strictNotes(result),
    projection(result),
    whyList(result.reasons),
  ];
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");

  async function run(values, { reveal = false } = {}) {
    clearErrors(form);
    const response = await calculate("chronic", values);
    if (!response.ok) {
      showResult(region);
      showError(form, response.error);
      return;
    }
    showResult(region, ...render(root, form, response.result, addressFor(values).href), copyLinkButton(() => addressFor(values).href));
    // A pre-filled link opens with the answer in view, not at the top of the page.
    if (reveal) region.querySelector("#result")?.scrollIntoView({ block: "start" });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(form, FIELDS);
    keepInAddress(values);
    run(values, { reveal: true });
  });

  const params = new URLSearchParams(location.search);
  if (FIELDS.some((name) => params.has(name))) {
    fillForm(form, params, FIELDS);
    run(formValues(form, FIELDS), { reveal: true });
  }
  return { onAddressChange: () => {
    const p = new URLSearchParams(location.search);
    fillForm(form, p, FIELDS);
    if (FIELDS.some((name) => p.has(name))) run(formValues(form, FIELDS), { reveal: true });
    else { clearErrors(form); showResult(region); }
  } };
}
