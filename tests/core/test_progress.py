from datetime import date

import pytest

from complaint.model import Case
from complaint.progress import DONE, NOT_STARTED, STARTED, missing_answers, step_marks, step_status
from complaint.steps import work_step_ids


def test_a_new_case_has_every_step_to_do():
    case = Case()
    assert step_marks(case) == dict.fromkeys(work_step_ids(), NOT_STARTED)


def test_problem_step():
    case = Case(problem="other")
    assert missing_answers(case, "problem") == ["problem_other"]
    assert step_status(case, "problem") == STARTED
    case.problem_other = "Auto-renewal without notice"
    assert step_status(case, "problem") == DONE


def test_facts_step_needs_provider_date_and_description():
    case = Case(transaction_id="T1")
    assert step_status(case, "facts") == STARTED
    assert missing_answers(case, "facts") == ["provider", "event_date", "description"]
    case.provider, case.event_date, case.description = (
        "alipay",
        date(2026, 11, 1),
        "It did not arrive.",
    )
    assert step_status(case, "facts") == DONE


def test_goal_step():
    assert step_status(Case(goal="refund"), "goal") == DONE
    assert missing_answers(Case(goal="other"), "goal") == ["goal_other"]


def test_unknown_step_is_a_programming_error():
    with pytest.raises(ValueError):
        missing_answers(Case(), "nope")


def test_a_step_is_complete_only_once_it_was_answered_itself():
    """The statement is made from the problem and the goal, the escalation plan from the contact
    log: filling those in does not complete steps the user never touched."""
    from datetime import datetime

    from complaint.model import Contact

    case = Case(
        problem="funds_not_arriving",
        goal="refund",
        contacts=[Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat")],
    )
    marks = step_marks(case)
    assert marks["problem"] == marks["goal"] == marks["contacts"] == DONE
    assert marks["statement"] == NOT_STARTED and marks["escalation"] == NOT_STARTED
    case.statement_company = "My own words."
    case.escalation.your_name = "Li Lei"
    assert step_marks(case)["statement"] == DONE and step_marks(case)["escalation"] == DONE
    case.problem = ""
    assert step_marks(case)["statement"] == STARTED  # edited, but a statement needs the problem


def test_the_review_has_no_mark_of_its_own():
    case = Case(problem="funds_not_arriving")
    assert "review" not in step_marks(case)
    with pytest.raises(ValueError):
        step_status(case, "review")


def test_choosing_another_jurisdiction_starts_the_escalation_step():
    case = Case()
    case.escalation.jurisdiction = "us"
    assert step_status(case, "escalation") == STARTED  # the plan still counts from a first contact
