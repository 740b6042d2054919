"""Practice scenarios: every one builds a valid case in both languages, dated relative to today."""

from datetime import date

import pytest

from complaint.catalog import load_catalog
from complaint.escalation import plan
from complaint.model import Case
from complaint.scenarios import fill_case, scenarios
from complaint.sheet import read_sheet, write_sheet

TODAY = date(2026, 11, 25)
ARTICLE_PROBLEMS = {
    "funds_not_arriving",
    "account_locked",
    "slow_service",
    "privacy_security",
    "false_advertising",
}


def test_at_least_six_scenarios_cover_the_five_problems():
    assert len(scenarios()) >= 6
    assert {s.data["problem"] for s in scenarios().values()} >= ARTICLE_PROBLEMS


@pytest.mark.parametrize("scenario_id", sorted(scenarios()))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_scenario_builds_a_valid_case_that_round_trips(scenario_id, language):
    case = fill_case(Case(language=language), scenario_id, TODAY)
    catalog = load_catalog()
    assert case.practice == scenario_id and case.description and case.event_date < TODAY
    assert (
        case.problem in catalog.ids("problems")
        and case.goal in catalog.ids("goals")
        and case.provider in catalog.ids("providers")
    )
    assert set(case.evidence) <= set(catalog.ids("evidence"))
    for contact in case.contacts:
        assert contact.channel in catalog.ids("contact_channels") and contact.outcome in (
            "",
            *catalog.ids("contact_outcomes"),
        )
        assert contact.when.date() <= TODAY
    answers = read_sheet(write_sheet(case))
    answers.pop("case_id")
    assert (
        Case(code=case.code, **answers) == case
    )  # everything a scenario fills in is a valid answer
    plan(case, TODAY)  # and the escalation plan can be worked out from it


def test_scenario_dates_move_with_today():
    scenario_id = next(iter(scenarios()))
    earlier, later = (
        fill_case(Case(), scenario_id, date(2026, 1, 10)),
        fill_case(Case(), scenario_id, date(2026, 3, 10)),
    )
    assert (later.event_date - earlier.event_date).days == 59


def test_the_sheet_marks_a_practice_case():
    scenario_id = next(iter(scenarios()))
    case = fill_case(Case(language="en"), scenario_id, TODAY)
    rows = write_sheet(case).decode("utf-8-sig")
    assert f"practice,Practice scenario,{scenario_id},Practice (fictional):" in rows
    assert "practice,Practice scenario,," in write_sheet(Case(language="en")).decode("utf-8-sig")
