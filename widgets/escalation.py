"""Step 7: the escalation plan: the next step with its date, the ladder, the company's handling,
and the user's details the bodies ask for."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

import ipywidgets as w

from complaint.dates import WORKING_DAYS
from complaint.escalation import HANDLING_STAGES, Rung, handling_from_contacts, jurisdictions, plan
from complaint.model import SHORT_TEXT_MAX
from complaint.statement import long_date
from complaint.validation import clean_text

from .common import close_tree, field, note
from .step import StepView


class EscalationStep(StepView):
    step = "escalation"

    def __init__(self, case, t, on_change, today: Callable[[], date]) -> None:
        super().__init__(case, t, on_change)
        self.today = today
        e = case.escalation
        self.jurisdiction = field(
            w.Dropdown(options=[(t.pick(j.label), j.id) for j in jurisdictions().values()], value=e.jurisdiction if e.jurisdiction in jurisdictions() else "cn"),
            t("escalation.jurisdiction"),
        )
        self.jurisdiction.observe(self.safely(self._set_jurisdiction), names="value")
        self.fraud = w.Checkbox(value=e.fraud, description=t("escalation.fraud"), indent=False, layout=w.Layout(width="auto"))
        self.fraud.observe(self.safely(self._set_fraud), names="value")
        self.next_box = w.HTML()
        self.handling: dict[str, w.DatePicker] = {}
        self.handling_hints: dict[str, w.HTML] = {}
        self.handling_use: dict[str, w.Button] = {}
        handling_rows = []
        for stage in HANDLING_STAGES:
            picker = field(w.DatePicker(value=e.handling.get(stage)), t(f"handling.stage.{stage}"))
            picker.observe(self.safely(lambda change, stage=stage: self._set_date(self.case.escalation.handling, stage, change["new"])), names="value")
            hint, use = w.HTML(), w.Button(description=t("handling.use"), layout=w.Layout(width="auto", display="none"))
            use.add_class("wb-small-button")
            use.on_click(self.safely(lambda _b, stage=stage: self._use_suggestion(stage)))
            self.handling[stage], self.handling_hints[stage], self.handling_use[stage] = picker, hint, use
            handling_rows += [picker, w.Box([hint, use], layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))]
        handling = w.VBox([w.HTML(f"<h3>{escape(t('handling.title'))}</h3>"), note(t("handling.hint")), *handling_rows], layout=w.Layout(width="100%"))
        handling.add_class("wb-card")
        self.ladder = w.VBox(layout=w.Layout(width="100%"))
        self.details: dict[str, w.Text] = {}
        detail_rows = []
        for name in ("your_name", "your_phone", "your_address", "company_address"):
            control = field(w.Text(value=getattr(e, name)), t(f"escalation.field.{name}"))
            limit = 200 if "address" in name else SHORT_TEXT_MAX
            detail_rows.append(control)
            detail_rows.append(self.bind_escalation(control, name, limit))
            self.details[name] = control
        details = w.VBox([w.HTML(f"<h3>{escape(t('escalation.details_title'))}</h3>"), note(t("escalation.details_note")), *detail_rows], layout=w.Layout(width="100%"))
        details.add_class("wb-card")
        self.first_control = self.jurisdiction
        self.widget.children += (self.next_box, self.jurisdiction, self.fraud, self.ladder, handling, details)
        self.refresh()

    def bind_escalation(self, control: w.Text, name: str, limit: int) -> w.HTML:
        """Like StepView.bind, for the fields of case.escalation."""
        from complaint.errors import InvalidInput

        from .common import error_line, show_error

        line = error_line()

        def update(change: dict) -> None:
            try:
                value = clean_text(change["new"], limit)
            except InvalidInput as error:
                show_error(line, self.t, error)
                return
            show_error(line, self.t, None)
            if getattr(self.case.escalation, name) != value:
                setattr(self.case.escalation, name, value)
                self._changed_and_refresh()

        control.observe(self.safely(update), names="value")
        return line

    # -- answers -----------------------------------------------------------------------------

    def _set_jurisdiction(self, change: dict) -> None:
        self.case.escalation.jurisdiction = change["new"]
        self._changed_and_refresh()

    def _set_fraud(self, change: dict) -> None:
        self.case.escalation.fraud = bool(change["new"])
        self._changed_and_refresh()

    def _set_date(self, target: dict, key: str, value: date | None) -> None:
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
        self._changed_and_refresh()

    def _use_suggestion(self, stage: str) -> None:
        suggested = handling_from_contacts(self.case).get(stage)
        if suggested is not None:
            self.handling[stage].value = suggested[0]  # saves through the picker's observer

    def _show_handling_hints(self) -> None:
        """Link the handling stages to the contact log: what the log says, one tap to use it."""
        suggestions = handling_from_contacts(self.case)
        for stage in HANDLING_STAGES:
            suggested = suggestions.get(stage)
            if suggested is None:
                self.handling_hints[stage].value = ""
                self.handling_use[stage].layout.display = "none"
                continue
            day, detail = suggested
            text = self.t("handling.from_log", date=long_date(day, self.t.language), detail=detail)
            self.handling_hints[stage].value = f"<span class='wb-note'>{escape(text)}</span>"
            self.handling_use[stage].layout.display = "none" if self.case.escalation.handling.get(stage) == day else ""

    def _changed_and_refresh(self) -> None:
        self.changed()
        self.refresh()

    # -- the plan ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the plan (it depends on the contact log and today's date) and redraw it."""
        t = self.t
        the_plan = plan(self.case, self.today())
        parts = []
        if the_plan.fraud_first is not None:
            body = the_plan.fraud_first
            parts.append(f"<div class='wb-error' role='alert'><strong>{escape(t('escalation.fraud_first'))}{escape(t.pick(body.label))}</strong> {escape(t.pick(body.how))}</div>")
        nxt = the_plan.next_rung
        if nxt is None:
            text = t("escalation.next.all_done")
        elif nxt.available_from is None:
            text = t("escalation.next.contact_first") if the_plan.first_contact is None else t(nxt.reason, date="")
        elif nxt.available_from <= self.today():
            text = t("escalation.next.go_now", body=t.pick(nxt.body.label))
        else:
            text = t("escalation.next.from", date=long_date(nxt.available_from, t.language), body=t.pick(nxt.body.label))
        parts.append(f"<div class='wb-next' role='status'><span class='wb-label'>{escape(t('escalation.next_title'))}</span><br><strong>{escape(text)}</strong></div>")
        self.next_box.value = "".join(parts)
        self._show_handling_hints()
        for child in self.ladder.children:
            close_tree(child)
        self.ladder.children = tuple(self._rung_card(number, rung) for number, rung in enumerate(the_plan.rungs, start=1))

    def _rung_card(self, number: int, rung: Rung) -> w.VBox:
        t = self.t
        when = long_date(rung.available_from, t.language) if rung.available_from else ""
        lines = [f"<strong>{escape(t('escalation.rung', number=number, body=t.pick(rung.body.label)))}</strong>",
                 f"<p>{escape(t.pick(rung.body.how))}</p>"]  # fmt: skip
        if rung.body.note and rung.body.note_provider in (None, self.case.provider):
            lines.append(f"<p class='wb-note'>{escape(t.pick(rung.body.note))}</p>")
        lines.append(f"<p class='wb-when'>{escape(t(rung.reason, date=when))}</p>")
        if rung.deadline is not None:
            d = rung.deadline
            unit = t(f"deadline.unit.{d.unit}")
            figure = t("deadline.line", what=t.pick(d.what), days=d.days, unit=unit) + ("" if d.verified else " " + t("deadline.to_verify"))
            lines.append(f"<p class='wb-note'>{escape(figure)}<br>{escape(t('deadline.source', source=t.pick(d.source), date=d.last_checked))}</p>")
            if d.unit == WORKING_DAYS:
                lines.append(f"<p class='wb-note'>{escape(t('dates.working_days_note'))}</p>")
        items = [f"<span class='wb-have'>✓ {escape(t(f'item.{i}'))}</span>" for i in rung.have]
        items += [f"<span class='wb-lack'>✗ {escape(t(f'item.{i}'))}</span>" for i in rung.missing]
        if items:
            missing = f" <em>({escape(t('escalation.missing_count', count=len(rung.missing)))})</em>" if rung.missing else ""
            lines.append(f"<p><span class='wb-label'>{escape(t('escalation.bring'))}</span>{' '.join(items)}{missing}</p>")
        lines.append(f"<p class='wb-source'>{escape(t('common.source'))}: {escape(t.pick(rung.body.source))}</p>")
        filed = field(w.DatePicker(value=rung.filed), t("escalation.filed"))
        filed.observe(self.safely(lambda change, rung_id=rung.id: self._set_date(self.case.escalation.filed, rung_id, change["new"])), names="value")
        card = w.VBox([w.HTML("".join(lines)), filed], layout=w.Layout(width="100%"))
        card.add_class("wb-card")
        if rung is not None and rung.filed is None and rung.available_from is not None and rung.available_from <= self.today():
            card.add_class("wb-card-open")
        return card
