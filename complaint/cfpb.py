"""Workshop material from public data: how digital-wallet and money-transfer complaints end,
read from an export of the CFPB Consumer Complaint Database (CC0).

The export is read as a stream with the standard library (a full export has millions of
rows; nothing here needs pandas). Rows of other products are counted and skipped; rows that
cannot be read are reported with their line number; nothing raises on bad data.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from .errors import CaseSheetError

REQUIRED_COLUMNS = ("Date received", "Product", "Sub-product", "Issue", "Company", "Company response to consumer", "Timely response?", "Complaint ID")
#: The CFPB's product for money transfers and wallets; "Mobile or digital wallet" is one of its sub-products.
WALLET_PRODUCT = "Money transfer, virtual currency, or money service"


@dataclass
class CfpbSummary:
    kept: int = 0
    skipped_other_products: int = 0
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    sub_products: Counter = field(default_factory=Counter)
    issues: Counter = field(default_factory=Counter)
    responses: Counter = field(default_factory=Counter)  # "Company response to consumer"
    timely: Counter = field(default_factory=Counter)  # "Timely response?": Yes / No
    first: date | None = None
    last: date | None = None


def _date(text: str) -> date:
    """The export writes dates as 9/8/19 (older) or 2019-09-08 (newer)."""
    for pattern in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def summarise_cfpb(source: bytes | BinaryIO, wallet_only: bool = True) -> CfpbSummary:
    """Summarise an export, given as bytes or as a binary file (read as a stream: a full export is GBs).

    CaseSheetError("cfpb.not_an_export") if the columns are not the CFPB's.
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    return _summarise(csv.reader(_decoded_lines(stream)), wallet_only)


def _decoded_lines(stream: BinaryIO):
    """The file's lines as text, decoded one by one: a line that is not UTF-8 stops the reading
    there, and every line before it still counts (a decoder working in blocks would lose them)."""
    for number, line in enumerate(stream):
        yield line.decode("utf-8-sig" if number == 0 else "utf-8")


def _summarise(reader, wallet_only: bool) -> CfpbSummary:
    try:
        header = next(reader)
    except (StopIteration, csv.Error, UnicodeDecodeError):
        raise CaseSheetError("cfpb.not_an_export") from None
    positions = {name: index for index, name in enumerate(header)}
    if any(column not in positions for column in REQUIRED_COLUMNS):
        raise CaseSheetError("cfpb.not_an_export")
    summary = CfpbSummary()
    line = 1
    while True:
        line += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            summary.bad_rows.append((line, "unreadable"))
            continue
        except UnicodeDecodeError:  # not UTF-8 from here on: what was read so far still counts
            summary.bad_rows.append((line, "encoding"))
            break
        if len(row) != len(header):
            summary.bad_rows.append((line, "columns"))
            continue
        value = lambda column: row[positions[column]].strip()  # noqa: E731
        if wallet_only and value("Product") != WALLET_PRODUCT:
            summary.skipped_other_products += 1
            continue
        try:
            received = _date(value("Date received"))
        except ValueError:
            summary.bad_rows.append((line, "date"))
            continue
        if not value("Complaint ID"):
            summary.bad_rows.append((line, "complaint_id"))
            continue
        summary.kept += 1
        summary.sub_products[value("Sub-product") or "—"] += 1
        summary.issues[value("Issue") or "—"] += 1
        summary.responses[value("Company response to consumer") or "—"] += 1
        summary.timely[value("Timely response?") or "—"] += 1
        summary.first = min(summary.first or received, received)
        summary.last = max(summary.last or received, received)
    return summary
