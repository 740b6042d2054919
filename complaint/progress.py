"""Which answers each step still needs: drives the step list's marks and the "still missing" hints."""

from __future__ import annotations

from .catalog import load_catalog
from .model import STEPS, Case

NOT_STARTED, STARTED, DONE = "todo", "started", "done"


def missing_answers(case: Case, step: str) -> list[str]:
    """Field keys the step still needs for a complaint a company can act on, in display order."""
    missing: list[str] = []
    if step == "problem":
        if not case.problem:
            missing.append("problem")
        elif case.problem == "other" and not case.problem_other:
            missing.append("problem_other")
    elif step == "facts":
        if not case.provider:
            missing.append("provider")
        elif case.provider == "other" and not case.provider_other:
            missing.append("provider_other")
        if case.event_date is None:
            missing.append("event_date")
        if not case.description:
            missing.append("description")
    elif step == "goal":
        if not case.goal:
            missing.append("goal")
        elif case.goal == "other" and not case.goal_other:
            missing.append("goal_other")
    elif step == "evidence":  # every item of the checklist answered: have / still need / n.a.
        for item in load_catalog().evidence_for(case.problem):
            state = case.evidence.get(item.id)
            if state is None or not state.status:
                missing.append(f"evidence.{item.id}")
    elif step == "contacts":
        if not case.contacts:
            missing.append("contacts")
    elif step == "security":  # the password check is optional; the questions and quiz are not
        from .audit import load_security

        content = load_security()
        missing += [f"audit.{q.id}" for q in content.questions if not case.audit.answers.get(q.id)]
        missing += [f"audit.phishing.{e.id}" for e in content.phishing if not case.audit.phishing.get(e.id)]
    elif step == "escalation":  # the plan's dates count from the first contact with the company
        from .escalation import company_contacts

        if not company_contacts(case):  # what the plan's first_contact is taken from
            missing.append("contacts")
    elif step == "statement":  # a statement needs at least the problem and the demand
        missing += missing_answers(case, "problem") + missing_answers(case, "goal")
    elif step == "review":
        missing += [f"step.{other}" for other in STEPS if other != "review" and missing_answers(case, other)]
    else:
        raise ValueError(f"unknown step {step!r}")
    return missing


_STEP_FIELDS = {
    "problem": ("problem", "problem_other"),
    "facts": ("provider", "provider_other", "event_date", "amount", "transaction_id", "account_last4", "description"),
    "goal": ("goal", "goal_other", "goal_details"),
}


def step_status(case: Case, step: str) -> str:
    if not missing_answers(case, step):
        return DONE
    if step == "evidence":
        answered = any(not state.is_empty() for state in case.evidence.values())
    elif step == "contacts":
        answered = bool(case.channels_tried)
    elif step == "security":
        answered = not case.audit.is_empty()
    elif step == "escalation":
        answered = not case.escalation.is_empty()
    elif step == "statement":
        answered = bool(case.statement_company or case.statement_regulator)
    elif step == "review":
        answered = any(step_status(case, other) != NOT_STARTED for other in STEPS if other != "review")
    else:
        answered = any(getattr(case, name) not in ("", None) for name in _STEP_FIELDS[step])
    return STARTED if answered else NOT_STARTED
