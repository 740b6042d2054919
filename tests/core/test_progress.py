from datetime import date

import pytest

from complaint.model import STEPS, Case
from complaint.progress import DONE, STARTED, NOT_STARTED, missing_answers, step_status


def test_a_new_case_has_every_step_to_do():
    case = Case()
    assert {step: step_status(case, step) for step in STEPS} == dict.fromkeys(STEPS, NOT_STARTED)


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
    case.provider, case.event_date, case.description = "alipay", date(2026, 11, 1), "It did not arrive."
    assert step_status(case, "facts") == DONE


def test_goal_step():
    assert step_status(Case(goal="refund"), "goal") == DONE
    assert missing_answers(Case(goal="other"), "goal") == ["goal_other"]


def test_unknown_step_is_a_programming_error():
    with pytest.raises(ValueError):
        missing_answers(Case(), "nope")
