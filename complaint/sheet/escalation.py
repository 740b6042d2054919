"""The escalation plan and the statements (format version 4): the jurisdiction, fraud or not, the
user's details for a letter, the company's handling stages, the dates filed with each body, and
the statements the user edited. The next step and the figures are written for people (each
figure with its source and how sure it is) and recomputed when read."""

from __future__ import annotations

import re

from .. import clock  # clock.today() looked up on each write: tests set the day
from .. import validation as v
from ..errors import InvalidInput
from ..escalation import (
    HANDLING_STAGES,
    RUNGS,
    figure_lines,
    jurisdiction_for,
    jurisdictions,
    next_step_date_text,
    plan,
)
from ..i18n import Translator
from ..model import ESCALATION_DETAIL_LIMITS, STATEMENT_MAX, Case, Escalation
from .cells import NO, YES, Cells, Row, bad_value, plausible_date, unescape_cell, yes_no
from .sections import Section

PERSONAL = tuple(ESCALATION_DETAIL_LIMITS)
_ESCALATION_KEY = re.compile(
    r"(escalation\.(jurisdiction|fraud|next|figure\.[a-z0-9_]+|your_name|your_phone|your_address|company_address|filed\.([a-z_]+))"
    r"|handling\.([a-z_]+)|statement\.(company|regulator))"
)


def escalation_rows(case: Case, t: Translator) -> list[Row]:
    e = case.escalation
    j = jurisdiction_for(case)
    rows = [("escalation.jurisdiction", t("sheet.escalation.jurisdiction"), j.id, t.pick(j.label))]
    rows.append(("escalation.fraud", t("sheet.escalation.fraud"), *yes_no(t, e.fraud)))
    for name in PERSONAL:
        rows.append((f"escalation.{name}", t(f"escalation.field.{name}"), getattr(e, name), ""))
    for stage in HANDLING_STAGES:
        day = e.handling.get(stage)
        rows.append(
            (
                f"handling.{stage}",
                t("sheet.handling", stage=t(f"handling.stage.{stage}")),
                day.isoformat() if day else "",
                "",
            )
        )
    day_today = clock.today()
    the_plan = plan(case, day_today)
    for rung in RUNGS:
        day = e.filed.get(rung)
        body = next(r.body for r in the_plan.rungs if r.id == rung)
        rows.append(
            (
                f"escalation.filed.{rung}",
                t("sheet.escalation.filed", body=t.pick(body.label)),
                day.isoformat() if day else "",
                "",
            )
        )
    nxt = the_plan.next_rung
    if nxt is not None:  # derived, for people and exports; recomputed when read
        when = next_step_date_text(
            nxt, t, day_today
        )  # "now" once the date has come; "(to verify)" on an unconfirmed figure
        rows.append(
            (
                "escalation.next",
                t("sheet.escalation.next"),
                nxt.id,
                f"{t.pick(nxt.body.label)} {when}".strip(),
            )
        )
    regulator = next(r for r in the_plan.rungs if r.id == "regulator")
    for figure in ((regulator.deadline,) if regulator.deadline else ()) + tuple(
        f for f in regulator.figures if f != regulator.deadline
    ):
        line, source = figure_lines(
            t, figure
        )  # derived: every figure with its source and how sure it is
        rows.append(
            (
                f"escalation.figure.{figure.id}",
                t.pick(figure.what),
                str(figure.days),
                f"{line} {source}",
            )
        )
    for audience in ("company", "regulator"):
        text = getattr(case, f"statement_{audience}")
        if text:
            rows.append((f"statement.{audience}", t(f"sheet.statement.{audience}"), text, ""))
    return rows


def read_escalation(cells: Cells) -> tuple[dict[str, object], set[str]]:
    e, answers, consumed = Escalation(), {}, set()
    for key, (row, raw) in cells.items():
        match = _ESCALATION_KEY.fullmatch(key)
        if not match:
            continue
        value = unescape_cell(raw)
        _, part, rung, stage, audience = match.groups()
        try:
            if part == "jurisdiction":
                if value.strip() and value.strip() not in jurisdictions():
                    raise ValueError
                e.jurisdiction = value.strip() or e.jurisdiction
            elif part == "fraud":
                if value.strip() not in (YES, NO, ""):
                    raise ValueError
                e.fraud = value.strip() == YES
            elif part in ESCALATION_DETAIL_LIMITS:
                setattr(e, part, v.clean_text(value, ESCALATION_DETAIL_LIMITS[part]))
            elif rung is not None:
                if rung not in RUNGS:
                    continue  # unknown: kept as an extra row
                if value.strip():
                    e.filed[rung] = plausible_date(value)
            elif stage is not None:
                if stage not in HANDLING_STAGES:
                    continue
                if value.strip():
                    e.handling[stage] = plausible_date(value)
            elif audience is not None:
                answers[f"statement_{audience}"] = v.clean_text(
                    value, STATEMENT_MAX, multiline=True
                )
        except (ValueError, InvalidInput):
            raise bad_value(row, key) from None
        consumed.add(
            key
        )  # escalation.next and escalation.figure.* are derived: recomputed, never read back
    answers["escalation"] = e
    return answers, consumed


SECTION = Section(
    "escalation", ("escalation", "handling", "statement"), escalation_rows, read_escalation
)
