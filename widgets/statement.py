"""Step 8: the complaint statement for the company and for a regulator, editable, downloadable,
and the items of the 12315 complaint form in its order; each with a copy button.

The copy button is plain HTML (``wb-copy``): the page's template copies the text of its card
(``wb-copy-group``) in the browser, where the clipboard is; the kernel cannot reach it."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from complaint.errors import InvalidInput
from complaint.escalation import jurisdiction_for
from complaint.model import STATEMENT_MAX
from complaint.statement import AUDIENCES, compose, samr_form_summary, statement_for
from complaint.validation import clean_text

from .common import (
    char_counter,
    labelled,
    note,
    plain,
    shared_layout,
    show,
    show_error,
    static_html,
    unsaved_answers_html,
)
from .savebar import download_link_html
from .step import StepContext, StepView

SAMR_BODY = "samr_12315"  # the 12315 form summary is shown where the pack has the 12315 platform


def copy_button_html(t) -> str:
    """A copy button for the text of its card, and a line that says whether it worked."""
    return (
        f"<button type='button' class='wb-copy jupyter-button wb-small-button' data-copied='{escape(t('statement.copied'), quote=True)}' "
        f"data-failed='{escape(t('statement.copy_failed'), quote=True)}'>{escape(t('statement.copy'))}</button>"
        "<span class='wb-copy-status wb-note' role='status' aria-live='polite'></span>"
    )


class StatementStep(StepView):
    step = "statement"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        t, self.refused = self.t, context.refused
        # Answers of other steps that were refused (e.g. an over-long description) are not in the
        # case, so not in the statement either: say so, instead of silently showing older text.
        self.unsaved_note = static_html("")
        self.texts: dict[str, w.Textarea] = {}
        self.links: dict[str, w.HTML] = {}
        self.edited_notes: dict[str, w.HTML] = {}
        self.errors: dict[str, w.HTML] = {}
        self.copy_buttons: dict[str, w.HTML] = {}
        cards = []
        for audience in AUDIENCES:
            text = labelled(
                w.Textarea, t(f"statement.{audience}"), rows=16, _dom_classes=("wb-statement",)
            )
            counter = char_counter(text, STATEMENT_MAX, t, multiline=True)
            reset = plain(
                w.Button, description=t("statement.reset"), _dom_classes=("wb-small-button",)
            )
            reset.on_click(self.safely(lambda _b, audience=audience: self._reset(audience)))
            self.texts[audience], self.links[audience] = text, static_html("")
            self.edited_notes[audience] = w.HTML()
            # stored only when it differs from the generated text; an over-long edit stays a draft
            self.errors[audience] = self.bind(
                text, f"statement_{audience}", lambda value, audience=audience: self._edited_text(audience, value),
                then=lambda audience=audience: self._show_state(audience),
            )  # fmt: skip
            self.copy_buttons[audience] = static_html(copy_button_html(t))
            row = shared_layout(flex_flow="row wrap", align_items="center", width="100%")
            actions = w.Box(
                [self.links[audience], reset, self.copy_buttons[audience]],
                layout=row,
                _dom_classes=("wb-save-actions",),
            )
            parts = [text, counter, self.errors[audience], self.edited_notes[audience], actions]
            if (
                audience == "regulator"
            ):  # the letter is addressed to "××分行": the user names the branch
                parts.insert(2, note(t("statement.fill_in")))
            card = w.VBox(
                parts, layout=shared_layout(width="100%"), _dom_classes=("wb-card", "wb-copy-group")
            )
            cards.append(card)
        # the 12315 form's items, in its order: generated, to copy item by item (not edited here)
        self.summary = static_html("")
        self.copy_buttons["samr_form"] = static_html(copy_button_html(t))
        self.summary_card = w.VBox(
            [
                static_html(
                    f"<h3>{escape(t('statement.summary_12315'))}</h3><p class='wb-note'>{escape(t('statement.summary_12315_note'))}</p>"
                ),
                self.summary,
                self.copy_buttons["samr_form"],
            ],
            layout=w.Layout(width="100%"),
        )
        self.summary_card.add_class("wb-card")
        self.summary_card.add_class("wb-copy-group")
        cards.append(self.summary_card)
        self.first_control = self.texts["company"]
        self.widget.children += (self.unsaved_note, *cards)
        self.refresh()

    def refresh(self) -> None:
        """Show the user's edited text, or the text generated from the latest answers."""
        for audience in AUDIENCES:
            if f"statement_{audience}" not in self._invalid:  # an over-long edit stays in its field
                with self.showing():  # the case's text shown, not an edit
                    self.texts[audience].value = statement_for(self.case, audience, self.today())
            self._show_state(audience)
        shown = SAMR_BODY in jurisdiction_for(self.case).bodies
        show(self.summary_card, shown)
        summary = samr_form_summary(self.case, self.case.language, self.today()) if shown else ""
        self.summary.value = f"<pre class='wb-copy-source wb-summary'>{escape(summary)}</pre>"
        elsewhere = [item for item in self.refused() if item[0] != self.step]
        self.unsaved_note.value = unsaved_answers_html(self.t, elsewhere, "statement.not_included")

    def _edited_text(self, audience: str, text: str) -> str:
        """What the case keeps of the text in the field: "" while it is the generated text."""
        try:
            cleaned = clean_text(text, STATEMENT_MAX, multiline=True)
        except InvalidInput:
            raise InvalidInput("statement.too_long", limit=STATEMENT_MAX) from None
        generated = compose(self.case, audience, self.case.language, self.today()).strip()
        return "" if cleaned == generated else cleaned

    def _reset(self, audience: str) -> None:
        setattr(self.case, f"statement_{audience}", "")
        show_error(self.errors[audience], self.t, None)
        self.accept(f"statement_{audience}")
        self.refresh()
        self.changed()

    def _show_state(self, audience: str) -> None:
        edited = bool(getattr(self.case, f"statement_{audience}"))
        self.edited_notes[audience].value = (
            f"<p class='wb-note'>{escape(self.t('statement.edited'))}</p>" if edited else ""
        )
        show(self.edited_notes[audience], edited)
        text = statement_for(self.case, audience, self.today())
        name = f"{self.t('statement.filename')}-{self.t(f'statement.{audience}')}-{self.case.case_id[:8]}.txt"
        # UTF-8 with BOM: Notepad on a Chinese Windows then shows the Chinese correctly.
        self.links[audience].value = download_link_html(
            text.encode("utf-8-sig"), name, self.t("statement.download"), "text/plain"
        )
