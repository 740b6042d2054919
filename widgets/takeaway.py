"""Take the case away: "Add to calendar" (.ics) and "Download everything" (ZIP), made on click.

Both files travel inside the page as data: links (see savebar.download_link_html), so they are
made only when asked for, like the .xlsx, and taken away again once the answers change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

import ipywidgets as w

from complaint.model import EvidenceFile

from .common import plain, shared_layout, static_html
from .savebar import download_link_html


def _button(text: str) -> w.Button:
    return plain(w.Button, description=text, _dom_classes=("wb-small-button",))


def _row(*children: w.Widget) -> w.Box:
    return w.Box(
        children, layout=shared_layout(flex_flow="row wrap", align_items="center", width="100%")
    )


class CaseFiles:
    """The calendar button, and (``bundle=True``, with the sheet's bytes and a reader of kept
    evidence files) the bundle button, each with the link it makes."""

    def __init__(
        self,
        case,
        t,
        today: Callable[[], date],
        sheet_bytes: Callable[[], bytes] | None = None,
        read_kept: Callable[[EvidenceFile], bytes | None] | None = None,
    ) -> None:
        self.case, self.t, self.today, self.sheet_bytes, self.read_kept = (
            case,
            t,
            today,
            sheet_bytes,
            read_kept,
        )
        self.ics_button = _button(t("takeaway.make_ics"))
        self.ics_button.on_click(lambda _b: self.make_ics())
        self.ics = static_html("")
        rows = [_row(self.ics_button, self.ics)]
        self.bundle_button: w.Button | None = None
        self.bundle = static_html("")
        if sheet_bytes is not None and read_kept is not None:
            self.bundle_button = _button(t("takeaway.make_bundle"))
            self.bundle_button.on_click(lambda _b: self.make_bundle())
            rows.append(_row(self.bundle_button, self.bundle))
        self.widget = w.VBox(
            rows, layout=shared_layout(width="100%"), _dom_classes=("wb-takeaway",)
        )

    def clear(self) -> None:
        """Take the files away: the answers they were made from have changed."""
        self.ics.value = self.bundle.value = ""

    def make_ics(self) -> None:
        from complaint.reminders import (  # on click: off the step's rendering
            MEDIA_TYPE,
            ics_bytes,
            ics_filename,
            reminders,
        )

        t, today = self.t, self.today()
        count = len(reminders(self.case, today))
        if count == 0:
            self.ics.value = f"<p class='wb-note'>{escape(t('takeaway.ics_none'))}</p>"
            return
        link = download_link_html(
            ics_bytes(self.case, today),
            ics_filename(self.case),
            t("takeaway.ics_ready", count=count),
            MEDIA_TYPE,
        )
        self.ics.value = f"{link}<br><small>{escape(t('takeaway.ics_hint'))}</small>"

    def make_bundle(self) -> None:
        from complaint.bundle import (  # on click: off the step's rendering
            MEDIA_TYPE,
            bundle_filename,
            make_bundle,
        )

        t = self.t
        bundle = make_bundle(self.case, self.today(), self.sheet_bytes(), self.read_kept)
        parts = [
            download_link_html(
                bundle.data,
                bundle_filename(self.case),
                t("takeaway.bundle_ready", size=bundle.size_text),
                MEDIA_TYPE,
            )
        ]
        separator = t("common.list_separator")
        if bundle.mismatched:
            parts.append(
                f"<p class='wb-missing' role='alert'>{escape(t('takeaway.bundle_mismatch', names=separator.join(bundle.mismatched)))}</p>"
            )
        if bundle.missing:
            parts.append(
                f"<p class='wb-missing' role='alert'>{escape(t('takeaway.bundle_missing', names=separator.join(bundle.missing)))}</p>"
            )
        self.bundle.value = "".join(parts)
