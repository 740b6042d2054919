"""Step 9: what is complete and what is missing, and every download, made in this session."""

from __future__ import annotations

from datetime import date
from html import escape

import ipywidgets as w

from complaint.audit import evaluate, load_security
from complaint.catalog import load_catalog
from complaint.contacts import is_overdue
from complaint.escalation import next_step_date_text, plan
from complaint.evidence import completeness
from complaint.printable import printable_html
from complaint.progress import DONE, NOT_STARTED, STARTED, missing_text, step_marks
from complaint.statement import statement_for
from complaint.steps import step_ids
from complaint.timeline import timeline_html

from .common import unsaved_answers_html
from .savebar import download_link_html
from .step import StepContext, StepView
from .takeaway import CaseFiles

_MARK = {DONE: "✓", STARTED: "…", NOT_STARTED: "✗"}


class ReviewStep(StepView):
    step = "review"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        self.sheet_bytes, self.unsaved, self.refused = (
            context.sheet_bytes,
            context.unsaved,
            context.refused,
        )
        self.summary = w.HTML()
        self.timeline = w.HTML()
        self.downloads = w.HTML()
        self.files = CaseFiles(
            self.case, self.t, self.today, self.sheet_bytes, context.read_kept
        )  # .ics and ZIP, made on click
        self.first_control = self.summary
        self.widget.children += (self.summary, self.timeline, self.downloads, self.files.widget)
        self.refresh()

    def refresh(self) -> None:
        t, case, today = self.t, self.case, self.today()
        rows = []
        marks = step_marks(case)  # the marks of the step list, by the same rule
        for number, step in enumerate(step_ids(), start=1):
            if step not in marks:
                continue
            status = marks[step]
            missing = missing_text(case, step, t)
            detail = (
                f" <span class='wb-missing'>{escape(t('review.missing', items=missing))}</span>"
                if missing and status != DONE
                else ""
            )
            rows.append(
                f"<li class='wb-review-{status}'><strong>{_MARK[status]} {number} {escape(t(f'step.{step}.title'))}</strong>{detail}</li>"
            )
        state = completeness(case, load_catalog())
        overdue = sum(1 for c in case.contacts if is_overdue(c, today))
        facts = [
            t("review.evidence", ready=state.ready, total=state.total),
            t("review.contacts", count=len(case.contacts), overdue=overdue),
        ]
        if not case.audit.is_empty():
            result = evaluate(case.audit, load_security())
            facts.append(t("review.audit", score=result.score, actions=len(result.actions)))
        nxt = plan(case, today).next_rung
        if nxt is not None:
            body = t.pick(nxt.body.label)
            if nxt.available_from is None:
                facts.append(t("review.next", next=body))
            elif nxt.available_from <= today:  # as the escalation step says: "now", not a date gone
                facts.append(t("review.next_now", body=body))
            else:
                facts.append(t("review.next_from", body=body, date=next_step_date_text(nxt, t)))
        self.summary.value = (
            unsaved_answers_html(t, self.refused(), "review.refused")
            + f"<h3>{escape(t('review.steps_title'))}</h3><ul class='wb-review'>{''.join(rows)}</ul>"
            f"<ul class='wb-review-facts'>{''.join(f'<li>{escape(f)}</li>' for f in facts)}</ul>"
        )
        self.timeline.value = timeline_html(case, today)
        self._show_downloads(today)
        self.files.clear()  # made from the answers before this refresh

    def _show_downloads(self, today: date) -> None:
        t, case = self.t, self.case
        stem = case.case_id[:8]
        links = [
            download_link_html(
                self.sheet_bytes(), f"{t('save.filename')}-{stem}.csv", t("review.download_csv")
            )
        ]
        for audience in ("company", "regulator"):
            text = statement_for(case, audience, today).encode("utf-8-sig")
            name = f"{t('statement.filename')}-{t(f'statement.{audience}')}-{stem}.txt"
            links.append(
                download_link_html(text, name, t(f"review.download_{audience}"), "text/plain")
            )
        page = printable_html(case, today).encode("utf-8")
        links.append(
            download_link_html(
                page,
                f"{t('printable.filename')}-{stem}.html",
                t("review.download_printable"),
                "text/html",
            )
        )
        warning = (
            f"<p class='wb-missing'>{escape(t('review.not_saved'))}</p>" if self.unsaved() else ""
        )
        items = "".join(f"<li>{link}</li>" for link in links)
        self.downloads.value = f"<h3>{escape(t('review.downloads'))}</h3>{warning}<ul class='wb-downloads'>{items}</ul>"
