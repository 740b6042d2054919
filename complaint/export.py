"""All case sheets of a workshop in one file: a combined CSV, a ZIP of the sheets, a case table.

The anonymised exports are for sharing with a consumer association or a clinic. They are
built from an allow-list, not a deny-list: only rows that are a choice from the catalog, a date,
an amount, a yes/no, a score or a count survive, re-derived from the validated case (never
copied from the file, so a hand-edited sheet cannot slip text through a kept key). Names,
phone numbers, addresses, account digits, transaction numbers, every free-text answer and
narrative, statements, file names and fingerprints, rows added by hand, the participant's
user name and the name or seat they gave the trainer are all left out. Which keys are kept is the
tested contract (tests/core/test_export.py).

Case ids are re-keyed in every anonymised export (:class:`ExportKey`): a participant's own sheet
names its case id, so an id kept as it is would let anyone holding both files join them. Each
export draws a fresh random key, so two anonymised exports cannot be joined to each other either,
while within one export (the rows of a combined CSV, the sheets of a ZIP) a case keeps one id.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .errors import CaseSheetError
from .model import Case
from .sheet import HEADER, rows_csv, sheet_rows
from .trainer.sheets import read_case
from .trainer.summary import WORK_STEPS, CaseSummary

#: The rows an anonymised sheet keeps (full-key patterns). Everything else is dropped.
ANONYMOUS_KEYS = tuple(
    re.compile(pattern)
    for pattern in (
        r"format_version",
        r"case_id",
        r"language",
        r"created_at",
        r"updated_at",
        r"practice",
        r"problem",
        r"provider",
        r"event_date",
        r"amount",
        r"currency",
        r"goal",
        r"evidence\.[a-z0-9_]+\.status",
        r"channel\.[a-z0-9_]+\.tried",
        r"contact\.[0-9]+\.(when|channel|promised_by|outcome)",
        r"audit\.[a-z0-9_.]+",  # answers, the 0-4 password score, quiz answers, score, action ids
        r"escalation\.(jurisdiction|fraud|next|figure\.[a-z0-9_]+|filed\.[a-z_]+)",
        r"handling\.[a-z_]+",
        r"end_of_sheet",
    )
)


def is_anonymous_key(key: str) -> bool:
    return any(pattern.fullmatch(key) for pattern in ANONYMOUS_KEYS)


class ExportKey:
    """A fresh random key for one anonymised export; ``rekey(case_id)`` is the case's id in it."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)  # never written anywhere: the mapping cannot be undone

    def rekey(self, case_id: str) -> str:
        return hmac.new(self._key, case_id.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


@dataclass(frozen=True)
class SheetFile:
    """One sheet to export: where it is in the cases folder and its bytes."""

    path: str
    participant: str
    data: bytes


def sheet_export_rows(
    sheet: SheetFile, key: ExportKey | None
) -> tuple[str, list[tuple[str, str, str, str]]]:
    """(case id, rows) of one sheet, re-derived from the validated case. CaseSheetError if unreadable.

    With an export key the rows are anonymised and the case id is the re-keyed one.
    """
    case, case_id = read_case(sheet.data)
    return case_export_rows(case, case_id, key)


def case_export_rows(
    case: Case, case_id: str, key: ExportKey | None
) -> tuple[str, list[tuple[str, str, str, str]]]:
    """:func:`sheet_export_rows` of a case already read (``read_case``) from its sheet."""
    anonymise = key is not None
    if anonymise:
        case_id = key.rekey(case_id)
    rows = []
    for row_key, label, value, display in sheet_rows(case):
        if row_key == "case_id":
            value = case_id  # the case has no resume code here: the id the sheet names (re-keyed if anonymised)
        if anonymise and not is_anonymous_key(row_key):
            continue
        rows.append((row_key, label, value, display))
    return case_id, rows


def combined_csv(sheets: Iterable[SheetFile], anonymise: bool) -> tuple[bytes, list[str]]:
    """Every row of every sheet, one CSV (long format: one line per case and answer).

    Returns the bytes and the paths of sheets left out because they could not be read.
    """
    header = (
        ("case_id", "key", "label", "value", "display")
        if anonymise
        else ("case_id", "participant", "key", "label", "value", "display")
    )
    key = ExportKey() if anonymise else None
    rows, skipped = [], []
    for sheet in sheets:
        try:
            case_id, sheet_rows_ = sheet_export_rows(sheet, key)
        except CaseSheetError:
            skipped.append(sheet.path)
            continue
        prefix = (case_id,) if anonymise else (case_id, sheet.participant)
        rows.extend(prefix + row for row in sheet_rows_)
    return rows_csv(header, rows, value_column=len(header) - 2, key_column=len(header) - 4), skipped


def sheets_zip(sheets: Iterable[SheetFile], anonymise: bool) -> tuple[bytes, list[str]]:
    """A ZIP of the case sheets: as saved (byte for byte), or anonymised (then re-written, and
    with no participant folders). Returns the bytes and the paths left out as unreadable."""
    buffer, skipped = io.BytesIO(), []
    key = ExportKey() if anonymise else None
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets:
            if not anonymise:
                archive.writestr(sheet.path, sheet.data)
                continue
            try:
                case_id, rows = sheet_export_rows(sheet, key)
            except CaseSheetError:
                skipped.append(sheet.path)
                continue
            archive.writestr(f"{case_id}.csv", rows_csv(HEADER, rows))
    return buffer.getvalue(), skipped


#: The case table's columns; an anonymised table has no participant columns.
CASE_TABLE_COLUMNS = (
    "case_id",
    "participant",
    "participant_number",
    "participant_label",
    "practice",
    "language",
    "created_at",
    "updated_at",
    "problem",
    "provider",
    "amount",
    "currency",
    *(f"step.{step}" for step in WORK_STEPS),
    "evidence_ready",
    "evidence_total",
    "audit_score",
    "rung_taken",
    "next_rung",
    "next_date",
    "next_date_to_verify",
    "contacts",
    "audit_answered",
    "audit_items",
)
_PARTICIPANT_COLUMNS = ("participant", "participant_number", "participant_label")


def case_table(
    cases: Iterable[CaseSummary], key: ExportKey | None
) -> tuple[tuple[str, ...], list[list[object]]]:
    """The dashboard's table, one row per case, as Python values (datetimes, dates, ints, None
    for "not answered", the amount as written). With an export key: case ids re-keyed, no
    participant columns. The CSV (:func:`case_table_csv`) and complaint.analysis are built on it."""
    header = tuple(
        name for name in CASE_TABLE_COLUMNS if not (key and name in _PARTICIPANT_COLUMNS)
    )
    rows = []
    for c in cases:
        rows.append(
            [key.rekey(c.case_id) if key else c.case_id]
            + ([] if key else [c.participant, c.number, c.label])
            + [
                c.practice,
                c.language,
                c.created_at,
                c.updated_at,
                c.problem,
                c.provider,
                c.amount,
                c.currency,
                *c.steps,
                c.evidence_ready,
                c.evidence_total,
                c.audit_score,
                c.rung_taken,
                c.next_rung,
                c.next_date,
                c.next_to_verify,
                c.contacts,
                c.audit_answered,
                c.audit_items,
            ]
        )
    return header, rows


def _table_text(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def case_table_csv(cases: Iterable[CaseSummary], anonymise: bool) -> bytes:
    """The dashboard's table, one line per case, for a spreadsheet (machine values: ids, ISO dates)."""
    header, rows = case_table(cases, ExportKey() if anonymise else None)
    return rows_csv(
        header, [[_table_text(value) for value in row] for row in rows], key_column=None
    )
