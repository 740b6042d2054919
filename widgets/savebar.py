"""The case's resume code, the save status, Save, and the CSV download link."""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

import ipywidgets as w

from complaint.codes import format_code
from complaint.evidence import human_size
from complaint.i18n import Translator

from .common import plain, shared_layout, static_html


def download_link_html(data: bytes, filename: str, text: str, media_type: str = "text/csv") -> str:
    """An <a download> with the file (a case sheet, a statement, the printable record) inline as
    a data: URI.

    ipywidgets 8 has no download widget and Voilà does not serve files from disk (and must not:
    other participants' sheets are there), so the bytes travel inside the page itself.

    It looks like a button and says the file's type and size ("CSV · 3 KB"): a person on a phone
    data plan decides before tapping.
    """
    payload = base64.b64encode(data).decode("ascii")
    kind = filename.rsplit(".", 1)[-1].upper() if "." in filename else ""
    meta = " · ".join(part for part in (kind, human_size(len(data))) if part)
    return (
        f'<a class="wb-download" download="{escape(filename)}" '
        f'href="data:{media_type};charset=utf-8;base64,{payload}">{escape(text)} <span class="wb-download-meta">{escape(meta)}</span></a>'
    )


class SaveBar:
    def __init__(
        self,
        t: Translator,
        code: str,
        on_save: Callable[[], None],
        on_xlsx: Callable[[], None] | None = None,
    ) -> None:
        self.t = t
        self.banner = static_html(
            "<div class='wb-code' role='status'>"
            f"<span>{escape(t('case.code_label'))}</span> "
            f"<strong class='wb-code-value'>{escape(format_code(code))}</strong>"
            f"<br><small>{escape(t('case.code_hint'))}</small></div>"
        )
        self.status = static_html("")
        # HH:MM of the last save the kernel acknowledged, kept on the status element for the page's
        # script: if the connection dies, it says what was typed since then is not saved.
        self.saved_at = ""
        self.save_button = plain(w.Button, description=t("save.button"))
        self.save_button.on_click(lambda _b: on_save())
        self.download = static_html("")
        # The .xlsx is made when asked for, not at every save: the file travels inside the page.
        self.xlsx_button = plain(
            w.Button, description=t("save.make_xlsx"), _dom_classes=("wb-small-button",)
        )
        if on_xlsx is not None:
            self.xlsx_button.on_click(lambda _b: on_xlsx())
        self.xlsx = static_html("")
        # The status and Save sit in the case bar (widgets/casebar.py), always in view; the code
        # and the downloads in the panel it opens.
        parts = [self.download, self.xlsx_button, self.xlsx] if on_xlsx else [self.download]
        actions = w.Box(
            parts,
            layout=shared_layout(flex_flow="row wrap", align_items="center"),
            _dom_classes=("wb-save-actions",),
        )
        self.widget = w.VBox(
            [self.banner, actions], layout=shared_layout(), _dom_classes=("wb-savebar",)
        )

    def set_status(
        self, key: str, *, state: str = "", saved_at: str | None = None, **params: object
    ) -> None:
        """Show a status message; ``state`` (default: the key's last part) names its CSS class, and
        ``saved_at`` (HH:MM of the last acknowledged save) stays on it for the page's connection banner."""
        state = state or key.split(".")[-1]
        if saved_at is not None:
            self.saved_at = saved_at
        self.status.value = (
            f"<span class='wb-status wb-status-{escape(state)}' data-wb-saved-at='{escape(self.saved_at)}' "
            f"aria-live='polite'>{escape(self.t(key, **params))}</span>"
        )

    def set_download(self, data: bytes, filename: str) -> None:
        self.download.value = download_link_html(data, filename, self.t("save.download"))

    def set_xlsx(self, data: bytes, filename: str) -> None:
        """Offer the .xlsx just made."""
        from complaint.xlsx import MEDIA_TYPE  # only once an .xlsx was asked for: openpyxl is heavy

        self.xlsx.value = download_link_html(
            data, filename, self.t("save.download_xlsx"), MEDIA_TYPE
        )

    def clear_xlsx(self) -> None:
        """Take the .xlsx offer away: the answers have changed since it was made."""
        self.xlsx.value = ""
