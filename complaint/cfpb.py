"""Workshop material from public data: how digital-wallet and money-transfer complaints end,
read from an export of the CFPB Consumer Complaint Database (CC0).

The export is read as a stream with the standard library (a full export has millions of
rows and over a gigabyte; nothing here needs pandas). Rows of other products are counted and
skipped; a row that cannot be read (bytes that are not UTF-8, a broken quote, the wrong number of
columns, no date) costs that row only and is reported with its number; nothing raises on bad data.
Every figure is checked against pandas on generated files in tests/core/test_cfpb.py.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO, NamedTuple

from .errors import CaseSheetError

REQUIRED_COLUMNS = (
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Company",
    "Company response to consumer",
    "Timely response?",
    "Complaint ID",
)
#: The CFPB's product for money transfers and wallets; "Mobile or digital wallet" is one of its sub-products.
WALLET_PRODUCT = "Money transfer, virtual currency, or money service"
#: How often (in rows) the reader reports progress and asks whether to stop: about 20 times a
#: second on this machine, and a cost too small to measure.
PROGRESS_EVERY = 5_000
#: Bad rows listed one by one (all are counted): a file broken everywhere must not fill the memory.
BAD_ROWS_LISTED = 1_000


class BadRow(NamedTuple):
    row: int  # the record's number, the header being row 1 (a spreadsheet's row number)
    line: int  # the line of the file where it starts (differs once a field holds a line break)
    reason: str  # "encoding", "unreadable", "columns", "date", "complaint_id"


@dataclass
class CfpbSummary:
    rows: int = 0  # data rows found in the file (read or not)
    kept: int = 0
    skipped_other_products: int = 0
    bad: int = 0  # rows that could not be read
    bad_rows: list[BadRow] = field(default_factory=list)  # the first BAD_ROWS_LISTED of them
    sub_products: Counter = field(default_factory=Counter)
    issues: Counter = field(default_factory=Counter)
    responses: Counter = field(default_factory=Counter)  # "Company response to consumer"
    timely: Counter = field(default_factory=Counter)  # "Timely response?": Yes / No
    first: date | None = None
    last: date | None = None
    bytes_read: int = 0
    cancelled: bool = False  # stopped on request: the figures cover the rows read so far

    @property
    def read(self) -> int:
        """Rows read: the rows found, less those that could not be read."""
        return self.rows - self.bad

    def _bad(self, row: int, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.bad_rows) < BAD_ROWS_LISTED:
            self.bad_rows.append(BadRow(row, line, reason))


def _date(text: str) -> date:
    """The export writes dates as 9/8/19 (older) or 2019-09-08 (newer)."""
    for pattern in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


Progress = Callable[[int, int], None]  # (rows found so far, bytes read so far)


def summarise_cfpb(
    source: bytes | BinaryIO,
    wallet_only: bool = True,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CfpbSummary:
    """Summarise an export, given as bytes or as a binary file (read as a stream: a full export is GBs).

    ``progress(rows, bytes)`` is called every PROGRESS_EVERY rows and once at the end;
    ``should_stop()`` is asked as often, and True ends the reading (``summary.cancelled``).
    CaseSheetError("cfpb.not_an_export") if the columns are not the CFPB's.
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    lines = _DecodedLines(stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise CaseSheetError("cfpb.not_an_export") from None
    positions = {name: index for index, name in enumerate(header)}
    if lines.last_bad or any(column not in positions for column in REQUIRED_COLUMNS):
        raise CaseSheetError("cfpb.not_an_export")
    summary = CfpbSummary()
    columns = len(header)
    date_at, product_at, sub_product_at, issue_at = (
        positions[c] for c in ("Date received", "Product", "Sub-product", "Issue")
    )
    response_at, timely_at, id_at = (
        positions[c] for c in ("Company response to consumer", "Timely response?", "Complaint ID")
    )
    counted_lines = reader.line_num  # lines of the file taken by the rows so far
    dates: dict[str, date] = {}  # the same few thousand dates repeat: each is parsed once
    kept = skipped = 0
    sub_products, issues, responses, timely = (
        summary.sub_products,
        summary.issues,
        summary.responses,
        summary.timely,
    )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:  # e.g. a field over the csv module's size limit: that row only
            summary.rows += 1
            summary._bad(summary.rows + 1, counted_lines + 1, "unreadable")
            counted_lines = reader.line_num
            continue
        start, counted_lines = counted_lines + 1, reader.line_num
        if not row:
            continue  # a blank line is no row (pandas skips them too)
        if summary.rows % PROGRESS_EVERY == 0 and summary.rows:
            if progress is not None:
                progress(summary.rows, stream.tell())
            if should_stop is not None and should_stop():
                summary.cancelled = True
                break
        summary.rows += 1
        if lines.last_bad >= start:  # one of this row's lines was not UTF-8
            summary._bad(summary.rows + 1, start, "encoding")
            continue
        if len(row) != columns:
            summary._bad(summary.rows + 1, start, "columns")
            continue
        if wallet_only and row[product_at].strip() != WALLET_PRODUCT:
            skipped += 1
            continue
        text = row[date_at]
        received = dates.get(text)
        if received is None:
            try:
                received = dates[text] = _date(text)
            except ValueError:
                summary._bad(summary.rows + 1, start, "date")
                continue
        if not row[id_at].strip():
            summary._bad(summary.rows + 1, start, "complaint_id")
            continue
        kept += 1
        sub_products[row[sub_product_at].strip() or "—"] += 1
        issues[row[issue_at].strip() or "—"] += 1
        responses[row[response_at].strip() or "—"] += 1
        timely[row[timely_at].strip() or "—"] += 1
        if summary.first is None or received < summary.first:
            summary.first = received
        if summary.last is None or received > summary.last:
            summary.last = received
    summary.kept, summary.skipped_other_products = kept, skipped
    summary.bytes_read = stream.tell()
    if progress is not None:
        progress(summary.rows, summary.bytes_read)
    return summary


class _DecodedLines:
    """The file's lines as text, decoded one by one, for csv.reader.

    A line that is not UTF-8 is decoded with replacement characters so that the CSV structure
    around it is still followed, and its number is noted: the row it belongs to is then reported
    and left out, and every other row still counts (a decoder working in blocks, or one that
    stops at the first bad byte, would lose them).
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.last_bad = 0  # number of the last line that was not UTF-8 (lines count from 1)

    def __iter__(self):
        number = 0
        for number, line in enumerate(self.stream, start=1):
            try:
                yield line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                self.last_bad = number
                yield line.decode("utf-8", "replace")
