"""What the trainer sees of one case sheet: a :class:`CaseSummary`, worked out from the case with
the workbook's own rules (progress, evidence, self-audit, escalation ladder), and its plain-JSON
form (a list) for the files the trainer's index keeps (complaint.trainer.index, complaint.trainer.saved).

Nothing here is trusted as HTML: the widgets escape every string of a summary.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..codes import participant_number
from ..model import Case
from ..steps import work_step_ids
from .sheets import read_case, sheet_version

#: The steps a participant works through; the review is where they read the result back.
WORK_STEPS = work_step_ids()


class CaseSummary(NamedTuple):
    """What the trainer's table and charts show of one case sheet.

    A named tuple rather than a dataclass: a first look makes one per sheet, 100,000 in a large
    workshop, and a tuple is made in a fraction of the time and memory (docs/performance.md)."""

    path: str  # relative to the cases folder, with "/" separators
    participant: (
        str  # the sub-folder on a JupyterHub (the participant's user name); "" on one server
    )
    case_id: str
    format_version: int
    language: str
    practice: str
    created_at: datetime
    updated_at: datetime
    problem: str
    provider: str
    amount: str  # as written in the sheet, "" when not given
    currency: str
    steps: tuple[str, ...]  # status of each of WORK_STEPS: progress.NOT_STARTED / STARTED / DONE
    evidence_ready: int
    evidence_total: int
    audit_score: int | None  # None until a question of the self-audit is answered
    audit_answered: int  # questions and quiz examples answered (a password check is not an answer)
    audit_items: int  # questions and quiz examples in all
    rung_taken: (
        str  # the highest rung of the escalation ladder the participant has gone to ("" = none)
    )
    next_rung: str  # where the plan says to go next
    next_date: date | None  # from when the next rung is open (None: no date can be worked out yet)
    next_to_verify: bool  # that date rests on a figure not confirmed at its source
    contacts: int
    label: str  # the name or seat the participant gave for the trainer ("" = none)

    @property
    def audit_status(self) -> str:
        """AUDIT_DONE when every question and quiz example is answered, AUDIT_PARTLY, AUDIT_NOT_STARTED."""
        if self.audit_items and self.audit_answered >= self.audit_items:
            return AUDIT_DONE
        return AUDIT_PARTLY if self.audit_answered else AUDIT_NOT_STARTED

    @property
    def number(self) -> str:
        return participant_number(self.case_id)

    @property
    def steps_done(self) -> int:
        return sum(status == "done" for status in self.steps)

    @property
    def evidence_percent(self) -> int | None:
        return (
            round(100 * self.evidence_ready / self.evidence_total) if self.evidence_total else None
        )


AUDIT_DONE, AUDIT_PARTLY, AUDIT_NOT_STARTED = "done", "partly", "not_started"


@dataclass(frozen=True)
class SheetProblem:
    """A file in the cases folder that could not be read as a case sheet."""

    path: str
    key: str  # message key (sheet.*), translated by the dashboard
    params: dict = field(default_factory=dict)


def summarise(data: bytes, path: str, participant: str, today: date) -> CaseSummary:
    """One sheet's summary; raises CaseSheetError when the workbook itself could not open it."""
    case, case_id = read_case(data)
    return summary_of(
        case, case_id or Path(path).stem, sheet_version(data), path, participant, today
    )


def summary_of(
    case: Case, case_id: str, format_version: int, path: str, participant: str, today: date
) -> CaseSummary:
    from ..audit import evaluate, load_security
    from ..catalog import load_catalog
    from ..escalation import RUNGS, plan
    from ..evidence import completeness
    from ..progress import step_status
    from ..validation import format_amount

    the_plan = plan(case, today, what_to_bring=False)
    ready = completeness(case, load_catalog())
    taken = [rung for rung in RUNGS if rung in case.escalation.filed]
    nxt = the_plan.next_rung
    audit = None if case.audit.is_empty() else evaluate(case.audit)
    security = load_security()
    return CaseSummary(
        path=path, participant=participant, case_id=case_id, format_version=format_version,
        language=case.language, practice=case.practice, created_at=case.created_at, updated_at=case.updated_at,
        problem=case.problem, provider=case.provider, amount=format_amount(case.amount) if case.amount is not None else "",
        currency=case.currency, steps=tuple(step_status(case, step) for step in WORK_STEPS),
        evidence_ready=ready.ready, evidence_total=ready.total,
        audit_score=None if audit is None else audit.score,
        audit_answered=0 if audit is None else audit.answered + audit.phishing_answered,
        audit_items=len(security.questions) + len(security.phishing),
        rung_taken=taken[-1] if taken else "", next_rung=nxt.id if nxt else "",
        next_date=nxt.available_from if nxt else None, next_to_verify=bool(nxt and nxt.to_verify), contacts=len(case.contacts),
        label=case.participant_label,
    )  # fmt: skip


#: Bump when CaseSummary, its record or summarise() changes: a journal line or index file of another version is not used.
INDEX_VERSION = 5  # 4: positional records (summary_record), journal lines; 5: step marks follow complaint/progress.py's one rule


@lru_cache(maxsize=1)
def content_fingerprint() -> str:
    """Summaries depend on the content (checklists, audit points, deadlines): a change voids the index."""
    from ..paths import DATA_DIR

    digest = hashlib.sha256()
    for path in sorted((DATA_DIR / "content").glob("*.json")) + sorted(
        (DATA_DIR / "jurisdictions").glob("*.json")
    ):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


#: The fields a summary record holds, in this order: all but where the sheet is (path, participant).
RECORD_FIELDS = CaseSummary._fields[2:]
_DATE_FIELDS = tuple(
    RECORD_FIELDS.index(name) for name in ("created_at", "updated_at", "next_date")
)
#: Step marks repeat across thousands of cases: one shared tuple per combination, not one per case.
_SHARED_STEPS: dict[tuple[str, ...], tuple[str, ...]] = {}
_intern = sys.intern


def summary_record(summary: CaseSummary) -> list:
    """The summary as a JSON-able list of RECORD_FIELDS (dates as ISO text)."""
    record = list(summary[2:])
    for position in _DATE_FIELDS:
        record[position] = record[position].isoformat() if record[position] is not None else None
    record[RECORD_FIELDS.index("steps")] = list(summary.steps)
    return record


def summary_from_record(record: list, path: str, participant: str) -> CaseSummary:
    """The summary a :func:`summary_record` describes; ValueError or TypeError when it is not one.

    Ids that repeat across thousands of cases (language, problem, provider, rungs...) become one
    shared string each, not one per case."""
    (
        case_id, version, language, practice, created, updated, problem, provider, amount, currency, steps,
        ready, total, score, answered, items, taken, next_rung, next_date, to_verify, contacts, label,
    ) = record  # fmt: skip
    steps = tuple(steps)
    shared = _SHARED_STEPS.get(steps)
    if shared is None:
        if len(steps) != len(WORK_STEPS):
            raise ValueError("steps")
        shared = _SHARED_STEPS[steps] = tuple(map(_intern, steps))
    return CaseSummary(
        path, _intern(participant), case_id, version, _intern(language), _intern(practice),
        datetime.fromisoformat(created), datetime.fromisoformat(updated), _intern(problem), _intern(provider), amount,
        _intern(currency), shared, ready, total, score, answered, items, _intern(taken), _intern(next_rung),
        date.fromisoformat(next_date) if next_date else None, to_verify, contacts, label,
    )  # fmt: skip
