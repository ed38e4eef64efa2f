// Withdrawal page: one question at a time, then a printable checklist. Python walks the flow
// (calculators/withdrawal.py): the page sends the answers in the address and renders what comes
// back, the next question or the checklist, every word included. Answers live in the address
// (?died=no&other_school=lausd), one history entry per answer, so the back button works;
// `change=<question>` asks that question again with the earlier answer selected. The page's own
// words come from the wording (`withdrawal.page`, data-words) in the page's language (issue 14).
import { calculate, clearErrors, copyLinkButton, el, printSummary, showError, showResult, sourceLink, t, whyList } from "./calc-common.mjs";

const OUTCOME_KEYS = ["situation", "due_diligence_documented"];

function withParams(pairs) {
  const url = new URL(location.href);
  url.search = new URLSearchParams(pairs).toString();
  url.hash = "";
  return url;
}

/** The address as Python's input: the checklist of a situation, or the answers given so far. */
function inputFrom(params) {
  if (params.has("situation")) {
    return { situation: params.get("situation"), due_diligence_documented: params.get("due_diligence_documented") === "yes" };
  }
  const answers = {};
  for (const [key, value] of params) if (key !== "change" && !OUTCOME_KEYS.includes(key)) answers[key] = value;
  const input = { answers };
  if (params.has("change")) input.change = params.get("change");
  return input;
}

export function init(root) {
  const form = root.querySelector("[data-question-form]");
  const slot = form.querySelector("[data-question]");
  const region = root.querySelector("[data-calc-result]");
  let step = null; // Python's last answer

  const pairs = (answered) => answered.map((a) => [a.question, a.answer]);

  function answersList(answered) {
    if (!answered.length) return null;
    return el(
      "section",
      { class: "calc-answers" },
      el("h3", {}, t("your_answers", "Your answers")),
      el(
        "ol",
        {},
        answered.map((a, index) =>
          el(
            "li",
            {},
            `${a.question_text} `,
            el("strong", {}, a.answer_text),
            " ",
            // Back to this question with every answer kept, so the earlier one is selected.
            el("a", { href: withParams([...pairs(answered), ["change", a.question]]).href, "data-example": true, class: "calc-no-print calc-change" }, t("change", "Change"), el("span", { class: "calc-visually-hidden" }, t("change_hidden", " the answer to “{question}”", { question: a.question_text }))),
          ),
        ),
      ),
    );
  }

  function ask(result) {
    const q = result.question;
    form.hidden = false;
    clearErrors(form);
    slot.replaceChildren(
      el("h2", { id: "question", tabindex: "-1" }, q.heading),
      el(
        "fieldset",
        { "aria-describedby": `answer-${q.id}-error` },
        el("legend", {}, q.text),
        q.answers.map((a) =>
          el("label", { class: "calc-option" }, el("input", { type: "radio", name: "answer", value: a.id, checked: a.id === q.selected }), el("span", {}, a.text)),
        ),
        el("span", { class: "calc-error", id: `answer-${q.id}-error`, "data-error-for": "answer", hidden: true }),
      ),
    );
    showResult(region, answersList(result.answered));
    if (q.error) showError(form, { field: "answer", message: q.error });
  }

  function outcome(r) {
    form.hidden = true;
    slot.replaceChildren();
    const checklist = (items, label) =>
      el(
        "ul",
        { class: "calc-checklist" },
        items.map((item, index) => {
          const id = `${label}-${index}`;
          return el("li", {}, el("label", {}, el("input", { type: "checkbox", id }), el("span", {}, item.text)), el("span", { class: "calc-why-source" }, "(", sourceLink(item.source), ")"));
        }),
      );
    showResult(
      region,
      printSummary(root, r.answered.length ? r.answered.map((a) => [a.question_text, a.answer_text]) : [[t("situation", "Situation"), r.situation_name]]),
      el("h2", { id: "result", tabindex: "-1" }, t("checklist", "Checklist: {situation}", { situation: r.situation_name })),
      el("p", { class: "calc-verdict", "data-withdraw": String(r.withdraw) }, r.verdict),
      el("h3", {}, t("documents", "Supporting documents")),
      r.document_details.length ? checklist(r.document_details.map((d) => ({ text: d.name, source: d.source })), "document") : null,
      el("p", { class: r.document_details.length ? "calc-hint" : null }, r.documents_note),
      el("h3", {}, t("steps", "Due diligence and other steps")),
      checklist(r.due_diligence.map((s) => ({ text: s.summary, source: s.source })), "step"),
      // Steps for later are not steps now: listed apart, without a box to tick.
      r.once_allowed && r.once_allowed.length
        ? el(
            "section",
            { class: "calc-later", "data-once-allowed": "" },
            el("h3", {}, t("later", "Later, once all due diligence efforts are exhausted and documented in MiSiS")),
            el("ul", {}, r.once_allowed.map((s) => el("li", {}, s.summary, " ", el("span", { class: "calc-why-source" }, "(", sourceLink(s.source), ")")))),
          )
        : null,
      answersList(r.answered),
      whyList(r.reasons),
      copyLinkButton(() => location.href),
      el("p", { class: "calc-no-print" }, el("a", { href: withParams([]).href, "data-example": true }, t("start_again", "Start again"))),
    );
  }

  async function show({ focus = false, reveal = false } = {}) {
    const response = await calculate("withdrawal", inputFrom(new URLSearchParams(location.search)));
    if (!response.ok) {
      // Only an address Python cannot read gets here (an unknown situation): start again.
      const first = await calculate("withdrawal", { answers: {} });
      step = first.result;
      ask(step);
      showError(form, { field: "answer", message: t("start_again_error", "{error} Start again with the first question.", { error: response.error.message }) });
      return;
    }
    step = response.result;
    if (step.step === "outcome") outcome(step);
    else ask(step);
    if (focus) root.querySelector("#result, #question")?.focus();
    // A pre-filled link opens with its checklist (or its question) in view, not at the top of the page.
    else if (reveal) root.querySelector("#result, #question")?.scrollIntoView({ block: "start" });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = form.querySelector('input[name="answer"]:checked');
    if (!chosen) {
      showError(form, { field: "answer", message: t("choose", "Choose one of the answers, then select Next.") });
      form.querySelector('input[name="answer"]').focus();
      return;
    }
    // The answers before this question, then this one: a changed answer may lead elsewhere.
    history.pushState(history.state, "", withParams([...pairs(step.answered), [step.question.id, chosen.value]]));
    show({ focus: true });
  });

  form.hidden = true;
  show({ reveal: location.search.length > 1 });
  return { onAddressChange: () => show({ focus: true }) };
}
