"""Step marks from the case, by one rule, for the step list, the progress line, the review and the
trainer's table: a step is complete once the user has answered in it and nothing it needs is
missing; started once they have answered anything in it; not started otherwise. (A step is never
"complete" only because other steps filled in what it is made from.)"""

from __future__ import annotations

from .i18n import Translator
from .model import Case
from .steps import spec_for, steps

NOT_STARTED, STARTED, DONE = "todo", "started", "done"


def missing_answers(case: Case, step: str) -> list[str]:
    """Field keys the step still needs for a complaint a company can act on, in display order."""
    return spec_for(step).missing(case)


def missing_text(case: Case, step: str, t: Translator) -> str:
    """What the step still needs, in words ("" when nothing)."""
    return spec_for(step).missing_text(case, t)


def step_status(case: Case, step: str) -> str:
    """NOT_STARTED / STARTED / DONE; raises ValueError for a step without a mark (the review)."""
    spec = spec_for(step)
    if spec.started is None:
        raise ValueError(f"step {step!r} has no answers of its own, so no mark")
    if not spec.started(case):
        return NOT_STARTED
    return STARTED if spec.missing(case) else DONE


def step_marks(case: Case) -> dict[str, str]:
    """Each marked step's status, in the steps' order."""
    return {spec.id: step_status(case, spec.id) for spec in steps() if spec.marked}
