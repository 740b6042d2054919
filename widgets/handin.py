"""The dashboard's "add handed-in case sheets": participants of the in-browser edition download
their case sheet (CSV) or case bundle (ZIP) and hand it in; the trainer adds many at once here.

On the cases tab, above the table the sheets then appear in: taking them in is part of looking
at the workshop's cases, not of exporting them. The core (complaint.trainer.handin) reads,
checks and files each sheet; this panel shows what became of each file, every file name and
message escaped with its bidirectional controls replaced. The upload is emptied at once, so no
file's bytes stay in the widget's state.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import ipywidgets as w

from complaint.bidi import isolated_html, safe_html
from complaint.charts import format_count
from complaint.evidence import UPLOAD_LIMIT_BYTES
from complaint.i18n import Translator
from complaint.trainer.handin import (
    ADDED,
    ALREADY_HERE,
    MAX_HANDIN_FILES,
    MAX_HANDIN_TOTAL_BYTES,
    OLDER,
    ON_SERVER,
    REFUSED,
    REPLACED,
    HandedIn,
    hand_in_all,
)

from .common import upload_limit_html

MB = 1024 * 1024
#: complaint.bundle.MAX_BUNDLE_BYTES (not imported: the bundle's writer is heavy), above the CSV reader's own limit.
MAX_FILE_BYTES = UPLOAD_LIMIT_BYTES
#: Each outcome's part of the summary line, in this order (a part with no file is left out).
SUMMARY_PARTS = (
    (ADDED, "trainer.handin.added"),
    (REPLACED, "trainer.handin.replaced"),
    (ALREADY_HERE, "trainer.handin.already_here"),
    (REFUSED, "trainer.handin.refused"),
)


class HandInPanel:
    """``after(results)`` runs once the files are filed (the dashboard refreshes its table)."""

    def __init__(self, t: Translator, root: Path, after: Callable[[list[HandedIn]], None]) -> None:
        self.t, self.root, self.after = t, root, after
        # The tooltip doubles as the visible label (workbook.css), as for evidence uploads.
        self.upload = w.FileUpload(
            accept=".csv,text/csv,text/comma-separated-values,.zip,application/zip",
            multiple=True,
            description=t("trainer.handin.upload"),
            tooltip=t("trainer.handin.upload"),
            layout=w.Layout(width="auto"),
        )
        self.upload.observe(self._uploaded, names="value")
        upload_box = w.Box([self.upload])
        upload_box.add_class("wb-upload")
        self.result = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(
                    f"<h2 class='wb-step-title'>{escape(t('trainer.handin.title'))}</h2>"
                    f"<p>{escape(t('trainer.handin.intro'))}</p>"
                ),
                w.HTML(self._limit_html()),
                upload_box,
                self.result,
            ]
        )

    def _limit_html(self) -> str:
        """The limits, as a note and as data for the page's guard (share/jupyter/.../index.html.j2):
        a file over the bundle limit, or a selection over the total, is refused before it is
        sent (the websocket would drop it without a word)."""
        t = self.t
        note = upload_limit_html(
            t,
            MAX_FILE_BYTES,
            t(
                "trainer.handin.limit",
                files=format_count(MAX_HANDIN_FILES),
                total_mb=MAX_HANDIN_TOTAL_BYTES // MB,
                limit_mb=MAX_FILE_BYTES // MB,
            ),
            "trainer.handin.too_large",
        )
        total = escape(t("trainer.handin.too_large_total", total_mb=MAX_HANDIN_TOTAL_BYTES // MB))
        return note.replace(
            "<p ",
            f"<p data-limit-total='{MAX_HANDIN_TOTAL_BYTES}' data-too-large-total='{total}' ",
            1,
        )

    def _uploaded(self, change: dict) -> None:
        if not change["new"]:
            return  # the reset below
        files = [(str(upload["name"]), bytes(upload["content"])) for upload in change["new"]]
        self.upload.value = ()  # the bytes are not kept in the widget's state
        results = hand_in_all(self.root, files)
        self.result.value = self.report_html(results)
        self.after(results)

    def report_html(self, results: list[HandedIn]) -> str:
        t = self.t
        tally = {outcome: 0 for outcome, _ in SUMMARY_PARTS}
        for result in results:
            outcome = ALREADY_HERE if result.outcome in (OLDER, ON_SERVER) else result.outcome
            tally[outcome] += 1
        parts = [t(key, count=format_count(tally[o])) for o, key in SUMMARY_PARTS if tally[o]]
        summary = t("trainer.handin.summary", parts=t("trainer.handin.separator").join(parts))
        notes, refusals = [], []
        for result in results:
            name = isolated_html(_short(result.name))
            if result.outcome == REFUSED:
                refusals.append(f"<li>{name}: {safe_html(t(result.key, **result.params))}</li>")
            elif result.outcome in (OLDER, ON_SERVER):
                notes.append(f"<li>{name}: {escape(t(f'trainer.handin.{result.outcome}'))}</li>")
        html = f"<p class='wb-status' role='status'>{escape(summary)}</p>"
        if refusals:
            html += (
                f"<div class='wb-error' role='alert'><strong>{escape(t('trainer.handin.refused_title'))}</strong>"
                f"<ul>{''.join(refusals)}</ul></div>"
            )
        if notes:
            html += f"<ul class='wb-hint'>{''.join(notes)}</ul>"
        if any(r.bundle and r.outcome != REFUSED for r in results):
            html += f"<p class='wb-hint'>{escape(t('trainer.handin.bundle_note'))}</p>"
        return html


def _short(name: str) -> str:
    """An uploaded file's name as the report shows it: at most 80 characters."""
    return name if len(name) <= 80 else name[:77] + "…"
