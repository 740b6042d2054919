"""Step 2: the facts of the case: who, when, how much, which transaction, what happened."""

from __future__ import annotations

import ipywidgets as w

from complaint.errors import InvalidInput
from complaint.model import DESCRIPTION_MAX, SHORT_TEXT_MAX
from complaint.presentation import masked_account
from complaint.validation import (
    check_choice,
    check_event_date,
    clean_text,
    format_amount,
    mask_account,
    parse_amount,
)

from .common import catalog_options, char_counter, field, labelled, note, shared_layout
from .step import StepContext, StepView


class FactsStep(StepView):
    step = "facts"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        c, t = self.case, self.t
        self.provider = labelled(
            w.Dropdown,
            t("field.provider"),
            options=[(t("common.choose"), "")] + catalog_options("providers", t),
            value=c.provider,
        )
        self.first_control = self.provider
        self.provider_other = field(
            w.Text(value=c.provider_other, placeholder=t("field.provider_other.placeholder")),
            t("field.provider_other"),
        )
        # No ``max=today`` on the picker: ipywidgets would silently clamp a typed future date to today;
        # check_event_date refuses it with a message instead.
        self.event_date = labelled(w.DatePicker, t("field.event_date"), value=c.event_date)
        self.amount = labelled(
            w.Text, t("field.amount"), value=format_amount(c.amount), placeholder="0.00"
        )
        self.currency = labelled(
            w.Dropdown,
            t("field.currency"),
            options=catalog_options("currencies", t),
            value=c.currency,
        )
        self.transaction_id = labelled(
            w.Text,
            t("field.transaction_id"),
            value=c.transaction_id,
            placeholder=t("field.transaction_id.placeholder"),
        )
        # The account field masks on leaving it (not per keystroke, which would fight the typing).
        self.account = labelled(
            w.Text,
            t("field.account_last4"),
            value=masked_account(c.account_last4),
            placeholder=t("field.account_last4.placeholder"),
            continuous_update=False,
        )
        self.description = labelled(
            w.Textarea,
            t("field.description"),
            value=c.description,
            placeholder=t("field.description.placeholder"),
            rows=6,
        )

        def text(limit: int, multiline: bool = False):
            return lambda value: clean_text(value, limit, multiline=multiline)

        errors = {
            "provider": self.bind(
                self.provider,
                "provider",
                lambda value: check_choice(value, tuple(i for _, i in self.provider.options)),
            ),
            "provider_other": self.bind(
                self.provider_other, "provider_other", text(SHORT_TEXT_MAX)
            ),
            "event_date": self.bind(
                self.event_date, "event_date", lambda value: check_event_date(value, self.today())
            ),
            "amount": self.bind(self.amount, "amount", parse_amount),
            "currency": self.bind(self.currency, "currency", lambda value: value or "CNY"),
            "transaction_id": self.bind(
                self.transaction_id, "transaction_id", text(SHORT_TEXT_MAX)
            ),
            "account": self.bind(self.account, "account_last4", mask_account),
            "description": self.bind(
                self.description, "description", text(DESCRIPTION_MAX, multiline=True)
            ),
        }
        self.account.observe(self.safely(self._show_masked), names="value")
        self.clear_when_hidden(self.provider, self.provider_other)
        money = w.Box(
            [self.amount, self.currency],
            layout=shared_layout(width="100%"),
            _dom_classes=("wb-row",),
        )
        self.widget.children += (
            self.provider,
            errors["provider"],
            self.provider_other,
            errors["provider_other"],
            self.event_date,
            errors["event_date"],
            money,
            errors["amount"],
            errors["currency"],
            self.transaction_id,
            errors["transaction_id"],
            self.account,
            note(t("field.account_last4.hint")),
            errors["account"],
            self.description,
            char_counter(self.description, DESCRIPTION_MAX, t, multiline=True),
            note(t("field.description.hint")),
            errors["description"],
        )

    def _show_masked(self, change: dict) -> None:
        try:
            mask_account(change["new"])
        except InvalidInput:
            return  # keep what was typed beside its message (resetting it would clear the message)
        shown = masked_account(self.case.account_last4)
        if change["new"] != shown:
            self.account.value = (
                shown  # the full number disappears from the page as soon as it is left
            )
