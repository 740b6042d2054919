"""Workshop material from the CFPB Consumer Complaint Database: how wallet and transfer complaints end.

The trainer uploads an export (up to the upload limit) or, for a full export of gigabytes, names
a CSV file on the trainer's own server, which is read as a stream. Only counts are shown: no
narrative or company text from the file reaches the page unescaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w

from complaint.charts import bar_chart
from complaint.errors import WorkbookError
from complaint.evidence import UPLOAD_LIMIT_BYTES
from complaint.i18n import Translator

from .common import upload_limit_html

TOP_ISSUES = 8


class CfpbPanel:
    def __init__(self, t: Translator) -> None:
        self.t = t
        # The tooltip doubles as the visible label (workbook.css), as for evidence uploads.
        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False, description=t("cfpb.upload"), tooltip=t("cfpb.upload"), layout=w.Layout(width="auto"))
        self.upload.observe(lambda _change: self._from_upload(), names="value")
        self.path = w.Text(description=t("cfpb.path"), placeholder="/srv/data/complaints.csv", style={"description_width": "initial"}, layout=w.Layout(width="100%"))
        self.read_button = w.Button(description=t("cfpb.read"), layout=w.Layout(width="auto"))
        self.read_button.on_click(lambda _b: self._from_path())
        self.result = w.HTML()
        intro = w.HTML(f"<p>{escape(t('cfpb.intro'))}</p><p class='wb-source'>{escape(t('cfpb.source'))}</p>")
        limit = w.HTML(upload_limit_html(t, UPLOAD_LIMIT_BYTES, t("cfpb.limit", limit_mb=UPLOAD_LIMIT_BYTES // (1024 * 1024))))
        upload_box = w.Box([self.upload])
        upload_box.add_class("wb-upload")
        self.widget = w.VBox([intro, limit, upload_box, self.path, self.read_button, self.result])

    def _from_upload(self) -> None:
        files = self.upload.value
        if not files:
            return
        upload = files[0]
        data = bytes(upload["content"])
        self.upload.value = ()  # the bytes are not kept in the widget's state
        if len(data) > UPLOAD_LIMIT_BYTES:
            self._error("cfpb.too_large")
            return
        self.show_summary(data)

    def _from_path(self) -> None:
        path = Path(self.path.value.strip()).expanduser()
        if not self.path.value.strip() or not path.is_file():
            self._error("cfpb.no_file")
            return
        try:
            with open(path, "rb") as handle:
                self.show_summary(handle)
        except OSError:
            self._error("cfpb.no_file")

    def _error(self, key: str) -> None:
        self.result.value = f"<div class='wb-error' role='alert'>{escape(self.t(key))}</div>"

    def show_summary(self, source) -> None:
        from complaint.cfpb import summarise_cfpb

        t = self.t
        try:
            summary = summarise_cfpb(source)
        except WorkbookError as error:
            self._error(error.key)
            return
        if not summary.kept:
            self.result.value = f"<p class='wb-hint'>{escape(t('cfpb.none_kept', skipped=summary.skipped_other_products))}</p>"
            self.result.value += self._bad_rows_html(summary)
            return
        timely_yes = summary.timely.get("Yes", 0)
        facts = t(
            "cfpb.facts", kept=summary.kept, skipped=summary.skipped_other_products, bad=len(summary.bad_rows),
            first=summary.first.isoformat() if summary.first else "", last=summary.last.isoformat() if summary.last else "",
            timely=round(100 * timely_yes / summary.kept),
        )  # fmt: skip
        charts = [
            bar_chart(t("cfpb.chart.responses"), summary.responses.most_common()),
            bar_chart(t("cfpb.chart.timely"), summary.timely.most_common()),
            bar_chart(t("cfpb.chart.sub_products"), summary.sub_products.most_common()),
            bar_chart(t("cfpb.chart.issues", top=TOP_ISSUES), summary.issues.most_common(TOP_ISSUES)),
        ]
        self.result.value = f"<p role='status'>{escape(facts)}</p><div class='wb-charts'>{''.join(charts)}</div>" + self._bad_rows_html(summary)

    def _bad_rows_html(self, summary) -> str:
        if not summary.bad_rows:
            return ""
        t = self.t
        items = "".join(f"<li>{escape(t('cfpb.bad_row', row=row, reason=t(f'cfpb.reason.{reason}')))}</li>" for row, reason in summary.bad_rows[:20])
        return f"<div class='wb-missing'>{escape(t('cfpb.bad_rows', count=len(summary.bad_rows)))}<ul>{items}</ul></div>"
