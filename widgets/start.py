"""The first screen: what the workbook is for, start a new case, or resume one with its code."""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w

from complaint.codes import CODE_LENGTH
from complaint.errors import WorkbookError
from complaint.i18n import Translator
from complaint.evidence import UPLOAD_LIMIT_BYTES
from complaint.sheet import MAX_SHEET_BYTES

from .common import error_line, field, show_error, upload_limit_html


class StartPanel:
    def __init__(
        self,
        t: Translator,
        on_new: Callable[[], None],
        on_resume: Callable[[str], None],
        on_practice: Callable[[str], None] | None = None,
        on_sheet: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self.t = t
        paragraphs = "".join(f"<p>{escape(t(key))}</p>" for key in ("start.intro", "start.what_you_get", "start.not_legal_advice"))
        intro = w.HTML(f"<div class='wb-intro'>{paragraphs}</div>")
        self.new_button = w.Button(description=t("start.new"), button_style="primary", layout=w.Layout(width="auto"))
        self.new_button.on_click(lambda _b: on_new())
        self.code = field(w.Text(placeholder="XXXX-XXXX-XXXX-XXXX", continuous_update=False), t("start.code_label"))
        self.code.add_class("wb-code-input")
        self.resume_button = w.Button(description=t("start.resume"), layout=w.Layout(width="auto"))
        self.resume_button.on_click(lambda _b: on_resume(self.code.value))
        # Enter (or leaving the field) sends the code too: continuous_update=False syncs only then.
        self.code.observe(lambda change: on_resume(change["new"]) if change["new"].strip() else None, names="value")
        self.message = error_line()
        resume_title = w.HTML(f"<h2>{escape(t('start.resume_title'))}</h2><p class='wb-note'>{escape(t('start.resume_hint', length=CODE_LENGTH))}</p>")
        children = [intro, self.new_button, resume_title, self.code, self.resume_button, self.message]
        if on_sheet is not None:
            children += self._sheet_upload(on_sheet)
        if on_practice is not None:
            from complaint.scenarios import scenarios  # read only when the start screen offers practice

            options = [(t.pick(s.title), s.id) for s in scenarios().values()]
            self.practice = field(w.Dropdown(options=options), t("practice.choose"))
            self.practice_button = w.Button(description=t("practice.start"), layout=w.Layout(width="auto"))
            self.practice_button.on_click(lambda _b: on_practice(self.practice.value))
            practice_title = w.HTML(f"<h2>{escape(t('practice.title'))}</h2><p class='wb-note'>{escape(t('practice.hint'))}</p>")
            children += [practice_title, self.practice, self.practice_button]
        self.widget = w.VBox(children)
        self.widget.add_class("wb-start")

    def _sheet_upload(self, on_sheet: Callable[[str, bytes], None]) -> list[w.DOMWidget]:
        """Continue from a downloaded case sheet or case bundle: its answers (and a bundle's kept
        evidence files) come back into a new case."""
        t = self.t
        title = w.HTML(f"<h2>{escape(t('start.sheet_title'))}</h2>")
        # The page template refuses a file over the limit before it is sent (the websocket would
        # drop it without a word); the reader refuses anything larger too.
        # A bundle may be as large as an evidence upload (complaint.bundle.MAX_BUNDLE_BYTES, not
        # imported here: the start screen stays light); the CSV reader keeps its own lower limit.
        limit = w.HTML(upload_limit_html(t, max(MAX_SHEET_BYTES, UPLOAD_LIMIT_BYTES), t("start.sheet_hint"), "start.sheet_too_large"))
        # The tooltip doubles as the visible label (workbook.css), as for evidence uploads.
        self.sheet = w.FileUpload(
            accept=".csv,text/csv,text/comma-separated-values,.zip,application/zip", multiple=False, description=t("start.sheet_upload"), tooltip=t("start.sheet_upload"), layout=w.Layout(width="auto")
        )

        def uploaded(change: dict) -> None:
            if not change["new"]:
                return  # the reset below
            upload = change["new"][0]
            self.sheet.value = ()  # the bytes are not kept in the widget's state
            on_sheet(upload["name"], bytes(upload["content"]))

        self.sheet.observe(uploaded, names="value")
        self.sheet_message = error_line()
        box = w.Box([self.sheet], layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))
        box.add_class("wb-upload")
        return [title, limit, box, self.sheet_message]

    def show_sheet_error(self, error: WorkbookError) -> None:
        show_error(self.sheet_message, self.t, error)

    def show_error(self, error: WorkbookError | None) -> None:
        show_error(self.message, self.t, error)

    def show_message(self, key: str) -> None:
        self.show_error(WorkbookError(key))
