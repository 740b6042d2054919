"""The channel guide's opening lines, filled in from the case."""

from __future__ import annotations

import string

from .i18n import Translator
from .model import Case
from .presentation import choice_text, long_date, written_amount

_FIELD_NAMES = {
    "provider": "field.provider",
    "date": "field.event_date",
    "amount": "field.amount",
    "transaction_id": "field.transaction_id",
    "problem": "field.problem",
    "goal": "field.goal",
}


def opening_line(template: str, case: Case, t: Translator) -> str:
    """``template`` with {provider} {date} {amount} {transaction_id} {problem} {goal} taken from
    the case; an answer not given yet shows as 【its name】 so the user sees what to fill in."""

    provider = choice_text("providers", case.provider, case.provider_other, t.language)
    problem = choice_text("problems", case.problem, case.problem_other, t.language)
    goal = choice_text("goals", case.goal, case.goal_other, t.language)
    values = {
        "provider": provider,
        "date": long_date(case.event_date, t.language) if case.event_date else "",
        "amount": written_amount(case, t.language),
        "transaction_id": case.transaction_id,
        "problem": problem,
        "goal": goal,
    }
    filled = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        filled.append(literal)
        if name is not None:
            value = values.get(name, "")
            filled.append(
                value or t("channels.blank", name=t(_FIELD_NAMES.get(name, "common.choose")))
            )
    return "".join(filled)
