"""What the page needs to keep a user with their case when the connection, the tab or a second
window gets in the way.

The kernel cannot see the browser's storage, and the page's script cannot read the data files:
these widgets are the meeting point. The page template
(``share/jupyter/voila/templates/workbook/index.html.j2``) reads the texts below from data
attributes, so they are on the page before the kernel can die, and it hands the kernel a case
to reopen through a hidden text field.

- ``PageTexts``: the connection-lost banner's texts, in the user's language, in data attributes
  of a hidden element (``.wb-page-texts``).
- ``ReopenBridge``: a hidden ``Text`` (``.wb-bridge``). The template's script puts the case code
  it kept for this tab (sessionStorage) or this device (localStorage) into it and fires
  ``change``; the kernel then opens that case as if the code had been typed. A plain ``Text``
  costs nothing at start-up, unlike a custom widget, and it is the same path as typing a code.
- ``device_controls_html``: "remember this case on this device" and "close this case", handled
  entirely by the page's script (storage lives in the browser, never on the server).
- ``remembered_case_html``: on the start screen, the case this device remembers, with "forget it".
- ``ConflictAlert``: the prominent alert of a window whose case was saved elsewhere since.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from complaint.i18n import Translator

from .common import field_style, plain, shared_layout
from .savebar import download_link_html

TIME_PLACEHOLDER = "{time}"  # filled in by the page with the time of the last acknowledged save


def _data_attributes(texts: dict[str, str]) -> str:
    return " ".join(f"data-{name}='{escape(value, quote=True)}'" for name, value in texts.items())


class PageTexts:
    """Hidden texts the page shows when the connection is lost (the kernel may be gone by then)."""

    def __init__(self, t: Translator, before: str = "") -> None:
        """``before``: hidden markup to put in the same widget (the app's stylesheet: a model fewer)."""
        self.before = before
        self.widget = plain(w.HTML, layout=shared_layout(display="none"))
        self.update(t)

    def update(self, t: Translator) -> None:
        texts = {
            "lost-title": t("connection.lost_title"),
            "lost-since": t("connection.lost_since", time=TIME_PLACEHOLDER),
            "lost-unsaved": t("connection.lost_unsaved"),
            "lost-code": t("case.code_label"),
            "lost-hint": t("connection.reload_hint"),
            "reload": t("connection.reload"),
            "forgotten": t("device.forgotten"),
        }
        self.widget.value = (
            f"{self.before}<div class='wb-page-texts' hidden {_data_attributes(texts)}></div>"
        )


class ReopenBridge:
    """A hidden text field through which the page asks the kernel to reopen a case."""

    def __init__(self, on_code: Callable[[str], None]) -> None:
        self.widget = plain(
            w.Text,
            value="",
            continuous_update=False,
            layout=shared_layout(display="none"),
            style=field_style(w.Text),
            _dom_classes=("wb-bridge",),
        )
        self.widget.observe(
            lambda change: on_code(change["new"]) if change["new"].strip() else None, names="value"
        )

    def failed(self) -> None:
        """Tell the page the case could not be reopened: it stops waiting and forgets the code."""
        self.widget.add_class("wb-reopen-failed")
        self.widget.value = ""

    def clear(self) -> None:
        self.widget.remove_class("wb-reopen-failed")
        self.widget.value = ""


def device_controls_html(t: Translator) -> str:
    """Below the resume code: remember the case on this device (off by default), close it in this tab."""
    return (
        "<div class='wb-device'>"
        f"<label class='wb-remember'><input type='checkbox' class='wb-remember-box'> {escape(t('device.remember'))}</label>"
        f"<small class='wb-note'>{escape(t('device.remember_hint'))}</small>"
        f"<button type='button' class='wb-close-case'>{escape(t('device.close_case'))}</button>"
        "</div>"
    )


def remembered_case_html(t: Translator) -> str:
    """The start screen's offer of the case this device remembers; hidden unless the page finds one."""
    return (
        "<div class='wb-remembered' hidden>"
        f"<h2>{escape(t('device.remembered_title'))}</h2>"
        f"<p>{escape(t('device.remembered_text'))} <strong class='wb-remembered-code'></strong></p>"
        f"<button type='button' class='wb-remembered-open'>{escape(t('device.open'))}</button> "
        f"<button type='button' class='wb-remembered-forget'>{escape(t('device.forget'))}</button>"
        "</div>"
        "<p class='wb-remembered-status' role='status'></p>"
    )


class ConflictAlert:
    """Shown when this window's case was saved in another window or on another device meanwhile.

    This window no longer saves (it would overwrite newer work); the page's script makes the rest
    of the page inert while this alert is shown. The user keeps this window's answers as a case
    sheet, then loads the newer version from disk.
    """

    def __init__(
        self, t: Translator, sheet: bytes, filename: str, on_load_newer: Callable[[], None]
    ) -> None:
        text = (
            f"<div class='wb-conflict-text' role='alert'><strong>{escape(t('conflict.title'))}</strong>"
            f"<p>{escape(t('conflict.explain'))}</p>"
            f"<ol><li>{escape(t('conflict.step_download'))} {download_link_html(sheet, filename, t('conflict.download'))}</li>"
            f"<li>{escape(t('conflict.step_load'))}</li></ol></div>"
        )
        self.load_button = w.Button(
            description=t("conflict.load_newer"),
            button_style="warning",
            layout=w.Layout(width="auto"),
        )
        self.load_button.on_click(lambda _b: on_load_newer())
        self.widget = w.VBox([w.HTML(text), self.load_button])
        self.widget.add_class("wb-conflict-alert")
