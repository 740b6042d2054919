"""What the trainer's charts count, and the table's filters."""

from __future__ import annotations

from collections import Counter

from .summary import AUDIT_DONE, WORK_STEPS, CaseSummary

EVIDENCE_BANDS = ("0", "1-49", "50-99", "100")
SCORE_BANDS = ("0-39", "40-59", "60-79", "80-100")


def evidence_band(summary: CaseSummary) -> str | None:
    percent = summary.evidence_percent
    if percent is None:
        return None
    return (
        "0" if percent == 0 else "100" if percent == 100 else "50-99" if percent >= 50 else "1-49"
    )


def score_band(score: int) -> str:
    return (
        "80-100" if score >= 80 else "60-79" if score >= 60 else "40-59" if score >= 40 else "0-39"
    )


def counts(cases: tuple[CaseSummary, ...] | list[CaseSummary]) -> dict[str, Counter]:
    """Tallies for the charts: problem mix, evidence completeness, how far the self-audit got,
    the scores of completed self-audits (only those: a half-answered audit's score says little),
    ladder position, steps complete."""
    tallies = {
        name: Counter() for name in ("problem", "evidence", "audit", "security", "ladder", "steps")
    }
    for case in cases:
        tallies["problem"][case.problem or "none"] += 1
        band = evidence_band(case)
        if band is not None:
            tallies["evidence"][band] += 1
        status = case.audit_status
        tallies["audit"][status] += 1
        if status == AUDIT_DONE and case.audit_score is not None:
            tallies["security"][score_band(case.audit_score)] += 1
        tallies["ladder"][case.rung_taken or "none"] += 1
        tallies["steps"][case.steps_done] += 1
    return tallies


def matches(
    case: CaseSummary, problem: str = "", kind: str = "all", text: str = "", stuck_at: str = ""
) -> bool:
    """The dashboard's filters: by problem, real or practice cases, a search text, a step not done."""
    if problem and case.problem != problem:
        return False
    if kind == "real" and case.practice or kind == "practice" and not case.practice:
        return False
    if stuck_at and case.steps[WORK_STEPS.index(stuck_at)] == "done":
        return False
    needle = text.strip().casefold()
    if not needle:
        return True
    if needle.replace("-", "").replace(" ", "").isdigit() and needle.replace("-", "").replace(
        " ", ""
    ) in case.number.replace("-", ""):
        return True
    return any(
        needle in value.casefold()
        for value in (case.participant, case.label, case.case_id, case.provider, case.path)
    )
