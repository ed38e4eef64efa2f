// Excused absences page: the absences a family enters (one day or a date range each, with a
// reason) and only the calendar dates their reasons need -> Python -> the answer first (how many
// days are excused), a picture of how much of each max is used, then each school day.
// Every word comes from policy_data/wording/ (the result's from Python, the page's from the
// template's data-word-* attributes): this file only lays them out.
// Every input lives in the address:
// ?second_semester_start=2025-01-13&non_school_days=2024-11-11
//  &absence=2024-10-07/2024-10-14,funeral,Grandma's funeral&absence=2024-10-16,illness
// (a range is an ISO 8601 interval; a name's commas and % are written %2C and %25).
import {
  addressFor, calculate, clearErrors, copyLinkButton, dateText, el, fieldFor, keepInAddress, printSummary, showErrors, showResult, whyList,
} from "./calc-common.mjs";
import { maxSquares } from "./calc-picture.mjs";

const CALENDAR = ["first_day", "second_semester_start", "last_day"];
const WINTER = ["winter_break.first_day", "winter_break.last_day"];
const PARTS = ["reason", "date", "last_date", "incident"];

/** "Absence {n}" with n filled: the sentences are the wording's. */
function fill(text, values) {
  return String(text || "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function splitDates(text) {
  return text.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean);
}

