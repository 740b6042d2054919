"""Who is who in a workshop: the participant's number, and a name or seat for the trainer.

The number (complaint.codes.participant_number) comes from the case id, so it is the same on the
participant's screen and in the trainer's table, and it tells nothing about the resume code. The
name or seat is optional, saved in the sheet (``participant_label``), shown to the trainer only
and left out of anonymised exports (complaint/export.py keeps an allow-list). Two lines and a
field under the resume code: a participant on a phone should not have to scroll past more.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from complaint.codes import participant_number
from complaint.errors import InvalidInput
from complaint.i18n import Translator
from complaint.model import PARTICIPANT_LABEL_MAX, Case
from complaint.validation import clean_text

from .common import error_line, labelled, shared_layout, show_error, static_html


class ParticipantCard:
    def __init__(self, case: Case, t: Translator, on_change: Callable[[str], None]) -> None:
        self.case, self.t, self._on_change = case, t, on_change
        self.number = participant_number(case.case_id)
        number = static_html(
            f"<p class='wb-participant-number'>{escape(t('participant.number', number=self.number))}"
            f"<br><small>{escape(t('participant.number_hint'))}</small></p>"
        )
        self.label = labelled(
            w.Text,
            t("field.participant_label"),
            value=case.participant_label,
            continuous_update=False,
        )
        self.error = error_line()
        self.label.observe(self._update, names="value")
        self.widget = w.VBox(
            [number, self.label, self.error],
            layout=shared_layout(width="100%"),
            _dom_classes=("wb-participant",),
        )

    def _update(self, change: dict) -> None:
        try:
            value = clean_text(change["new"], PARTICIPANT_LABEL_MAX)
        except InvalidInput as error:
            show_error(self.error, self.t, error)
            return
        show_error(self.error, self.t, None)
        if value != self.case.participant_label:
            self.case.participant_label = value
            self._on_change("participant")
