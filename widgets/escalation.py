"""Step 7: the escalation plan: the next step with its date, the ladder, the company's handling,
and the user's details the bodies ask for.

The rung cards are built once; a refresh only rewrites their text. (Rebuilding them from a
date picker's own observer would destroy the picker while the user is still typing a year.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

import ipywidgets as w

from complaint.dates import WORKING_DAYS
from complaint.escalation import (
    HANDLING_STAGES,
    RUNGS,
    Rung,
    answer_by_text,
    evidence_text,
    figure_lines,
    handling_from_contacts,
    jurisdictions,
    next_step_date_text,
    plan,
    source_text,
    working_days_note,
)
from complaint.model import ESCALATION_DETAIL_LIMITS
from complaint.presentation import long_date
from complaint.providers import directory
from complaint.validation import check_event_date, clean_text

from .common import labelled, note, plain, shared_layout, show, static_html
from .step import StepContext, StepView
from .takeaway import CaseFiles


class EscalationStep(StepView):
    step = "escalation"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        case, t = self.case, self.t
        self.calendar = CaseFiles(
            case, t, self.today
        )  # "Add to calendar": the dates this plan works out
        e = case.escalation
        self.jurisdiction = labelled(
            w.Dropdown, t("escalation.jurisdiction"),
            options=[(t.pick(j.label), j.id) for j in jurisdictions().values()], value=e.jurisdiction if e.jurisdiction in jurisdictions() else "cn",
        )  # fmt: skip
        self.bind(
            self.jurisdiction,
            "jurisdiction",
            str,
            target=lambda: self.case.escalation,
            then=self.refresh,
            errors=False,
        )
        self.fraud = plain(
            w.Checkbox,
            value=e.fraud,
            description=t("escalation.fraud"),
            indent=False,
            layout=w.Layout(width="auto"),
        )  # shown or hidden
        self.bind(
            self.fraud,
            "fraud",
            bool,
            target=lambda: self.case.escalation,
            then=self.refresh,
            errors=False,
        )
        self.next_box = static_html("")
        # -- the company's handling, linked to the contact log
        self.handling: dict[str, w.DatePicker] = {}
        self.handling_hints: dict[str, w.HTML] = {}
        self.handling_use: dict[str, w.Button] = {}
        handling_rows = []
        for stage in HANDLING_STAGES:
            picker = labelled(
                w.DatePicker, t(f"handling.stage.{stage}"), value=e.handling.get(stage)
            )
            error = self._bind_date(
                picker, lambda: self.case.escalation.handling, stage, key=f"handling.{stage}"
            )
            use = plain(
                w.Button,
                description=t("handling.use"),
                layout=w.Layout(width="auto", display="none"),
                _dom_classes=("wb-small-button",),
            )
            hint = static_html("")
            use.on_click(self.safely(lambda _b, stage=stage: self._use_suggestion(stage)))
            self.handling[stage], self.handling_hints[stage], self.handling_use[stage] = (
                picker,
                hint,
                use,
            )
            handling_rows += [
                picker,
                error,
                w.Box(
                    [hint, use],
                    layout=shared_layout(flex_flow="row wrap", align_items="center", width="100%"),
                ),
            ]
        title = static_html(f"<h3>{escape(t('handling.title'))}</h3>")
        handling = w.VBox(
            [title, note(t("handling.hint")), *handling_rows],
            layout=shared_layout(width="100%"),
            _dom_classes=("wb-card",),
        )
        # -- the ladder: four cards, built once
        self.rung_text: dict[str, w.HTML] = {}
        self.rung_filed: dict[str, w.DatePicker] = {}
        self.rung_cards: dict[str, w.VBox] = {}
        for rung_id in RUNGS:
            text = static_html("")
            filed = labelled(w.DatePicker, t("escalation.filed"), value=e.filed.get(rung_id))
            error = self._bind_date(
                filed, lambda: self.case.escalation.filed, rung_id, key=f"filed.{rung_id}"
            )
            card = w.VBox(
                [text, filed, error], layout=shared_layout(width="100%"), _dom_classes=("wb-card",)
            )
            self.rung_text[rung_id], self.rung_filed[rung_id], self.rung_cards[rung_id] = (
                text,
                filed,
                card,
            )
        # after the company, the routes are choices: what choosing each one means comes first
        self.routes_note = static_html("")
        cards = list(self.rung_cards.values())
        self.ladder = w.VBox(
            [cards[0], self.routes_note, *cards[1:]], layout=shared_layout(width="100%")
        )
        # -- the user's details
        self.details: dict[str, w.Text] = {}
        detail_rows = []
        for name in ("your_name", "your_phone", "your_address", "company_address"):
            control = labelled(w.Text, t(f"escalation.field.{name}"), value=getattr(e, name))
            limit = ESCALATION_DETAIL_LIMITS[name]
            # "what to bring" follows the details: the plan's text is rewritten, nothing rebuilt
            detail_rows += [
                control,
                self.bind(
                    control,
                    name,
                    lambda v, limit=limit: clean_text(v, limit),
                    target=lambda: self.case.escalation,
                    then=self._show_plan,
                ),
            ]
            self.details[name] = control
        title = static_html(f"<h3>{escape(t('escalation.details_title'))}</h3>")
        details = w.VBox(
            [title, note(t("escalation.details_note")), *detail_rows],
            layout=shared_layout(width="100%"),
            _dom_classes=("wb-card",),
        )
        self.first_control = self.jurisdiction
        self.widget.children += (
            self.next_box,
            self.jurisdiction,
            self.fraud,
            self.ladder,
            self.calendar.widget,
            handling,
            details,
        )
        self.refresh()

    # -- answers -----------------------------------------------------------------------------

    def _bind_date(
        self, picker: w.DatePicker, target: Callable[[], dict], name: str, *, key: str
    ) -> w.HTML:
        """A date the user gives (filed, handling stage): plausible and not in the future, or a
        message (a browser sends every keystroke of the year: "0002-11-25" must not be kept)."""
        return self.bind(
            picker,
            name,
            lambda value: check_event_date(value, self.today()),
            target=target,
            then=self.refresh,
            key=key,
        )

    def _use_suggestion(self, stage: str) -> None:
        suggested = handling_from_contacts(self.case).get(stage)
        if suggested is not None:
            self.handling[stage].value = suggested[0]  # saves through the picker's observer

    # -- the plan ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the plan (it depends on the contact log and today's date) and rewrite the text."""
        self._show_plan()
        self._show_handling_hints()

    def _show_plan(self) -> None:
        self.calendar.clear()  # its dates may have moved
        t, today = self.t, self.today()
        the_plan = plan(self.case, today)
        show(self.fraud, the_plan.jurisdiction.fraud_body is not None)
        parts = []
        if the_plan.fraud_first is not None:
            body = the_plan.fraud_first
            parts.append(
                f"<div class='wb-error' role='alert'><strong>{escape(t('escalation.fraud_first'))}{escape(t.pick(body.label))}</strong> {escape(t.pick(body.how))}</div>"
            )
        parts.append(
            f"<div class='wb-next' role='status'><span class='wb-label'>{escape(t('escalation.next_title'))}</span><br><strong>{escape(self._next_text(the_plan, today))}</strong></div>"
        )
        self.next_box.value = "".join(parts)
        note = the_plan.jurisdiction.routes_note
        self.routes_note.value = (
            f"<div class='wb-routes'><h3>{escape(t('escalation.routes_title'))}</h3><p>{escape(t.pick(note.text))}</p>"
            f"<p class='wb-source'>{escape(source_text(t, note))}</p></div>"
            if note
            else ""
        )
        for number, rung in enumerate(the_plan.rungs, start=1):
            self.rung_text[rung.id].value = self._rung_html(number, rung, the_plan.jurisdiction)
            open_now = (
                rung.filed is None
                and rung.available_from is not None
                and rung.available_from <= today
            )
            (
                self.rung_cards[rung.id].add_class
                if open_now
                else self.rung_cards[rung.id].remove_class
            )("wb-card-open")

    def _next_text(self, the_plan, today: date) -> str:
        t, nxt = self.t, the_plan.next_rung
        if nxt is None:
            return t("escalation.next.all_done")
        if nxt.available_from is None:
            if the_plan.first_contact is None and not self.case.escalation.filed:
                return t("escalation.next.contact_first")
            return t(nxt.reason, date="", days=the_plan.jurisdiction.own_deadline_days)
        if nxt.available_from <= today:
            return t("escalation.next.go_now", body=t.pick(nxt.body.label))
        return t(
            "escalation.next.from", date=next_step_date_text(nxt, t), body=t.pick(nxt.body.label)
        )

    def _figure(self, deadline, jurisdiction) -> str:
        line, source = figure_lines(self.t, deadline)
        working = (
            f"<br>{escape(working_days_note(self.t, jurisdiction))}"
            if deadline.unit == WORKING_DAYS
            else ""
        )
        return f"<p class='wb-note'>{escape(line)}<br>{escape(source)}{working}</p>"

    def _provider_lines(self, rung: Rung) -> list[str]:
        """The licensed company to name (regulator) and the safe way to reach customer service
        (company), from the provider directory, with how sure each is."""
        t, entry = self.t, directory().get(self.case.provider or "")
        if entry is None:
            return []
        if rung.id == "regulator" and entry.entity is not None:
            e = entry.entity
            name = e.name + (
                t("escalation.entity_former", name=e.former_name) if e.former_name else ""
            )
            source = source_text(t, e)
            return [
                f"<p class='wb-note'><strong>{escape(t('escalation.entity', name=name))}</strong><br>{escape(source)}</p>"
            ]
        if rung.id == "company" and entry.contact is not None:
            c = entry.contact
            how = t("escalation.official_contact", how=t.pick(c.how), evidence=evidence_text(t, c))
            return [f"<p class='wb-note'>{escape(how)}<br>{escape(t.pick(c.safety))}</p>"]
        return []

    def _rung_html(self, number: int, rung: Rung, jurisdiction) -> str:
        t = self.t
        lines = [
            f"<strong>{escape(t('escalation.rung', number=number, body=t.pick(rung.body.label)))}</strong>",
            f"<p>{escape(t.pick(rung.body.how))}</p>",
        ]
        if rung.body.note:
            lines.append(f"<p class='wb-note'>{escape(t.pick(rung.body.note))}</p>")
        lines += self._provider_lines(rung)
        reason = t(
            rung.reason, date=next_step_date_text(rung, t), days=jurisdiction.own_deadline_days
        )
        lines.append(f"<p class='wb-when'>{escape(reason)}</p>")
        for deadline in ((rung.deadline,) if rung.deadline else ()) + tuple(
            f for f in rung.figures if f != rung.deadline
        ):
            lines.append(self._figure(deadline, jurisdiction))
        if rung.answer_by is not None:
            lines.append(f"<p class='wb-when'>{escape(answer_by_text(rung, t))}</p>")
        items = [f"<span class='wb-have'>✓ {escape(t(f'item.{i}'))}</span>" for i in rung.have]
        items += [f"<span class='wb-lack'>✗ {escape(t(f'item.{i}'))}</span>" for i in rung.missing]
        items += [
            f"<span>• {escape(t(f'item.{i}'))}</span>" for i in rung.unknown
        ]  # asked for; the case cannot tell
        if items:
            missing = (
                f" <em>({escape(t('escalation.missing_count', count=len(rung.missing)))})</em>"
                if rung.missing
                else ""
            )
            lines.append(
                f"<p><span class='wb-label'>{escape(t('escalation.bring'))}</span>{' '.join(items)}{missing}</p>"
            )
        lines.append(f"<p class='wb-source'>{escape(source_text(t, rung.body))}</p>")
        return "".join(lines)

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
            when = long_date(day, self.t.language)
            text = (
                self.t("handling.from_log", date=when, detail=detail)
                if detail
                else self.t("handling.from_log_plain", date=when)
            )
            self.handling_hints[stage].value = f"<span class='wb-note'>{escape(text)}</span>"
            self.handling_use[stage].layout.display = (
                "none" if self.case.escalation.handling.get(stage) == day else ""
            )
