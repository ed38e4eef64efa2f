// Withdrawal page: one question at a time, then a printable checklist. The questions, their order
// and the outcome of each answer are data (policy_data/rules/withdrawal.yaml, sent by Python with
// {"flow": true}); the checklist is Python's answer for the situation reached. Answers live in the
// address (?died=no&other_school=lausd), one history entry per answer, so the back button works.
import { calculate, clearErrors, copyLinkButton, el, printSummary, showError, showResult, sourceLink, whyList } from "./calc-common.mjs";

function withParams(pairs) {
  const url = new URL(location.href);
  url.search = new URLSearchParams(pairs).toString();
  url.hash = "";
  return url;
}

export function init(root) {
  const form = root.querySelector("[data-question-form]");
  const slot = form.querySelector("[data-question]");
  const region = root.querySelector("[data-calc-result]");
  let flow = null;
  let answered = []; // [[question id, answer id], ...] as read from the address

  const questionText = (id) => flow.wording.questions[id]?.text ?? id;
  const answerText = (id) => flow.wording.answers[id] ?? id;
  const question = (id) => flow.flow.questions.find((q) => q.id === id);

  /** Follow the answers in the address: the question to ask next, or the outcome reached. */
  function walk(params) {
    answered = [];
    if (params.has("situation")) {
      return { outcome: { situation: params.get("situation"), due_diligence_documented: params.get("due_diligence_documented") === "yes" } };
    }
    let q = question(flow.flow.start);
    while (q) {
      const given = params.get(q.id);
      if (given === null) return { ask: q };
      const answer = q.answers.find((a) => a.id === given);
      if (!answer) return { ask: q, invalid: given };
      answered.push([q.id, given]);
      if (answer.situation) return { outcome: { situation: answer.situation, due_diligence_documented: Boolean(answer.answers?.due_diligence_documented) } };
      q = question(answer.next);
    }
    return { ask: question(flow.flow.start) };
  }

  function answersList() {
    if (!answered.length) return null;
    return el(
      "section",
      { class: "calc-answers" },
      el("h3", {}, "Your answers"),
      el(
        "ol",
        {},
        answered.map(([q, a], index) =>
          el(
            "li",
            {},
            `${questionText(q)} `,
            el("strong", {}, answerText(a)),
            " ",
            el("a", { href: withParams(answered.slice(0, index)).href, "data-example": true, class: "calc-no-print" }, "Change", el("span", { class: "calc-visually-hidden" }, ` the answer to “${questionText(q)}”`)),
          ),
        ),
      ),
    );
  }

  function ask(q, invalid) {
    form.hidden = false;
    clearErrors(form);
    const number = answered.length + 1;
    const name = `answer-${q.id}`;
    slot.replaceChildren(
      el("h2", { id: "question", tabindex: "-1" }, `Question ${number}`),
      el(
        "fieldset",
        { "aria-describedby": `${name}-error` },
        el("legend", {}, questionText(q.id)),
        q.answers.map((a) =>
          el("label", { class: "calc-option" }, el("input", { type: "radio", name: "answer", value: a.id }), " ", answerText(a.id)),
        ),
        el("span", { class: "calc-error", id: `${name}-error`, "data-error-for": "answer", hidden: true }),
      ),
    );
    showResult(region, answersList());
    if (invalid !== undefined) {
      showError(form, { field: "answer", message: `The address gives “${invalid}”, which is not one of the answers: choose one.` });
    }
  }

  async function outcome(input) {
    form.hidden = true;
    slot.replaceChildren();
    const response = await calculate("withdrawal", input);
    if (!response.ok) {
      form.hidden = false;
      ask(question(flow.flow.start));
      showError(form, { field: "answer", message: `${response.error.message} Start again with the first question.` });
      return;
    }
    const r = response.result;
    const checklist = (items, label) =>
      el(
        "ul",
        { class: "calc-checklist" },
        items.map((item, index) => {
          const id = `${label}-${index}`;
          return el("li", {}, el("input", { type: "checkbox", id }), " ", el("label", { for: id }, item.text), " ", item.source ? el("span", { class: "calc-why-source" }, "(", item.source, ")") : null);
        }),
      );
    showResult(
      region,
      printSummary(root, answered.length ? answered.map(([q, a]) => [questionText(q), answerText(a)]) : [["Situation", r.situation_name]]),
      el("h2", { id: "result", tabindex: "-1" }, `Checklist: ${r.situation_name}`),
      el("p", { class: "calc-verdict", "data-withdraw": String(r.withdraw) }, r.withdraw ? "The student may be withdrawn." : "Do not withdraw the student now."),
      el("h3", {}, "Supporting documents"),
      r.document_details.length
        ? checklist(r.document_details.map((d) => ({ text: d.name, source: sourceLink(d.source) })), "document")
        : el("p", {}, "No supporting document is listed for this situation."),
      el("h3", {}, "Due diligence and other steps"),
      checklist(r.due_diligence.map((s) => ({ text: s.summary, source: sourceLink(s.source) })), "step"),
      // Steps for later are not steps now: listed apart, without a box to tick.
      r.once_allowed && r.once_allowed.length
        ? el(
            "section",
            { class: "calc-later", "data-once-allowed": "" },
            el("h3", {}, "Later, once all due diligence efforts are exhausted and documented in MiSiS"),
            el("ul", {}, r.once_allowed.map((s) => el("li", {}, s.summary, " ", el("span", { class: "calc-why-source" }, "(", sourceLink(s.source), ")")))),
          )
        : null,
      answersList(),
      whyList(r.reasons),
      copyLinkButton(() => location.href),
      el("p", { class: "calc-no-print" }, el("a", { href: withParams([]).href, "data-example": true }, "Start again")),
    );
  }

  async function show({ focus = false } = {}) {
    const step = walk(new URLSearchParams(location.search));
    if (step.outcome) await outcome(step.outcome);
    else ask(step.ask, step.invalid);
    if (focus) root.querySelector("#result, #question")?.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = form.querySelector('input[name="answer"]:checked');
    if (!chosen) {
      showError(form, { field: "answer", message: "Choose one of the answers, then select Next." });
      form.querySelector('input[name="answer"]').focus();
      return;
    }
    const step = walk(new URLSearchParams(location.search));
    history.pushState(history.state, "", withParams([...answered, [step.ask.id, chosen.value]]));
    show({ focus: true });
  });

  form.hidden = true;
  calculate("withdrawal", { flow: true }).then((response) => {
    flow = response.result;
    show();
  });
  return { onAddressChange: () => flow && show({ focus: true }) };
}
