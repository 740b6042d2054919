"""The first screen: what the workbook is for, start a new case, or resume one with its code.

Every visitor's kernel builds this screen (a preheated one before the visitor arrives), and each
widget model on it costs the kernel, Voilà and the browser: static texts share one HTML widget
where they follow each other, layouts and styles are shared models (``widgets.common``), error
lines are made when there is an error, and the two less common ways in (a downloaded sheet, a
practice case) are built when their button is clicked (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from complaint.codes import CODE_LENGTH
from complaint.errors import WorkbookError
from complaint.evidence import UPLOAD_LIMIT_BYTES
from complaint.i18n import Translator
from complaint.sheet import MAX_SHEET_BYTES

from .common import (
    error_line,
    labelled,
    plain,
    shared_layout,
    show_error,
    static_html,
    upload_limit_html,
)


def _button(description: str, **kwargs) -> w.Button:
    return plain(w.Button, description=description, layout=shared_layout(), **kwargs)


class StartPanel:
    def __init__(
        self,
        t: Translator,
        on_new: Callable[[], None],
        on_resume: Callable[[str], None],
        on_practice: Callable[[str], None] | None = None,
        on_sheet: Callable[[str, bytes], None] | None = None,
        *,
        above: str = "",
        container: w.Box | None = None,
    ) -> None:
        """``above``: markup shown before the introduction; ``container``: the box to fill (the
        app's body, one model fewer than a box of its own), else a new one."""
        self.t = t
        self._on_practice, self._on_sheet = on_practice, on_sheet
        paragraphs = "".join(
            f"<p>{escape(t(key))}</p>"
            for key in ("start.intro", "start.what_you_get", "start.not_legal_advice")
        )
        intro = static_html(f"{above}<div class='wb-intro'>{paragraphs}</div>")
        self.new_button = _button(t("start.new"), button_style="primary")
        self.new_button.on_click(lambda _b: on_new())
        self.code = labelled(
            w.Text,
            t("start.code_label"),
            placeholder="XXXX-XXXX-XXXX-XXXX",
            continuous_update=False,
            _dom_classes=("wb-code-input",),
        )
        self.resume_button = _button(t("start.resume"))
        self.resume_button.on_click(lambda _b: on_resume(self.code.value))
        # Enter (or leaving the field) sends the code too: continuous_update=False syncs only then.
        self.code.observe(
            lambda change: on_resume(change["new"]) if change["new"].strip() else None,
            names="value",
        )
        self._message: w.HTML | None = None
        self._sheet_message: w.HTML | None = None
        resume_title = static_html(
            f"<h2>{escape(t('start.resume_title'))}</h2><p class='wb-note'>{escape(t('start.resume_hint', length=CODE_LENGTH))}</p>"
        )
        children = [intro, self.new_button, resume_title, self.code, self.resume_button]
        if on_sheet is not None:
            self.sheet_opener = _button(t("start.sheet_title"), _dom_classes=("wb-opener",))
            self.sheet_opener.on_click(lambda _b: self.open_sheet_upload())
            children.append(self.sheet_opener)
        if on_practice is not None:
            self.practice_opener = _button(t("practice.title"), _dom_classes=("wb-opener",))
            self.practice_opener.on_click(lambda _b: self.open_practice())
            children.append(self.practice_opener)
        if container is None:
            container = w.VBox(layout=shared_layout())
        container.children = children
        container.add_class("wb-start")
        self.widget = container

    def _replace(self, old: w.Widget, new: list[w.Widget]) -> None:
        children = list(self.widget.children)
        index = children.index(old)
        self.widget.children = tuple(children[:index] + new + children[index + 1 :])
        old.close()  # its layout and style are shared

    def open_sheet_upload(self) -> None:
        """Continue from a downloaded case sheet or case bundle: its answers (and a bundle's kept
        evidence files) come back into a new case. Built in place of its button, when clicked."""
        if hasattr(self, "sheet"):
            return
        t = self.t
        # The page template refuses a file over the limit before it is sent (the websocket would
        # drop it without a word); the reader refuses anything larger too.
        # A bundle may be as large as an evidence upload (complaint.bundle.MAX_BUNDLE_BYTES, not
        # imported here: the start screen stays light); the CSV reader keeps its own lower limit.
        limit = upload_limit_html(
            t,
            max(MAX_SHEET_BYTES, UPLOAD_LIMIT_BYTES),
            t("start.sheet_hint"),
            "start.sheet_too_large",
        )
        text = static_html(f"<h2>{escape(t('start.sheet_title'))}</h2>{limit}")
        # The tooltip doubles as the visible label (workbook.css), as for evidence uploads.
        self.sheet = plain(
            w.FileUpload, accept=".csv,text/csv,text/comma-separated-values,.zip,application/zip", multiple=False,
            description=t("start.sheet_upload"), tooltip=t("start.sheet_upload"), layout=shared_layout(),
        )  # fmt: skip

        def uploaded(change: dict) -> None:
            if not change["new"]:
                return  # the reset below
            upload = change["new"][0]
            self.sheet.value = ()  # the bytes are not kept in the widget's state
            self._on_sheet(upload["name"], bytes(upload["content"]))

        self.sheet.observe(uploaded, names="value")
        self._upload_box = plain(w.Box, [self.sheet], _dom_classes=("wb-upload",))
        self._replace(self.sheet_opener, [text, self._upload_box])
        self.sheet.focus()

    def open_practice(self) -> None:
        """A fictional practice case to start from; built in place of its button, when clicked."""
        if hasattr(self, "practice"):
            return
        from complaint.scenarios import scenarios  # read only when practice is asked for

        t = self.t
        options = [(t.pick(s.title), s.id) for s in scenarios().values()]
        self.practice = labelled(w.Dropdown, t("practice.choose"), options=options)
        self.practice_button = _button(t("practice.start"))
        self.practice_button.on_click(lambda _b: self._on_practice(self.practice.value))
        title = static_html(
            f"<h2>{escape(t('practice.title'))}</h2><p class='wb-note'>{escape(t('practice.hint'))}</p>"
        )
        self._replace(self.practice_opener, [title, self.practice, self.practice_button])
        self.practice.focus()

    def _error_line(self, after: w.Widget) -> w.HTML:
        """An error line just after ``after``, made when the first error is shown there."""
        line = error_line()
        children = list(self.widget.children)
        children.insert(children.index(after) + 1, line)
        self.widget.children = tuple(children)
        return line

    @property
    def message(self) -> w.HTML:
        if self._message is None:
            self._message = self._error_line(self.resume_button)
        return self._message

    @property
    def sheet_message(self) -> w.HTML:
        if self._sheet_message is None:
            self.open_sheet_upload()
            self._sheet_message = self._error_line(self._upload_box)
        return self._sheet_message

    def show_sheet_error(self, error: WorkbookError) -> None:
        show_error(self.sheet_message, self.t, error)

    def show_error(self, error: WorkbookError | None) -> None:
        if error is None and self._message is None:
            return  # nothing shown, nothing to hide
        show_error(self.message, self.t, error)

    def show_message(self, key: str) -> None:
        self.show_error(WorkbookError(key))
