"""The case sheet: a case as CSV that people (Excel, LibreOffice, WPS) and programs can read.

Layout (documented in docs/case-sheet.md): a header ``key,label,value,display`` and one row
per answer. ``key`` is a stable machine key, ``label`` the question in the case's language,
``value`` the answer in a machine form (ids, ISO dates, plain decimals) and ``display`` the
answer as a person reads it (the chosen option's label). The first row is ``format_version``
and the last ``end_of_sheet``, so a truncated file is recognised as such.

The package: ``cells`` (how a value goes into a cell and back, formula-injection safe),
``fields`` (the case's own answers), and the sections after them (evidence, channels, contacts,
audit, escalation), each a module with its :class:`~.sections.Section`: a new group of rows is
one new section module, listed in ``SECTIONS`` below.
"""

from __future__ import annotations

import csv
import io
import re

from ..catalog import load_catalog
from ..errors import CaseSheetError, InvalidInput
from ..i18n import Translator, languages, locale, pick
from ..model import Case
from ..scenarios import scenarios
from . import audit, channels, contacts, escalation, evidence
from .cells import (
    digits_from_cell,
    escape_cell,
    is_number_key,
    rows_csv,
    timestamp,
    unescape_cell,
    value_cell,
)
from .fields import FIELDS, NUMERIC_KEYS, SheetField
from .sections import Section, section_of_family

__all__ = [
    "DIGITS_AS_TEXT_SINCE",
    "FIELDS",
    "FORMAT_VERSION",
    "HEADER",
    "MAX_SHEET_BYTES",
    "NUMERIC_KEYS",
    "SECTIONS",
    "SheetField",
    "digits_from_cell",
    "escape_cell",
    "is_number_key",
    "read_sheet",
    "rows_csv",
    "sheet_rows",
    "unescape_cell",
    "value_cell",
    "write_sheet",
]

#: 1: problem, facts, goal. 2: + evidence checklist with file fingerprints, channels tried, contact log.
#: 3: + security self-audit (answers, password strength score, phishing quiz; score and actions).
#: 4: + escalation (jurisdiction, fraud, your details, handling stages, dates filed), statements.
#: 5: + practice: the practice scenario a case started from.
#: 6: a digit-only text value is written as ="0079", so spreadsheets show it as typed (see below).
FORMAT_VERSION = 6
#: The first version that writes digit-only text values as ="…" (older sheets never contain one).
DIGITS_AS_TEXT_SINCE = 6
HEADER = ("key", "label", "value", "display")
MAX_SHEET_BYTES = 5 * 1024 * 1024  # far above any real sheet; stops a runaway file early
#: The sections after the case's own answers, in the sheet's order.
SECTIONS: tuple[Section, ...] = (
    evidence.SECTION,
    channels.SECTION,
    contacts.SECTION,
    audit.SECTION,
    escalation.SECTION,
)

_META_KEYS = ("format_version", "case_id", "language", "created_at", "updated_at", "practice")


def _practice_title(case: Case) -> str:
    if not case.practice:
        return ""
    scenario = scenarios().get(case.practice)
    title = pick(scenario.title, case.language) if scenario else ""
    return Translator(case.language)("sheet.practice_display", title=title or case.practice)


_END_KEY = "end_of_sheet"


def sheet_rows(case: Case) -> list[tuple[str, str, str, str]]:
    """The rows of a case sheet, unescaped: (key, label, value, display)."""
    t = Translator(case.language)
    catalog = load_catalog()
    rows = [
        ("format_version", t("sheet.key.format_version"), str(FORMAT_VERSION), ""),
        ("case_id", t("sheet.key.case_id"), case.case_id, ""),
        ("language", t("sheet.key.language"), case.language, locale(case.language).full_name),
        ("created_at", t("sheet.key.created_at"), case.created_at.isoformat(), ""),
        ("updated_at", t("sheet.key.updated_at"), case.updated_at.isoformat(), ""),
        ("practice", t("sheet.key.practice"), case.practice, _practice_title(case)),
    ]
    for spec in FIELDS:
        value = spec.to_cell(getattr(case, spec.key))
        display = ""
        if spec.family and value:
            display = catalog.label(spec.family, value, case.language)
        elif spec.display and value:
            display = spec.display(value)
        rows.append((spec.key, t(f"field.{spec.key}"), value, display))
    for section in SECTIONS:
        rows.extend(section.rows(case, t))
    rows.extend(case.extra_rows)  # rows someone added by hand: kept, never dropped by a save
    rows.append((_END_KEY, t("sheet.key.end_of_sheet"), "", ""))
    return rows


def write_sheet(case: Case) -> bytes:
    """The case sheet as bytes: UTF-8 with BOM (so Excel on a Chinese Windows shows 中文), CRLF rows."""
    return rows_csv(HEADER, sheet_rows(case))


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
    records = [r for r in records if "".join(r).strip()]  # blank lines from editors
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
    if int(version_text) >= DIGITS_AS_TEXT_SINCE:
        for key, (row, raw) in cells.items():
            if not is_number_key(key):
                cells[key] = (row, digits_from_cell(raw))
                records_by_key[key][2] = cells[key][1]

    numeric_keys = NUMERIC_KEYS

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
    if language not in languages():
        raise CaseSheetError("sheet.bad_value", row=cell("language")[0], field="language")
    answers["language"] = language
    for key in ("created_at", "updated_at"):
        row, raw = cell(key)
        answers[key] = timestamp(raw, row, key)
    answers["case_id"] = cell("case_id")[1].strip()
    practice = cell("practice")[1].strip()
    if practice and not re.fullmatch(r"[a-z0-9-]{1,60}", practice):
        raise CaseSheetError("sheet.bad_value", row=cell("practice")[0], field="practice")
    answers["practice"] = practice
    answers["currency"] = answers["currency"] or "CNY"
    # Each section reads only the keys of its own families (one dictionary pass, not one per section).
    owner = section_of_family(SECTIONS)
    cells_of: dict[str, dict[str, tuple[int, str]]] = {section.name: {} for section in SECTIONS}
    for key, entry in cells.items():
        section = owner.get(key.partition(".")[0])
        if section is not None:
            cells_of[section.name][key] = entry
    known = set(_META_KEYS) | {spec.key for spec in FIELDS} | {_END_KEY}
    for section in SECTIONS:
        restored, consumed = section.read(cells_of[section.name])
        answers.update(restored)
        known |= consumed
    answers["extra_rows"] = [
        tuple(unescape_cell(c) for c in (record + ["", "", "", ""])[:4])
        for key, record in records_by_key.items()
        if key not in known
    ]
    return answers
