"""The case sheet: a case as CSV that people (Excel, LibreOffice, WPS) and programs can read.

Layout (documented in docs/case-sheet.md): a header ``key,label,value,display`` and one row
per answer. ``key`` is a stable machine key, ``label`` the question in the case's language,
``value`` the answer in a machine form (ids, ISO dates, plain decimals) and ``display`` the
answer as a person reads it (the chosen option's label). The first row is ``format_version``
and the last ``end_of_sheet``, so a truncated file is recognised as such.

Text cells are neutralised against formula injection (OWASP ASVS 5.0 1.2.10, CWE-1236) by
a leading apostrophe; :func:`unescape_cell` undoes exactly what :func:`escape_cell` did.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from . import validation as v
from .catalog import load_catalog
from .errors import CaseSheetError, InvalidInput
from .i18n import LANGUAGES, Translator
from .model import DESCRIPTION_MAX, SHORT_TEXT_MAX, Case

FORMAT_VERSION = 1
HEADER = ("key", "label", "value", "display")
MAX_SHEET_BYTES = 5 * 1024 * 1024  # far above any real sheet; stops a runaway file early

# A cell Excel would evaluate starts with = + - @ tab or CR. Cells that already start with
# apostrophes before such a character get one more, so that reading back is exact.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


@dataclass(frozen=True)
class SheetField:
    """How one attribute of :class:`Case` becomes a row, and back."""

    key: str
    to_cell: Callable[[object], str]
    from_cell: Callable[[str], object]
    family: str = ""  # catalog family whose label goes into ``display``
    numeric: bool = False  # numbers stay numbers: not formula-escaped
    display: Callable[[str], str] | None = None  # how a person should see the value, if not as is


def _text(limit: int, multiline: bool = False) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.clean_text(cell, limit, multiline=multiline))


def _choice(family: str) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.check_choice(cell, load_catalog().ids(family)))


def _date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


def _account(cell: str) -> str:
    if len(cell) > 4 or cell != v.mask_account(cell):  # a sheet must never smuggle a full account number in
        raise InvalidInput("account.not_masked")
    return cell


def _id_as_text(value: str) -> str:
    """Spreadsheets turn long digit strings into numbers (28-digit WeChat/Alipay ids lose digits,
    "0123" becomes 123). The display column shows such ids grouped by spaces, which stays text."""
    if value.isdigit() and (len(value) > 11 or value.startswith("0")):
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return ""


FIELDS: tuple[SheetField, ...] = (
    SheetField("problem", *_choice("problems"), family="problems"),
    SheetField("problem_other", *_text(SHORT_TEXT_MAX)),
    SheetField("provider", *_choice("providers"), family="providers"),
    SheetField("provider_other", *_text(SHORT_TEXT_MAX)),
    SheetField("event_date", lambda d: d.isoformat() if d else "", _date),
    SheetField("amount", v.format_amount, v.parse_amount, numeric=True),
    SheetField("currency", *_choice("currencies"), family="currencies"),
    SheetField("transaction_id", *_text(SHORT_TEXT_MAX), display=_id_as_text),
    SheetField("account_last4", lambda s: s, _account, display=lambda last4: f"••••{last4}" if last4 else ""),
    SheetField("description", *_text(DESCRIPTION_MAX, multiline=True)),
    SheetField("goal", *_choice("goals"), family="goals"),
    SheetField("goal_other", *_text(SHORT_TEXT_MAX)),
    SheetField("goal_details", *_text(DESCRIPTION_MAX, multiline=True)),
)
_META_KEYS = ("format_version", "case_id", "language", "created_at", "updated_at")
_END_KEY = "end_of_sheet"


def sheet_rows(case: Case) -> list[tuple[str, str, str, str]]:
    """The rows of a case sheet, unescaped: (key, label, value, display)."""
    t = Translator(case.language)
    catalog = load_catalog()
    language_names = {"zh": "简体中文", "en": "English"}
    rows = [
        ("format_version", t("sheet.key.format_version"), str(FORMAT_VERSION), ""),
        ("case_id", t("sheet.key.case_id"), case.case_id, ""),
        ("language", t("sheet.key.language"), case.language, language_names[case.language]),
        ("created_at", t("sheet.key.created_at"), case.created_at.isoformat(), ""),
        ("updated_at", t("sheet.key.updated_at"), case.updated_at.isoformat(), ""),
    ]
    for spec in FIELDS:
        value = spec.to_cell(getattr(case, spec.key))
        display = ""
        if spec.family and value:
            display = catalog.label(spec.family, value, case.language)
        elif spec.display and value:
            display = spec.display(value)
        rows.append((spec.key, t(f"field.{spec.key}"), value, display))
    rows.extend(case.extra_rows)  # rows someone added by hand: kept, never dropped by a save
    rows.append((_END_KEY, t("sheet.key.end_of_sheet"), "", ""))
    return rows


def write_sheet(case: Case) -> bytes:
    """The case sheet as bytes: UTF-8 with BOM (so Excel on a Chinese Windows shows 中文), CRLF rows."""
    numeric_keys = {spec.key for spec in FIELDS if spec.numeric}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for key, label, value, display in sheet_rows(case):
        value_cell = value if key in numeric_keys else escape_cell(value)
        writer.writerow((key, escape_cell(label), value_cell, escape_cell(display)))
    return buffer.getvalue().encode("utf-8-sig")


def _decode(data: bytes) -> str:
    if len(data) > MAX_SHEET_BYTES:
        raise CaseSheetError("sheet.too_large", limit_mb=MAX_SHEET_BYTES // (1024 * 1024))
    if b"\x00" in data:
        raise CaseSheetError("sheet.not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # cut off in the middle of a character
            raise CaseSheetError("sheet.truncated") from None
        if data.startswith(b"\xef\xbb\xbf"):  # says it is UTF-8, but is not
            raise CaseSheetError("sheet.bad_encoding") from None
    try:  # a sheet re-saved by Excel on a Chinese Windows is GB18030/GBK, not UTF-8
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CaseSheetError("sheet.bad_encoding") from None


def read_sheet(data: bytes) -> dict[str, object]:
    """Parse a case sheet into the keyword arguments of :class:`Case` (without ``code``).

    Raises CaseSheetError, whose key says what is wrong, for anything that is not a complete,
    valid case sheet; never returns a half-read case.
    """
    text = _decode(data)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise CaseSheetError("sheet.malformed") from None
    records = [r for r in records if any(cell.strip() for cell in r)]  # blank lines from editors
    if not records or tuple(cell.strip().lower() for cell in records[0][:3]) != HEADER[:3]:
        raise CaseSheetError("sheet.not_a_case_sheet")
    cells: dict[str, tuple[int, str]] = {}
    records_by_key: dict[str, list[str]] = {}
    for line_number, record in enumerate(records[1:], start=2):
        if len(record) < 3:
            raise CaseSheetError("sheet.malformed_row", row=line_number)
        key = record[0].strip()
        if key in cells:
            raise CaseSheetError("sheet.duplicate_key", row=line_number, field=key)
        cells[key] = (line_number, record[2])
        records_by_key[key] = record
    if _END_KEY not in cells:
        raise CaseSheetError("sheet.truncated")
    version_text = cells.get("format_version", (0, ""))[1].strip()
    if not re.fullmatch(r"[1-9][0-9]{0,3}", version_text):
        raise CaseSheetError("sheet.not_a_case_sheet")
    if int(version_text) > FORMAT_VERSION:
        raise CaseSheetError("sheet.newer_version", version=version_text, supported=FORMAT_VERSION)

    numeric_keys = {spec.key for spec in FIELDS if spec.numeric}

    def cell(key: str) -> tuple[int, str]:
        row, raw = cells.get(key, (0, ""))
        return row, raw if key in numeric_keys else unescape_cell(raw)

    answers: dict[str, object] = {}
    for spec in FIELDS:
        row, raw = cell(spec.key)
        try:
            answers[spec.key] = spec.from_cell(raw)
        except (InvalidInput, ValueError):
            raise CaseSheetError("sheet.bad_value", row=row, field=spec.key) from None
    language = cell("language")[1].strip()
    if language not in LANGUAGES:
        raise CaseSheetError("sheet.bad_value", row=cell("language")[0], field="language")
    answers["language"] = language
    for key in ("created_at", "updated_at"):
        row, raw = cell(key)
        answers[key] = _timestamp(raw, row, key)
    answers["case_id"] = cell("case_id")[1].strip()
    answers["currency"] = answers["currency"] or "CNY"
    known = set(_META_KEYS) | {spec.key for spec in FIELDS} | {_END_KEY}
    answers["extra_rows"] = [
        tuple(unescape_cell(c) for c in (record + ["", "", "", ""])[:4]) for key, record in records_by_key.items() if key not in known
    ]
    return answers


def _timestamp(raw: str, row: int, key: str) -> datetime:
    """A save time: ISO 8601 with a time zone, in a plausible range (so it can be shown locally)."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CaseSheetError("sheet.bad_value", row=row, field=key) from None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2200:
        raise CaseSheetError("sheet.bad_value", row=row, field=key)
    return moment.astimezone(timezone.utc)