const encodeName = (name) => name.replace(/%/g, "%25").replace(/,/g, "%2C");
function decodeName(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What was typed, as a message quotes it (at most 20 characters, as calculators/limits.py). */
const quoted = (text) => (text.length > 20 ? `${text.slice(0, 20)}…` : text);

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");
  const list = form.querySelector("[data-absences]");
  const template = form.querySelector("[data-absence-template]");
  const words = root.dataset;
  const reasonIds = new Set([...template.content.querySelectorAll("option")].map((o) => o.value).filter(Boolean));
  const calendarField = (name) => form.querySelector(`[data-calendar-field="${name}"]`);
  const holidays = form.querySelector("[data-holidays]");
  const holidayTemplate = form.querySelector("[data-holiday-template]");

  // A date field named as Python's messages name it (excused.fields in the wording), by form row.
  const CALENDAR_NAMES = {
    "calendar.first_day": "wordFieldFirstDay", "calendar.second_semester_start": "wordFieldSecondSemesterStart",
    "calendar.last_day": "wordFieldLastDay", "calendar.winter_break.first_day": "wordFieldWinterFirst",
    "calendar.winter_break.last_day": "wordFieldWinterLast",
  };
  function dateLabel(name) {
    const absence = /^absences\[(\d+)\]\.(date|last_date)$/.exec(name);
    if (absence) return fill(absence[2] === "date" ? words.wordFieldDate : words.wordFieldLastDate, { row: Number(absence[1]) + 1 });
    const holiday = /^calendar\.non_school_days\[(\d+)\]$/.exec(name);
    if (holiday) return fill(words.wordFieldNonSchoolDay, { n: Number(holiday[1]) + 1 });
    return words[CALENDAR_NAMES[name]] || name;
  }

  // A date box holds a date only when the browser can read it: a half-typed one (like 10/07/yyyy)
  // has no value at all, so Python would call it missing, or, for the optional last day, answer
  // for one day. The page says what the reader sees instead, in the format their browser shows.
  function unfinishedDates() {
    return [...form.querySelectorAll('input[type="date"]')]
      .filter((field) => field.validity.badInput && !field.closest("[hidden]"))
      .map((field) => ({ field: field.name, message: fill(words.wordDateIncomplete, { label: dateLabel(field.name) }) }));
  }

  /** A date the address gives that the date box could not hold (it would be empty, silently). */
  function addressDate(field, text, problems) {
    if (text && field.value !== text) problems.push({ field: field.name, message: fill(words.wordAddressBadDate, { label: dateLabel(field.name), text: quoted(text) }) });
  }

  // Days with no school: one date field each (a date picker, never typed text), numbered like the
  // list Python names in its errors (calendar.non_school_days[2]).
  function renumberHolidays() {
    [...holidays.children].forEach((item, index) => {
      const field = item.querySelector("[data-name='holiday']");
      const error = item.querySelector("[data-error-for-part='holiday']");
      field.id = `excused-holiday-${index}`;
      field.name = `calendar.non_school_days[${index}]`;
      error.id = `${field.id}-error`;
      error.dataset.errorFor = field.name;
      field.setAttribute("aria-describedby", `excused-non-school-days-hint ${error.id}`);
      const label = item.querySelector("label");
      label.htmlFor = field.id;
      label.textContent = fill(words.wordHoliday, { n: index + 1 });
      item.querySelector("[data-remove-holiday]").textContent = fill(words.wordRemoveHoliday, { n: index + 1 });
    });
  }

  function addHoliday(value = "") {
    const item = holidayTemplate.content.firstElementChild.cloneNode(true);
    item.querySelector("[data-name='holiday']").value = value;
    item.querySelector("[data-remove-holiday]").addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      renumberHolidays();
      (next?.querySelector("input") || form.querySelector("[data-add-holiday]")).focus();
    });
    holidays.append(item);
    renumberHolidays();
    return item;
  }

  // Rows are numbered in order, so each field's name is the one Python names in its errors.
  function renumber() {
    [...list.children].forEach((item, index) => {
      item.querySelector("[data-legend]").textContent = fill(words.wordAbsence, { n: index + 1 });
      for (const part of PARTS) {
        const id = `excused-absence-${index}-${part}`;
        const field = item.querySelector(`[data-name="${part}"]`);
        const error = item.querySelector(`[data-error-for-part="${part}"]`);
        const hint = item.querySelector(`[data-hint-for="${part}"]`);
        field.id = id;
        field.name = `absences[${index}].${part}`;
        error.id = `${id}-error`;
        error.dataset.errorFor = field.name;
        if (hint) hint.id = `${id}-hint`;
        field.setAttribute("aria-describedby", [hint ? hint.id : null, error.id].filter(Boolean).join(" "));
        item.querySelector(`label[data-for="${part}"]`).htmlFor = id;
      }
      item.querySelector("[data-remove]").textContent = fill(words.wordRemove, { n: index + 1 });
    });
  }

  // The calendar is asked for only when a chosen reason's max needs it (data-needs, from
  // calculators.excused.NEEDS at build time), or when the address already gives the date.
  function showNeeds() {
    const needed = new Set();
    for (const item of list.children) {
      const select = item.querySelector('[data-name="reason"]');
      const needs = (select.selectedOptions[0]?.dataset.needs || "").split(" ").filter(Boolean);
      needs.forEach((name) => needed.add(name));
      const hint = item.querySelector('[data-hint-for="reason"]');
      hint.textContent = needs.map((name) => hint.dataset[`wordNeeds${name.replace(/(^|_)(\w)/g, (m, s, c) => c.toUpperCase())}`]).join(" ");
      hint.hidden = !needs.length;
    }
    for (const name of ["first_day", "second_semester_start"]) {
      const box = calendarField(name);
      box.hidden = !(needed.has(name) || form.elements.namedItem(`calendar.${name}`).value);
    }
  }

  function addRow(values = {}) {
    const item = template.content.firstElementChild.cloneNode(true);
    for (const part of PARTS) item.querySelector(`[data-name="${part}"]`).value = values[part] ?? "";
    item.querySelector('[data-name="reason"]').addEventListener("change", showNeeds);
    item.querySelector("[data-remove]").addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      if (!list.children.length) addRow();
      renumber();
      showNeeds();
      (next || list.firstElementChild).querySelector("select").focus();
    });
    list.append(item);
    renumber();
    return item;
  }

  function readForm() {
    const value = (name) => form.elements.namedItem(name).value.trim();
    const calendar = {};
    for (const name of CALENDAR) if (value(`calendar.${name}`)) calendar[name] = value(`calendar.${name}`);
    const offDays = [...holidays.querySelectorAll("[data-name='holiday']")].map((field) => field.value.trim()).filter(Boolean);
    if (offDays.length) calendar.non_school_days = offDays;
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
      if (!a.date && !a.reason && !a.incident && !a.last_date) continue;
      rows.push(index);
      const absence = { date: a.date, reason: a.reason };
      if (a.last_date) absence.last_date = a.last_date;
      if (a.incident) absence.incident = a.incident;
      absences.push(absence);
    }
    return { calendar, absences, rows };
  }

  function toAddress(input) {
    const params = [];
    const c = input.calendar;
    for (const name of CALENDAR) if (c[name]) params.push([name, c[name]]);
    if (c.non_school_days) params.push(["non_school_days", c.non_school_days.join(",")]);
    if (c.winter_break) {
      params.push(["winter_break", `${c.winter_break.first_day},${c.winter_break.last_day}`]);
      if (c.winter_break.excluded === false) params.push(["winter_break_excluded", "no"]);
    }
    for (const a of input.absences) {
      const when = a.last_date ? `${a.date}/${a.last_date}` : a.date;
      params.push(["absence", [when, a.reason, a.incident === undefined ? undefined : encodeName(a.incident)].filter((x) => x !== undefined).join(",")]);
    }
    return params;
  }

  function fromAddress(params) {
    const calendarProblems = [];
    const setDate = (name, text) => {
      const field = form.elements.namedItem(name);
      field.value = text;
      addressDate(field, text, calendarProblems);
    };
    for (const name of CALENDAR) setDate(`calendar.${name}`, params.get(name) ?? "");
    holidays.replaceChildren();
    splitDates(params.get("non_school_days") ?? "").forEach((day) => addressDate(addHoliday(day).querySelector("input"), day, calendarProblems));
    const [wbFirst = "", wbLast = ""] = (params.get("winter_break") ?? "").split(",");
    setDate("calendar.winter_break.first_day", wbFirst);
    setDate("calendar.winter_break.last_day", wbLast);
    form.elements.namedItem("calendar.winter_break.excluded").checked = params.get("winter_break_excluded") !== "no";
    // Dates the page hides behind "More dates" open it when the address gives them.
    const more = form.querySelector("[data-calendar-more]");
    if (!more.open) more.open = ["last_day", "non_school_days", "winter_break"].some((name) => params.get(name));
    list.replaceChildren();
    // The drop-down cannot hold a reason it does not list, and an absence has at most three parts:
    // keep what the address gave, to say what is wrong with it (never drop part of it silently).
    const problems = [];
    for (const [index, text] of params.getAll("absence").entries()) {
      const [when = "", reason, incident, ...extra] = text.split(",");
      const [date, lastDate] = when.split("/");
      const row = addRow({ date, last_date: lastDate, reason, incident: incident === undefined ? undefined : decodeName(incident) });
      addressDate(row.querySelector('[data-name="date"]'), date, problems);
      addressDate(row.querySelector('[data-name="last_date"]'), lastDate, problems);
      if (extra.length) {
        problems.push({ field: `absences[${index}].incident`, message: fill(words.wordExtraParts, { n: index + 1, text: text.length > 60 ? `${text.slice(0, 60)}…` : text }) });
      } else if (reason && !reasonIds.has(reason)) {
        problems.push({ field: `absences[${index}].reason`, message: fill(words.wordUnknownReason, { reason }) });
      }
    }
    if (!list.children.length) addRow();
    showNeeds();
    // In form order: the absences, then the calendar.
    return [...problems, ...calendarProblems];
  }

  function nextSteps() {
    const steps = root.querySelector("template[data-next-steps]");
    return steps ? steps.content.cloneNode(true).firstElementChild : null;
  }

  function daysTable(result, w) {
    const headers = [w.date, w.reason, w.excused, w.counted_in];
    return el(
      "div",
      { class: "calc-table-wrap" },
      el(
        "table",
        { class: "calc-table calc-cards calc-days" },
        el("caption", {}, w.table_caption),
        el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          result.absences.map((a) =>
            el(
              "tr",
              { "data-date": a.date, class: a.excused ? "calc-not-chronic" : "calc-chronic" },
              el("th", { scope: "row" }, el("span", { class: "calc-date" }, a.date_text)),
              el("td", { "data-label": headers[1] }, a.reason_name),
              el("td", { "data-label": headers[2] }, el("strong", {}, a.status_text)),
              el("td", { "data-label": headers[3] }, a.counted_in || w.no_max),
            ),
          ),
        ),
      ),
    );
  }

  function render(input, result, address) {
    const a = result.answer;
    const w = a.words;
    const inputs = a.entries.map((entry, i) => [fill(w.inputs_absence, { n: i + 1 }), entry.incident ? `${entry.text} · ${entry.incident}` : entry.text]);
    const c = input.calendar;
    // Every calendar date given, named by its label (without "(optional)"), written as a family reads it.
    const label = (name) => form.querySelector(`label[for="${form.elements.namedItem(name).id}"]`).textContent.replace(/\s*\(.*\)\s*$/, "");
    const given = CALENDAR.filter((name) => c[name]).map((name) => `${label(`calendar.${name}`)}: ${dateText(c[name], words.lang)}`);
    if (c.non_school_days) given.push(`${holidays.closest("fieldset").querySelector("legend").textContent}: ${c.non_school_days.map((d) => dateText(d, words.lang)).join(", ")}`);
    if (c.winter_break) for (const name of WINTER) given.push(`${label(`calendar.${name}`)}: ${dateText(c.winter_break[name.split(".")[1]], words.lang)}`);
    if (given.length) inputs.push([w.inputs_calendar, given.join("; ")]);
    return [
      printSummary(root, inputs, address, { lang: words.lang, calculatedOn: words.wordCalculatedOn, thisAnswer: words.wordThisAnswer }),
      el(
        "div",
        { class: "calc-answer" },
        el("h2", { id: "result", tabindex: "-1", class: "calc-verdict" }, a.headline),
        el("ul", { class: "calc-entries" }, a.entries.map((entry) => el("li", {}, entry.incident ? [el("strong", {}, entry.incident), ` · ${entry.text}`] : entry.text))),
        a.notes.length ? el("ul", { class: "calc-notes" }, a.notes.map((note) => el("li", {}, note))) : null,
      ),
      maxSquares(a.maxes, w),
      nextSteps(),
      el("h3", { class: "calc-details-heading" }, w.details),
      daysTable(result, w),
      whyList(result.reasons, w.why),
    ];
  }

  async function run(input, { reveal = false } = {}) {
    clearErrors(form);
    const unfinished = unfinishedDates();
    const response = await calculate("excused", { calendar: input.calendar, absences: input.absences });
    if (!response.ok || unfinished.length) {
      showResult(region);
      // Python names the absences it was sent; blank rows were left out, so map back to the form's rows.
      const errors = (response.ok ? [] : response.errors || [response.error]).map((error) => {
        const match = /^absences\[(\d+)\](.*)$/.exec(error.field || "");
        return match && input.rows[Number(match[1])] !== undefined ? { ...error, field: `absences[${input.rows[Number(match[1])]}]${match[2]}` } : error;
      });
      // A half-typed date is the problem with its field, whatever Python made of the empty value.
      const mine = new Set(unfinished.map((error) => error.field));
      const all = [...errors.filter((error) => !mine.has(error.field)), ...unfinished];
      // Every problem in the order of the form's fields (those with no field last, as given).
      const place = (error) => fieldFor(form, error.field).field;
      all.sort((a, b) => {
        const [x, y] = [place(a), place(b)];
        if (!x || !y) return !x && !y ? 0 : x ? -1 : 1;
        return x === y ? 0 : x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      });
      showErrors(form, all);
      return;
    }
    const address = addressFor(toAddress(input)).href;
    showResult(region, ...render(input, response.result, address), copyLinkButton(() => address, {
      copy: words.wordCopy, copied: words.wordCopied, copyThis: words.wordCopyThis, print: words.wordPrint,
    }));
    // A pre-filled link opens with the answer in view, not at the top of the page.
    if (reveal) region.querySelector("#result")?.scrollIntoView({ block: "start" });
  }

  form.querySelector("[data-add-absence]").addEventListener("click", () => addRow().querySelector("select").focus());
  form.querySelector("[data-add-holiday]").addEventListener("click", () => addHoliday().querySelector("input").focus());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = readForm();
    keepInAddress(toAddress(input));
    shownSearch = location.search;
    run(input, { reveal: true });
  });

  // The inputs shown are those of this query; a link within the page (the error summary's) changes
  // only the fragment, and must not fill the form again under the reader's cursor.
  let shownSearch = null;
  function fromLocation() {
    if (location.search === shownSearch) return;
    shownSearch = location.search;
    const params = new URLSearchParams(location.search);
    const problems = fromAddress(params);
    if (problems.length) {
      clearErrors(form);
      showResult(region);
      showErrors(form, problems);
    } else if (CALENDAR.some((name) => params.has(name)) || params.has("absence")) run(readForm(), { reveal: true });
    else {
      clearErrors(form);
      showResult(region);
    }
  }
  fromLocation();
  return { onAddressChange: fromLocation };
}
