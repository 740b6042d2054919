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


def summarise_cfpb(data: bytes, wallet_only: bool = True) -> CfpbSummary:
    """Summarise an export. CaseSheetError("cfpb.not_an_export") if the columns are not the CFPB's."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseSheetError("cfpb.not_an_export") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
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
