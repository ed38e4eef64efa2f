"""Withdrawal situations: documents as the bulletin spells them, readings for every mapping, the flow."""
from __future__ import annotations

from pathlib import Path

import pytest

from calculators import rules, withdrawal
from calculators.errors import InputError

SPELLED = {"Records Request", "California Private School Affidavit", "Not Attending, No Show, Not Enrolled Letter", "Obituary or Death Notice"}


@pytest.mark.parametrize(
    ("situation", "withdraw", "documents"),
    [
        ("transfer_lausd", True, []),
        ("transfer_outside_lausd", True, ["Records Request"]),
        ("private_school_affidavit", True, ["California Private School Affidavit"]),
        ("no_show", False, ["Not Attending, No Show, Not Enrolled Letter"]),
        ("whereabouts_unknown", False, ["Not Attending, No Show, Not Enrolled Letter"]),
        ("located_not_attending", False, []),
        ("death", True, ["Obituary or Death Notice"]),
    ],
)
def test_each_situation_says_whether_to_withdraw_and_which_documents(situation: str, withdraw: bool, documents: list[str]) -> None:
    result = withdrawal.calculate(situation)
    assert result["withdraw"] is withdraw and result["documents"] == documents
    # Which document goes with which situation is our reading, never bulletin text.
    assert any(r["source"]["kind"] == "reading" and r["rule"] == "documents" for r in result["reasons"])
    assert all(d["reading"] and d["why"] for d in result["document_details"])
    assert result["due_diligence"] and result["sections"]


def test_documents_are_spelled_as_in_the_bulletin() -> None:
    source = (Path(__file__).resolve().parents[2] / "policy_data" / "source" / "BUL-4926.4.ocr.txt").read_text(encoding="utf-8")
    names = {d["name"] for d in rules.section("withdrawal")["documents"]}
    assert names == SPELLED
    assert all(name in source for name in names)


def test_due_diligence_gates_withdrawal() -> None:
    assert withdrawal.calculate("whereabouts_unknown", due_diligence_documented=True)["withdraw"] is True
    assert withdrawal.calculate("located_not_attending", due_diligence_documented=True)["withdraw"] is False


def test_flow_reaches_every_situation_and_ends() -> None:
    flow = withdrawal.flow()
    questions = {q["id"]: q for q in flow["flow"]["questions"]}
    reached: set[str] = set()
    seen: set[str] = set()
    todo = [flow["flow"]["start"]]
    while todo:
        current = todo.pop()
        assert current not in seen, "the flow loops"
        seen.add(current)
        assert current in flow["wording"]["questions"]
        for answer in questions[current]["answers"]:
            assert answer["id"] in flow["wording"]["answers"]
            if "next" in answer:
                todo.append(answer["next"])
            else:
                reached.add(answer["situation"])
                withdrawal.from_input({"situation": answer["situation"], **answer.get("answers", {})})
    assert seen == set(questions)
    assert reached == set(withdrawal.situations())


@pytest.mark.parametrize(
    ("data", "field"),
    [({"situation": "moved"}, "situation"), ({}, "situation"), ({"situation": "death", "due_diligence_documented": "yes"}, "due_diligence_documented"), ({"situation": "death", "x": 1}, "x")],
)
def test_a_bad_answer_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        withdrawal.from_input(data)
    assert caught.value.field == field


@pytest.mark.parametrize("situation", ["no_show", "whereabouts_unknown"])
def test_a_step_for_once_withdrawal_is_allowed_is_not_a_step_now(situation: str) -> None:
    """"Do not withdraw the student now" never comes with "Enter the withdrawal record" as a step."""
    now = withdrawal.calculate(situation)
    assert now["withdraw"] is False
    assert "enter_withdrawal" not in [s["id"] for s in now["due_diligence"]]
    assert "enter_withdrawal" in [s["id"] for s in now["once_allowed"]]
    later = withdrawal.calculate(situation, due_diligence_documented=True)
    assert later["withdraw"] is True and later["once_allowed"] == []
    assert [s["id"] for s in later["due_diligence"]][-1] == "enter_withdrawal"


def ask(answers: dict[str, str], change: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {"answers": answers}
    if change:
        data["change"] = change
    return withdrawal.from_input(data)


def assert_next_question(question: str, for_answers: dict[str, str]) -> None:
    step = ask(for_answers)
    assert step["step"] == "question" and step["question"]["id"] == question, step  # type: ignore[index]


def test_the_flow_node_by_node() -> None:
    assert_next_question("died", {})
    assert_next_question("other_school", {"died": "no"})
    assert_next_question("ever_attended", {"died": "no", "other_school": "none_known"})
    assert_next_question("located", {"died": "no", "other_school": "none_known", "ever_attended": "yes"})
    assert_next_question("unknown_due_diligence", {"died": "no", "other_school": "none_known", "ever_attended": "yes", "located": "no"})
    assert ask({"died": "yes"})["situation"] == "death"
    assert ask({"died": "no", "other_school": "lausd"})["situation"] == "transfer_lausd"
    done = ask({"died": "no", "other_school": "none_known", "ever_attended": "no", "no_show_due_diligence": "yes"})
    assert (done["situation"], done["withdraw"], done["verdict"]) == ("no_show", True, "The student may be withdrawn.")
    assert [a["answer_text"] for a in done["answered"]] == ["No", "No, or not known", "No", "Yes"]  # type: ignore[union-attr]


def test_answers_off_the_path_are_ignored_and_a_bad_answer_is_asked_again() -> None:
    assert ask({"died": "yes", "located": "no"})["situation"] == "death"
    step = ask({"died": "no", "other_school": "maybe"})
    assert step["question"]["id"] == "other_school"  # type: ignore[index]
    assert "“maybe”" in step["question"]["error"]  # type: ignore[index]


def test_change_asks_the_question_again_with_the_earlier_answer_selected() -> None:
    step = ask({"died": "no", "other_school": "lausd"}, change="other_school")
    assert step["question"]["id"] == "other_school" and step["question"]["selected"] == "lausd"  # type: ignore[index]
    assert [a["question"] for a in step["answered"]] == ["died"]  # type: ignore[union-attr]


def test_words_come_from_the_wording_not_the_code() -> None:
    """Outcome sentences live in policy_data/wording/, with the flow's questions and answers."""
    source = Path(withdrawal.__file__).read_text(encoding="utf-8")
    for sentence in ("may be withdrawn", "should not be withdrawn", "Manual section 12.2", "enrolling school withdraws"):
        assert sentence not in source
