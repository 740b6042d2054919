"""The step registry: one table that the step order, the marks and what is missing come from."""

import pytest

from complaint.i18n import Translator
from complaint.model import Case
from complaint.progress import DONE, NOT_STARTED, STARTED, missing_text, step_marks
from complaint.steps import (
    StepSpec,
    register_step,
    spec_for,
    step_ids,
    unregister_step,
    work_step_ids,
)


def test_the_workbook_steps_in_order():
    assert step_ids() == (
        "problem",
        "facts",
        "goal",
        "evidence",
        "contacts",
        "security",
        "escalation",
        "statement",
        "review",
    )
    assert work_step_ids() == step_ids()[:-1]
    assert all(spec_for(step).view.startswith("widgets.") for step in step_ids())


def test_a_registered_step_takes_its_place_in_the_order_and_the_marks():
    spec = StepSpec("trial", "tests.widgets.test_steps:TrialStep", lambda case: [] if case.participant_label else ["participant"],
                    lambda case: bool(case.participant_label))  # fmt: skip
    register_step(spec, before="review")
    try:
        assert step_ids()[-2:] == ("trial", "review")
        assert step_marks(Case())["trial"] == NOT_STARTED
        assert step_marks(Case(participant_label="Seat 4"))["trial"] == DONE
        with pytest.raises(ValueError):
            register_step(spec)
    finally:
        unregister_step("trial")
    assert "trial" not in step_ids()


def test_missing_answers_in_words():
    en = Translator("en")
    case = Case(provider="other")
    assert missing_text(case, "facts", en) == "provider's name, date, what happened"
    case.problem = "funds_not_arriving"
    assert missing_text(case, "evidence", en).endswith(
        "evidence items unmarked"
    )  # a long checklist: counted
    assert missing_text(case, "security", Translator("zh")).endswith("个安全问题或测验未回答")
    assert step_marks(case)["facts"] == STARTED
