// Excused-absence limits page: a school calendar and a list of absences -> Python -> which absences
// are within their cap and what remains of each. Every input lives in the address:
// ?first_day=2024-08-14&second_semester_start=2025-01-13&last_day=2025-06-11
//  &non_school_days=2024-11-11,2024-11-28&absence=2024-09-09,funeral,a&absence=2024-09-10,illness
import {
  addressFor, calculate, clearErrors, copyLinkButton, el, keepInAddress, num, plural, printSummary, showError, showResult, whyList,
} from "./calc-common.mjs";

const CALENDAR = ["first_day", "second_semester_start", "last_day"];
const WINTER = ["winter_break.first_day", "winter_break.last_day"];
const PARTS = ["date", "reason", "incident"];

function splitDates(text) {
  return text.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean);
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");
  const list = form.querySelector("[data-absences]");
  const template = form.querySelector("[data-absence-template]");
  const reasonNames = Object.fromEntries(
    [...template.content.querySelectorAll("option")].filter((o) => o.value).map((o) => [o.value, o.textContent]),
  );

  // Rows are numbered in order, so each field's name is the one Python names in its errors.
  function renumber() {
    [...list.children].forEach((item, index) => {
      item.querySelector("[data-number]").textContent = String(index + 1);
      for (const part of PARTS) {
        const id = `excused-absence-${index}-${part}`;
        const field = item.querySelector(`[data-name="${part}"]`);
        const error = item.querySelector(`[data-error-for-part="${part}"]`);
        field.id = id;
        field.name = `absences[${index}].${part}`;
        error.id = `${id}-error`;
        error.dataset.errorFor = field.name;
        const describedBy = [`${id}-error`];
        if (part === "incident") describedBy.unshift("excused-incident-hint");
        field.setAttribute("aria-describedby", describedBy.join(" "));
        item.querySelector(`label[data-for="${part}"]`).htmlFor = id;
      }
      item.querySelector("[data-remove]").textContent = `Remove absence ${index + 1}`;
    });
  }

  function addRow(values = {}) {
    const item = template.content.firstElementChild.cloneNode(true);
    for (const part of PARTS) item.querySelector(`[data-name="${part}"]`).value = values[part] ?? "";
    item.querySelector("[data-remove]").addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      if (!list.children.length) addRow();
      renumber();
      (next || list.firstElementChild).querySelector("input").focus();
    });
    list.append(item);
    renumber();
    return item;
  }

  function readForm() {
    const value = (name) => form.elements.namedItem(name).value.trim();
    const calendar = Object.fromEntries(CALENDAR.map((name) => [name, value(`calendar.${name}`)]));
    calendar.non_school_days = splitDates(value("calendar.non_school_days"));
    // A winter break named by the calendar; excluded from school months unless unticked (E.C. § 37201(a)).
    const [wbFirst, wbLast] = WINTER.map((name) => value(`calendar.${name}`));
    if (wbFirst || wbLast) {
      calendar.winter_break = { first_day: wbFirst, last_day: wbLast };
      if (!form.elements.namedItem("calendar.winter_break.excluded").checked) calendar.winter_break.excluded = false;
    }
    // Rows left blank are not absences; `rows` keeps which form row each absence came from.
    const rows = [];
    const absences = [];
    for (const [index, item] of [...list.children].entries()) {
      const a = Object.fromEntries(PARTS.map((part) => [part, item.querySelector(`[data-name="${part}"]`).value.trim()]));
      if (!a.date && !a.reason && !a.incident) continue;
      rows.push(index);
      absences.push(a.incident ? a : { date: a.date, reason: a.reason });
    }
    return { calendar, absences, rows };
  }

  function toAddress(input) {
    const params = [];
    for (const name of CALENDAR) if (input.calendar[name]) params.push([name, input.calendar[name]]);
    if (input.calendar.non_school_days.length) params.push(["non_school_days", input.calendar.non_school_days.join(",")]);
    const wb = input.calendar.winter_break;
    if (wb) {
      params.push(["winter_break", `${wb.first_day},${wb.last_day}`]);
      if (wb.excluded === false) params.push(["winter_break_excluded", "no"]);
    }
    for (const a of input.absences) params.push(["absence", [a.date, a.reason, a.incident].filter((x) => x !== undefined).join(",")]);
    return params;
  }

  function fromAddress(params) {
    for (const name of CALENDAR) form.elements.namedItem(`calendar.${name}`).value = params.get(name) ?? "";
    form.elements.namedItem("calendar.non_school_days").value = splitDates(params.get("non_school_days") ?? "").join("\n");
    const [wbFirst = "", wbLast = ""] = (params.get("winter_break") ?? "").split(",");
    form.elements.namedItem("calendar.winter_break.first_day").value = wbFirst;
    form.elements.namedItem("calendar.winter_break.last_day").value = wbLast;
    form.elements.namedItem("calendar.winter_break.excluded").checked = params.get("winter_break_excluded") !== "no";
    list.replaceChildren();
    // The drop-down cannot hold a reason it does not list, and an absence has at most three parts:
    // keep what the address gave, to say what is wrong with it (never drop part of it silently).
    const problems = [];
    for (const [index, text] of params.getAll("absence").entries()) {
      const [date, reason, incident, ...extra] = text.split(",");
      addRow({ date, reason, incident });
      if (extra.length) {
        problems.push({
          field: `absences[${index}].incident`,
          message: `The address gives absence ${index + 1} as “${text.length > 60 ? `${text.slice(0, 60)}…` : text}”: an absence has at most three parts, date,reason,incident (like 2024-09-09,funeral,a). Check the address.`,
        });
      } else if (reason && !Object.hasOwn(reasonNames, reason)) {
        problems.push({ field: `absences[${index}].reason`, message: `The address gives reason “${reason}”, which is not known: choose one of the reasons.` });
      }
    }
    if (!list.children.length) addRow();
    return problems;
  }

  function render(input, result) {
    const summary = result.summary;
    const inputs = [
      ["First day of school", result.calendar.first_day],
      ["First day of the second semester", result.calendar.second_semester_start],
      ["Last day of school", result.calendar.last_day],
      ["Non-school days", result.calendar.non_school_days.join(", ") || "none"],
      ["Winter break", result.calendar.winter_break
        ? `${result.calendar.winter_break.first_day} to ${result.calendar.winter_break.last_day}${result.calendar.winter_break.excluded ? ", left out of school months" : ", counted in school months"}`
        : "none"],
      ...input.absences.map((a, i) => [`Absence ${i + 1}`, [a.date, reasonNames[a.reason] || a.reason, a.incident ? `incident ${a.incident}` : ""].filter(Boolean).join(" · ")]),
    ];
    return [
      printSummary(root, inputs),
      el("h2", { id: "result" }, "Result"),
      el("p", { class: "calc-headline" }, `${plural(summary.absences, "absence")}: `, el("strong", {}, `${num(summary.excused)} within their limit`), `, ${num(summary.not_excused)} over a limit.`),
      el(
        "div",
        { class: "calc-table-wrap" },
        el(
          "table",
          { class: "calc-table" },
          el("caption", {}, "Each absence, in date order"),
          el("thead", {}, el("tr", {}, ["Date", "Reason", "School month", "Within the limit?", "Limit exceeded"].map((h) => el("th", { scope: "col" }, h)))),
          el(
            "tbody",
            {},
            result.absences.map((a) =>
              el(
                "tr",
                { "data-date": a.date, class: a.excused ? "calc-not-chronic" : "calc-chronic" },
                el("th", { scope: "row" }, a.date),
                el("td", {}, `${reasonNames[a.reason] || a.reason}${a.incident ? ` (incident ${a.incident})` : ""}`),
                el("td", { "data-school-month": a.school_month }, `${a.school_month}: ${a.school_month_first_day} to ${a.school_month_last_day}`),
                el("td", {}, el("strong", {}, a.excused ? "Yes, excused" : "No, not excused")),
                el("td", {}, a.exceeds || ""),
              ),
            ),
          ),
        ),
      ),
      result.remaining.length
        ? el(
            "div",
            { class: "calc-table-wrap" },
            el(
              "table",
              { class: "calc-table calc-remaining" },
              el("caption", {}, "What remains of each limit used"),
              el("thead", {}, el("tr", {}, ["Reason", "Counted", "Limit", "Used", "Remaining", "Over the limit"].map((h) => el("th", { scope: "col" }, h)))),
              el(
                "tbody",
                {},
                result.remaining.map((r) =>
                  el(
                    "tr",
                    { "data-reason": r.reason },
                    el("th", { scope: "row" }, reasonNames[r.reason] || r.reason),
                    el("td", {}, r.period_label),
                    el("td", {}, num(r.limit)),
                    el("td", {}, num(r.used)),
                    el("td", {}, num(r.remaining)),
                    el("td", {}, num(r.not_excused)),
                  ),
                ),
              ),
            ),
          )
        : null,
      whyList(result.reasons),
    ];
  }

  async function run(input) {
    clearErrors(form);
    const response = await calculate("excused", { calendar: input.calendar, absences: input.absences });
    if (!response.ok) {
      showResult(region);
      const error = { ...response.error };
      const match = /^absences\[(\d+)\](.*)$/.exec(error.field || "");
      if (match && input.rows[Number(match[1])] !== undefined) error.field = `absences[${input.rows[Number(match[1])]}]${match[2]}`;
      showError(form, error);
      return;
    }
    showResult(region, ...render(input, response.result), copyLinkButton(() => addressFor(toAddress(input)).href));
  }

  form.querySelector("[data-add-absence]").addEventListener("click", () => addRow().querySelector("input").focus());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = readForm();
    keepInAddress(toAddress(input));
    run(input);
  });

  function fromLocation() {
    const params = new URLSearchParams(location.search);
    const problems = fromAddress(params);
    if (problems.length) {
      clearErrors(form);
      showResult(region);
      // Last to first, so focus ends on the first field to fix.
      for (const problem of problems.reverse()) showError(form, problem);
    } else if (CALENDAR.some((name) => params.has(name)) || params.has("absence")) run(readForm());
    else {
      clearErrors(form);
      showResult(region);
    }
  }
  fromLocation();
  return { onAddressChange: fromLocation };
}
