"""Fictional workshops of any size and fictional CFPB exports, for the dashboard's tests and
benchmarks (never shown as real).

Cases start from the practice scenarios (so every one is marked as practice in its sheet) and are
varied: language, how far each step got, evidence answers, self-audit answers, escalation dates.
Writing 100,000 sheets through the workbook's writer would take minutes, so a few hundred
distinct sheets are written with it and then copied under fresh case ids: every file is still
a complete sheet that the dashboard must read on its own.
"""

from __future__ import annotations

import csv
import io
import os
import random
from datetime import date, timedelta
from pathlib import Path

from .audit import load_security
from .catalog import load_catalog
from .cfpb import WALLET_PRODUCT
from .codes import case_id_for, new_code
from .escalation import RUNGS
from .model import Case, EvidenceItem
from .scenarios import fill_case, scenarios
from .sheet import write_sheet
from .trainer.saved import append_lines, journal_line
from .trainer.sheets import sheet_version
from .trainer.summary import summary_of

DISTINCT_SHEETS = 240


def varied_case(rng: random.Random, today: date) -> Case:
    case = fill_case(
        Case(language=rng.choice(("zh", "zh", "en"))),
        rng.choice(sorted(scenarios())),
        today - timedelta(days=rng.randint(0, 20)),
    )
    catalog = load_catalog()
    for item in catalog.evidence_for(case.problem):
        if rng.random() < 0.7:
            case.evidence[item.id] = EvidenceItem(status=rng.choice(("have", "have", "need", "na")))
    content = load_security()
    for question in content.questions:
        if rng.random() < 0.6:
            case.audit.answers[question.id] = rng.choice(content.answer_sets[question.answers]).id
    for example in content.phishing:
        if rng.random() < 0.5:
            case.audit.phishing[example.id] = rng.choice(("safe", "suspicious"))
    for number, rung in enumerate(RUNGS):
        if rng.random() < 0.5 ** (number + 1):
            case.escalation.filed[rung] = today - timedelta(days=rng.randint(0, 10))
    if rng.random() < 0.3:
        case.contacts = case.contacts[:1]
    return case


def write_workshop(
    root: Path | str,
    count: int,
    seed: int = 7,
    today: date | None = None,
    participants: int = 0,
    summaries: bool = False,
) -> list[Path]:
    """Write ``count`` case sheets under ``root`` (in ``participants`` sub-folders when > 0).

    ``summaries=True`` also writes the journal lines the workbook's store appends when it saves
    (complaint.trainer.saved), directly, one write per folder; without, the sheets look like
    sheets copied in from elsewhere.
    """
    rng = random.Random(seed)
    today = today or date(2026, 11, 25)
    templates = []
    for _ in range(min(count, DISTINCT_SHEETS)):
        case = varied_case(rng, today)
        data = write_sheet(case)
        summary = (
            summary_of(case, case.case_id, sheet_version(data), "", "", today)
            if summaries
            else None
        )
        templates.append((case.case_id.encode(), data, summary))
    root = Path(root)
    paths = []
    journals: dict[Path, list[bytes]] = {}
    for number in range(count):
        template_id, data, summary = templates[number % len(templates)]
        case_id = case_id_for(new_code())
        folder = root / f"participant{number % participants:03d}" if participants else root
        if folder not in journals:
            folder.mkdir(parents=True, exist_ok=True)
            journals[folder] = []
        path = folder / f"{case_id}.csv"
        data = data.replace(template_id, case_id.encode())
        path.write_bytes(data)
        stamp = (1_790_000_000 + number) * 10**9  # distinct modification times, in creation order
        os.utime(path, ns=(stamp, stamp))
        if summary is not None:
            journals[folder].append(
                journal_line(path.name, (len(data), stamp), summary._replace(case_id=case_id))
            )
        paths.append(path)
    for folder, lines in journals.items():
        if lines:
            append_lines(folder, b"".join(lines))
    return paths


# ---- fictional CFPB exports ---------------------------------------------------------------------

#: The columns of an export of the CFPB Consumer Complaint Database, in its order.
CFPB_COLUMNS = (
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Consumer complaint narrative",
    "Company public response",
    "Company",
    "State",
    "ZIP code",
    "Tags",
    "Consumer consent provided?",
    "Submitted via",
    "Date sent to company",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
    "Complaint ID",
    "Event tag",
)
_OTHER_PRODUCTS = ("Debt collection", "Credit card or prepaid card", "Mortgage")
_RESPONSES = (
    "Closed with explanation",
    "Closed with monetary relief",
    "In progress",
    "Closed with non-monetary relief",
)


def cfpb_export(rows: int, seed: int = 7, damaged: bool = True) -> bytes:
    """A fictional export with what the real ones hold and what breaks readers: quoted line
    breaks and commas in narratives, Chinese and emoji, a few bad dates and missing complaint
    ids, CRLF; and with ``damaged``, bytes that are not UTF-8 (Latin-1, a character cut in two),
    rows with a column too many or too few, and blank lines (about one row in twenty).
    For the CFPB reader's tests (checked against pandas) and ``make bench``."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CFPB_COLUMNS)
    body = [out.getvalue().encode("utf-8-sig")]
    for number in range(rows):
        record = dict.fromkeys(CFPB_COLUMNS, "")
        record["Date received"] = rng.choice(
            (
                "9/8/19",
                "2024-03-01",
                "12/31/2023",
                "2025-01-15",
                "31/31/19" if rng.random() < 0.01 else "1/2/20",
            )
        )
        record["Product"] = WALLET_PRODUCT if rng.random() < 0.4 else rng.choice(_OTHER_PRODUCTS)
        record["Sub-product"] = rng.choice(
            ("Mobile or digital wallet", "Domestic (US) money transfer", "")
        )
        record["Issue"] = rng.choice(
            ("Fraud or scam", "Money was not available when promised", "Other transaction problem")
        )
        record["Consumer complaint narrative"] = rng.choice(
            (
                "",
                'I sent $50, but\nit never arrived, "they" said',
                "钱没有到账\r\n客服不回复 😞",
                "plain",
            )
        )
        record["Company"] = rng.choice(("Example Pay", "Wallet, Inc."))
        record["Company response to consumer"] = rng.choice(_RESPONSES)
        record["Timely response?"] = rng.choice(("Yes", "No"))
        record["Complaint ID"] = "" if rng.random() < 0.01 else str(1000 + number)
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(record.values())
        data = line.getvalue().encode("utf-8")
        damage = rng.random() if damaged else 1.0
        if damage < 0.02:
            data = data.replace(b"Example", b"Ex\xe4mple").replace(
                b"Wallet", b"W\xe4llet"
            )  # Latin-1 bytes
        elif damage < 0.03:
            data = data.replace(
                "钱".encode(), "钱".encode()[:2]
            )  # a character cut in two (or none there)
        elif damage < 0.04:
            data = data.replace(b",Yes,", b",Yes,,").replace(b",No,", b",No,,")  # a column too many
        elif damage < 0.05:
            data = data.rstrip(b"\r\n").rsplit(b",", 2)[0] + b"\r\n"  # columns missing at the end
        elif damage < 0.055:
            data += b"\r\n"  # a blank line
        body.append(data)
    return b"".join(body)
