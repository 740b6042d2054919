"""The case sheet as an Excel workbook (.xlsx): the same rows as the CSV, every cell typed.

A CSV cannot say what a cell is, so spreadsheets guess (and turn ids into numbers); an .xlsx
can. Text is text (an id keeps its zeros and every digit), amounts and counts are numbers,
dates are dates. A text cell is always stored as a string, never as a formula, and one that a
spreadsheet would take for a formula when edited carries Excel's own marker for "typed as text"
(quotePrefix, the hidden apostrophe), so nothing in it is ever run.

openpyxl is imported only here, and this module only when someone asks for the .xlsx.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .i18n import Translator
from .model import Case
from .sheet import HEADER, NUMERIC_KEYS, is_number_key, sheet_rows

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_DATE_KEY = re.compile(
    r"event_date|contact\.[0-9]+\.promised_by|handling\.[a-z_]+|escalation\.filed\.[a-z_]+"
)
_MOMENT_KEY = re.compile(
    r"created_at|updated_at|evidence\.[a-z0-9_]+\.file\.[0-9]+\.uploaded_at"
)  # UTC, with a zone
_LOCAL_TIME_KEY = re.compile(r"contact\.[0-9]+\.when")  # the user's wall-clock time, no zone
_FORMULA_START = re.compile(r"[=+\-@\t\r]")
_WIDTHS = {"A": 34, "B": 48, "C": 44, "D": 36}


def typed_value(key: str, value: str) -> tuple[object, str | None]:
    """The cell value for a row's value and its number format (None: as it is)."""
    if not value:
        return None, None
    if key in NUMERIC_KEYS:
        return Decimal(value), "0.00"
    if is_number_key(key):
        return int(value), "0"
    if _DATE_KEY.fullmatch(key):
        return date.fromisoformat(value), "yyyy-mm-dd"
    if _MOMENT_KEY.fullmatch(key):  # Excel has no time zones: shown in UTC, as the label says
        return datetime.fromisoformat(value).astimezone(UTC).replace(
            tzinfo=None
        ), "yyyy-mm-dd hh:mm:ss"
    if _LOCAL_TIME_KEY.fullmatch(key):
        return datetime.fromisoformat(value), "yyyy-mm-dd hh:mm"
    return value, None


def _text(cell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a live formula
    if _FORMULA_START.match(text):
        cell.quotePrefix = True  # stays text if someone edits the cell
    if "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _answer(cell, key: str, value: str) -> None:
    """A sheet row's value, typed by its key."""
    typed, number_format = typed_value(key, value)
    if isinstance(typed, str):
        _text(cell, typed)
    elif typed is not None:
        cell.value = typed
        cell.number_format = number_format


def sheet_xlsx(case: Case) -> bytes:
    """The case sheet of ``case`` as .xlsx bytes: header, one row per key, ``end_of_sheet`` last."""
    t = Translator(case.language)
    book = Workbook()
    table = book.active
    table.title = t("xlsx.sheet_title")[:31]  # Excel's limit for a sheet name
    for column, name in enumerate(HEADER, start=1):
        _text(table.cell(row=1, column=column), name)
        table.cell(row=1, column=column).font = Font(bold=True)
    for number, (key, label, value, display) in enumerate(sheet_rows(case), start=2):
        _text(table.cell(row=number, column=1), key)
        _text(table.cell(row=number, column=2), label)
        _answer(table.cell(row=number, column=3), key, value)
        if display:
            _text(table.cell(row=number, column=4), display)
    for column, width in _WIDTHS.items():
        table.column_dimensions[column].width = width
    table.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- a workshop's tables (complaint.analysis) in one workbook: the trainer's XLSX export ------


def _cell_value(cell, value: object) -> None:
    """One typed cell: text stays text (never a formula), numbers numbers, dates dates, missing empty."""
    import pandas as pd  # here: a participant's own .xlsx is written without pandas

    if (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    ):
        return
    if isinstance(value, str):
        if value:
            _text(cell, value)
    elif isinstance(value, pd.Timestamp):
        moment = (
            value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
        )  # Excel has no time zones
        cell.value = moment.to_pydatetime()
        cell.number_format = (
            "yyyy-mm-dd hh:mm:ss"
            if value.tzinfo
            else ("yyyy-mm-dd" if moment == moment.normalize() else "yyyy-mm-dd hh:mm")
        )
    elif hasattr(value, "item"):  # a numpy scalar
        cell.value = value.item()
    else:
        cell.value = value


def _write_table(table, frame, typed_answers: bool) -> None:
    """Rows appended in order (a write-only sheet: a big workshop's hundreds of thousands of cells
    are streamed to the file, not held as objects)."""
    columns = list(frame.columns)
    table.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(table)
        _text(cell, name)
        cell.font = Font(bold=True)
        header.append(cell)
    table.append(header)
    key_at, value_at = (
        (columns.index("key"), columns.index("value")) if typed_answers else (None, None)
    )
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in enumerate(row):
            cell = WriteOnlyCell(table)
            if (
                column == value_at
            ):  # the answers' value column: typed by its key, as in one case's .xlsx
                _answer(cell, str(row[key_at]), value)
            else:
                _cell_value(cell, value)
            cells.append(cell)
        table.append(cells)


def tables_xlsx(cases, answers, contacts) -> bytes:
    """complaint.analysis's three tables as one .xlsx: a sheet each (cases, answers, contacts)."""
    book = Workbook(write_only=True)
    for name, frame in (("cases", cases), ("answers", answers), ("contacts", contacts)):
        _write_table(book.create_sheet(name), frame, typed_answers=name == "answers")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
