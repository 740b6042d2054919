"""The step registry: the workbook's steps, in order, each with what it needs and what counts as begun.

Everything that lists steps reads this one table: the case model's step order, the progress
marks (complaint/progress.py), the app's step list and views (widgets/app.py), the review and the
trainer's table. Adding a step is one ``register_step`` entry, its view and its data
(docs/adding-a-step.md). The table is kernel-free: a step's view is named by an import path
("module:Class") that only widgets/ resolves, and only when someone opens the step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .audit import load_security
from .catalog import load_catalog
from .escalation import company_contacts
from .i18n import Translator
from .model import Case, Escalation


@dataclass(frozen=True)
class StepSpec:
    """One step of the workbook.

    ``missing(case)``: keys of the answers the step still needs (shown as ``missing.<key>``).
    ``started(case)``: whether the user has answered anything in this step itself; ``None`` for a
    step that has no answers of its own (the review): it is never marked.
    ``summary(case, t)``: what is missing, in words (review, Next); by default the ``missing.<key>``
    messages of ``missing(case)``, joined.
    """

    id: str
    view: str  # "module:Class" of its view (widgets/), imported on first use
    missing: Callable[[Case], list[str]]
    started: Callable[[Case], bool] | None
    summary: Callable[[Case, Translator], str] | None = None

    @property
    def marked(self) -> bool:
        """A step with answers of its own gets a complete / started / not started mark."""
        return self.started is not None

    def missing_text(self, case: Case, t: Translator) -> str:
        if self.summary is not None:
            return self.summary(case, t)
        return t("common.list_separator").join(t(f"missing.{key}") for key in self.missing(case))


_REGISTRY: dict[str, StepSpec] = {}


def register_step(spec: StepSpec, *, before: str | None = None) -> StepSpec:
    """Add a step at the end of the table, or just before the step ``before``."""
    if spec.id in _REGISTRY:
        raise ValueError(f"step {spec.id!r} is already registered")
    if before is None:
        _REGISTRY[spec.id] = spec
        return spec
    if before not in _REGISTRY:
        raise ValueError(f"unknown step {before!r}")
    entries = list(_REGISTRY.items())
    at = [name for name, _ in entries].index(before)
    entries.insert(at, (spec.id, spec))
    _REGISTRY.clear()
    _REGISTRY.update(entries)
    return spec


def unregister_step(step_id: str) -> None:
    """Remove a step (a test's extra step, once the test is over)."""
    _REGISTRY.pop(step_id, None)


def steps() -> tuple[StepSpec, ...]:
    return tuple(_REGISTRY.values())


def step_ids() -> tuple[str, ...]:
    """The steps' ids, in the order the user meets them."""
    return tuple(_REGISTRY)


def work_step_ids() -> tuple[str, ...]:
    """The steps with answers of their own: the ones the step list, review and trainer mark."""
    return tuple(spec.id for spec in _REGISTRY.values() if spec.marked)


def spec_for(step_id: str) -> StepSpec:
    try:
        return _REGISTRY[step_id]
    except KeyError:
        raise ValueError(f"unknown step {step_id!r}") from None


# -- the workbook's steps ------------------------------------------------------------------------


def _choice(case: Case, name: str) -> list[str]:
    """A catalogue choice, with its own words when the user chose "other"."""
    value = getattr(case, name)
    if not value:
        return [name]
    return [f"{name}_other"] if value == "other" and not getattr(case, f"{name}_other") else []


def _any_set(*names: str) -> Callable[[Case], bool]:
    return lambda case: any(getattr(case, name) not in ("", None) for name in names)


def _facts_missing(case: Case) -> list[str]:
    missing = _choice(case, "provider")
    missing += ["event_date"] if case.event_date is None else []
    missing += ["description"] if not case.description else []
    return missing


def _evidence_missing(case: Case) -> list[str]:
    """Every item of the problem's checklist answered: have / still need / not applicable."""
    return [
        f"evidence.{item.id}"
        for item in load_catalog().evidence_for(case.problem)
        if not (case.evidence.get(item.id) and case.evidence[item.id].status)
    ]


def _security_missing(case: Case) -> list[str]:
    """The password check is optional; the questions and the quiz are not."""
    content = load_security()
    missing = [f"audit.{q.id}" for q in content.questions if not case.audit.answers.get(q.id)]
    return missing + [
        f"audit.phishing.{e.id}" for e in content.phishing if not case.audit.phishing.get(e.id)
    ]


def _escalation_missing(case: Case) -> list[str]:
    """The plan's dates count from the first contact with the company."""
    return [] if company_contacts(case) else ["contacts"]


def _count_of(key: str, missing: Callable[[Case], list[str]]) -> Callable[[Case, Translator], str]:
    """A long checklist's summary: how many are left, not each one's name."""
    return lambda case, t: t(key, count=len(missing(case))) if missing(case) else ""


for _spec in (
    StepSpec("problem", "widgets.problem:ProblemStep", lambda case: _choice(case, "problem"), _any_set("problem", "problem_other")),
    StepSpec("facts", "widgets.facts:FactsStep", _facts_missing,
             _any_set("provider", "provider_other", "event_date", "amount", "transaction_id", "account_last4", "description")),
    StepSpec("goal", "widgets.goal:GoalStep", lambda case: _choice(case, "goal"), _any_set("goal", "goal_other", "goal_details")),
    StepSpec("evidence", "widgets.evidence:EvidenceStep", _evidence_missing,
             lambda case: any(not state.is_empty() for state in case.evidence.values()), _count_of("missing.evidence", _evidence_missing)),
    StepSpec("contacts", "widgets.contacts:ContactsStep", lambda case: [] if case.contacts else ["contacts"],
             lambda case: bool(case.channels_tried or case.contacts)),
    StepSpec("security", "widgets.security:SecurityStep", _security_missing, lambda case: not case.audit.is_empty(), _count_of("missing.audit", _security_missing)),
    StepSpec("escalation", "widgets.escalation:EscalationStep", _escalation_missing, lambda case: case.escalation != Escalation()),
    # The statement is written from the other steps; it needs at least the problem and the demand.
    StepSpec("statement", "widgets.statement:StatementStep", lambda case: _choice(case, "problem") + _choice(case, "goal"),
             _any_set("statement_company", "statement_regulator")),
    StepSpec("review", "widgets.review:ReviewStep", lambda case: [], None),
):  # fmt: skip
    register_step(_spec)
