"""How a value goes into a cell of the case sheet and comes back: formula-injection escaping,
digit-only text that spreadsheets must not turn into numbers, yes/no, dates and save times.

Text cells are neutralised against formula injection (OWASP ASVS 5.0 1.2.10, CWE-1236) by
a leading apostrophe; :func:`unescape_cell` undoes exactly what :func:`escape_cell` did.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

from ..errors import CaseSheetError
from ..i18n import Translator
from .fields import NUMERIC_KEYS

#: A row of the sheet, unescaped: (key, label, value, display).
Row = tuple[str, str, str, str]
#: The cells of one section, as read: key -> (row number, raw value).
Cells = dict[str, tuple[int, str]]

# A cell Excel would evaluate starts with = + - @ tab or CR. Cells that already start with
# apostrophes before such a character get one more, so that reading back is exact.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


# Excel and LibreOffice read a digit-only cell of a CSV as a number: "0079" shows as 79, and an
# id of more than 15 digits loses its last digits (Excel keeps 15 significant digits). Quoting
# does not help; the one form both open as text is a formula whose result is that text,
# ="0079". It is a constant: no reference, no function, nothing a spreadsheet could run.
# Only values that are nothing but ASCII digits get it; every other cell is escaped as before,
# so a value a person typed that starts with = (even ="0079") still gets its apostrophe.
_DIGITS = re.compile(r"[0-9]+")
_DIGITS_AS_TEXT = re.compile(r'="([0-9]+)"')
#: Rows whose value is a number by nature (not text a person typed): they stay numbers.
_NUMBER_KEY = re.compile(
    r"format_version|amount|escalation\.figure\.[a-z0-9_]+|audit\.(?:password_)?score|evidence\.[a-z0-9_]+\.file\.[0-9]+\.size"
)


def is_number_key(key: str) -> bool:
    return _NUMBER_KEY.fullmatch(key) is not None


def value_cell(key: str, value: str) -> str:
    """The value column's cell for a row: numbers as they are, digit-only text as ="…" (shown as
    text, exactly as typed), anything else formula-escaped."""
    if key in NUMERIC_KEYS:
        return value
    if _DIGITS.fullmatch(value) and not is_number_key(key):
        return f'="{value}"'
    return escape_cell(value)


def digits_from_cell(raw: str) -> str:
    """Undo :func:`value_cell`'s ="…" (other cells are returned as they are)."""
    match = _DIGITS_AS_TEXT.fullmatch(raw)
    return match.group(1) if match else raw


def rows_csv(
    header: tuple[str, ...], rows, value_column: int = 2, key_column: int | None = 0
) -> bytes:
    """CSV bytes as every file of the workbook is written: UTF-8 with BOM, CRLF, every cell
    neutralised against formula injection; in rows with a key, the value cell as :func:`value_cell`
    writes it (numbers stay numbers, digit-only text opens as text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        key = row[key_column] if key_column is not None else None
        writer.writerow(
            [
                value_cell(key, cell)
                if key is not None and column == value_column
                else escape_cell(cell)
                for column, cell in enumerate(row)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


YES, NO = "yes", "no"


def yes_no(t: Translator, value: bool) -> tuple[str, str]:
    """A yes/no answer's value and display cells."""
    return (YES, t("common.yes")) if value else (NO, t("common.no"))


def bad_value(row: int, key: str) -> CaseSheetError:
    return CaseSheetError("sheet.bad_value", row=row, field=key)


def timestamp(raw: str, row: int, key: str) -> datetime:
    """A save time: ISO 8601 with a time zone, in a plausible range (so it can be shown locally)."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise bad_value(row, key) from None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2200:
        raise bad_value(row, key)
    return moment.astimezone(UTC)


def plausible_date(text: str) -> date:
    """An ISO date between 2000 and 2200: a hand-edited year 9999 must not break date arithmetic."""
    day = date.fromisoformat(text.strip())
    if not 2000 <= day.year <= 2200:
        raise ValueError(text)
    return day
