"""Case sheet, core side: writing and parsing a sheet, an atomic save with fsync, a load by code."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from decimal import Decimal

from .common import Options, Row, fmt, summary

TITLE = "Case sheet, core side"


def run(options: Options) -> dict:
    from complaint.model import Case
    from complaint.sheet import read_sheet, write_sheet
    from complaint.storage import CaseStore

    case = Case(
        problem="funds_not_arriving",
        provider="alipay",
        event_date=date(2026, 11, 20),
        amount=Decimal("1280.50"),
        transaction_id="T2026112012345",
        account_last4="7890",
        description="转账后对方没有收到。" * 40,
        goal="refund",
    )

    def timed(action, runs) -> dict:
        values = []
        for _ in range(options.runs(runs, quick=20)):
            start = time.perf_counter()
            action()
            values.append((time.perf_counter() - start) * 1000)
        return summary(values)

    data = write_sheet(case)
    with tempfile.TemporaryDirectory(dir=options.work_dir) as directory:
        store = CaseStore(directory)
        return {
            "sheet_bytes": len(data),
            "write_sheet_ms": timed(lambda: write_sheet(case), 300),
            "read_sheet_ms": timed(lambda: read_sheet(data), 300),
            "atomic_save_ms": timed(lambda: store.save(case), 100),
            "load_ms": timed(lambda: store.load(case.code), 100),
        }


def rows(result: dict) -> list[Row]:
    return [
        Row("case sheet size", f"{result['sheet_bytes']:,} bytes"),
        Row("write a sheet (`write_sheet`)", fmt(result["write_sheet_ms"], "ms")),
        Row("read a sheet (`read_sheet`)", fmt(result["read_sheet_ms"], "ms")),
        Row("atomic save with fsync and the per-case lock", fmt(result["atomic_save_ms"], "ms")),
        Row("load by resume code", fmt(result["load_ms"], "ms")),
    ]
