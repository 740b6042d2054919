"""Workshop material from the CFPB Consumer Complaint Database: how wallet and transfer complaints end.

The trainer uploads an export (up to the upload limit) or, for a full export of gigabytes, names
a CSV file on the trainer's own server, which is read as a stream in a worker thread
(widgets/background.py): a progress bar shows rows and megabytes, Cancel stops it, and the rest of
the dashboard keeps working meanwhile. Only counts are shown: no narrative or company text from
the file reaches the page unescaped.
"""

from __future__ import annotations

import io
import os
from functools import partial
from html import escape
from pathlib import Path

import ipywidgets as w

from complaint import cfpb as reader  # looked up on each read, so a test can stand in for it
from complaint.charts import bar_chart, format_count
from complaint.errors import WorkbookError
from complaint.evidence import UPLOAD_LIMIT_BYTES
from complaint.i18n import Translator

from .background import Job, Post, ProgressLine, kernel_poster
from .common import upload_limit_html

TOP_ISSUES = 8
BAD_ROWS_SHOWN = 20  # listed on the page; all are counted
MB = 1024 * 1024


class CfpbPanel:
    def __init__(self, t: Translator, post: Post | None | object = ...) -> None:
        self.t = t
        self._post = post  # ...: the kernel's event loop when one runs (see widgets/background.py)
        self.job: Job | None = None
        # The tooltip doubles as the visible label (workbook.css), as for evidence uploads.
        self.upload = w.FileUpload(
            accept=".csv,text/csv",
            multiple=False,
            description=t("cfpb.upload"),
            tooltip=t("cfpb.upload"),
            layout=w.Layout(width="auto"),
        )
        self.upload.observe(lambda _change: self._from_upload(), names="value")
        self.path = w.Text(
            description=t("cfpb.path"),
            placeholder="/srv/data/complaints.csv",
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.read_button = w.Button(description=t("cfpb.read"), layout=w.Layout(width="auto"))
        self.read_button.on_click(lambda _b: self._from_path())
        self.result = w.HTML()
        self.progress = ProgressLine(t("progress.cancel"), self.cancel)
        intro = w.HTML(
            f"<p>{escape(t('cfpb.intro'))}</p><p class='wb-source'>{escape(t('cfpb.source'))}</p>"
        )
        limit = w.HTML(
            upload_limit_html(
                t, UPLOAD_LIMIT_BYTES, t("cfpb.limit", limit_mb=UPLOAD_LIMIT_BYTES // (1024 * 1024))
            )
        )
        upload_box = w.Box([self.upload])
        upload_box.add_class("wb-upload")
        self.widget = w.VBox(
            [
                intro,
                limit,
                upload_box,
                self.path,
                self.read_button,
                self.progress.widget,
                self.result,
            ]
        )

    def _from_upload(self) -> None:
        files = self.upload.value
        if not files or self.job is not None:
            return
        upload = files[0]
        data = bytes(upload["content"])
        self.upload.value = ()  # the bytes are not kept in the widget's state
        if len(data) > UPLOAD_LIMIT_BYTES:
            self._error("cfpb.too_large")
            return
        self._read(lambda: io.BytesIO(data), len(data))

    def _from_path(self) -> None:
        if self.job is not None:
            return
        path = Path(self.path.value.strip()).expanduser()
        if not self.path.value.strip() or not path.is_file():
            self._error("cfpb.no_file")
            return
        try:
            size = os.path.getsize(path)
        except OSError:
            self._error("cfpb.no_file")
            return
        self._read(partial(open, path, "rb"), size)

    def _read(self, opener, size: int) -> None:
        """Read in the background: the Read button and the upload wait, the bar shows how far."""

        def work(report, should_stop):
            with opener() as stream:
                return reader.summarise_cfpb(
                    stream,
                    progress=lambda rows, done: report(rows, done, size),
                    should_stop=should_stop,
                )

        self.result.value = ""
        self.read_button.disabled = self.upload.disabled = True
        self._show_progress(0, 0, size)
        post = kernel_poster() if self._post is ... else self._post
        self.job = Job(work, self._show_progress, self._finished, post)
        self.job.start()

    def _show_progress(self, rows: int, done: int, size: int) -> None:
        text = self.t(
            "cfpb.progress",
            rows=format_count(rows),
            done=format_count(round(done / MB)),
            size=format_count(max(1, round(size / MB))),
        )
        self.progress.show(done / size if size else None, text)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress.cancel_button.disabled = True

    def _finished(self, summary, error: BaseException | None) -> None:
        self.job = None
        self.progress.hide()
        self.read_button.disabled = self.upload.disabled = False
        if isinstance(error, WorkbookError):
            self._error(error.key)
        elif isinstance(error, OSError):
            self._error("cfpb.no_file")
        elif error is not None:
            self._error("trainer.error")
        else:
            self.show(summary)

    def _error(self, key: str) -> None:
        self.result.value = f"<div class='wb-error' role='alert'>{escape(self.t(key))}</div>"

    def show(self, summary) -> None:
        t, n = self.t, format_count
        headline = t(
            "cfpb.rows_read", read=n(summary.read), rows=n(summary.rows), bad=n(summary.bad)
        )
        if summary.cancelled:
            headline = t("cfpb.cancelled", done=n(round(summary.bytes_read / MB))) + " " + headline
        headline_html = f"<p role='status'><strong>{escape(headline)}</strong></p>"
        if not summary.kept:
            self.result.value = (
                headline_html
                + f"<p class='wb-hint'>{escape(t('cfpb.none_kept', skipped=n(summary.skipped_other_products)))}</p>"
            )
            self.result.value += self._bad_rows_html(summary)
            return
        timely_yes = summary.timely.get("Yes", 0)
        facts = t(
            "cfpb.facts",
            kept=n(summary.kept),
            skipped=n(summary.skipped_other_products),
            first=summary.first.isoformat() if summary.first else "",
            last=summary.last.isoformat() if summary.last else "",
            timely=round(100 * timely_yes / summary.kept),
        )
        charts = [
            bar_chart(t("cfpb.chart.responses"), summary.responses.most_common()),
            bar_chart(t("cfpb.chart.timely"), summary.timely.most_common()),
            bar_chart(t("cfpb.chart.sub_products"), summary.sub_products.most_common()),
            bar_chart(
                t("cfpb.chart.issues", top=TOP_ISSUES), summary.issues.most_common(TOP_ISSUES)
            ),
        ]
        self.result.value = (
            f"{headline_html}<p>{escape(facts)}</p><div class='wb-charts'>{''.join(charts)}</div>"
            + self._bad_rows_html(summary)
        )

    def _bad_rows_html(self, summary) -> str:
        if not summary.bad:
            return ""
        t, n = self.t, format_count
        items = "".join(
            f"<li>{escape(t('cfpb.bad_row', row=n(bad.row), line=n(bad.line), reason=t(f'cfpb.reason.{bad.reason}')))}</li>"
            for bad in summary.bad_rows[:BAD_ROWS_SHOWN]
        )
        more = (
            f"<p class='wb-hint'>{escape(t('cfpb.more_bad_rows', count=n(summary.bad - BAD_ROWS_SHOWN)))}</p>"
            if summary.bad > BAD_ROWS_SHOWN
            else ""
        )
        return f"<div class='wb-missing'>{escape(t('cfpb.bad_rows', count=n(summary.bad)))}<ul>{items}</ul>{more}</div>"
