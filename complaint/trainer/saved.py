"""Summaries written beside the sheets at save time (``.<case id>.summary.json``), so the trainer's
first look at a workshop rarely has to read a whole sheet."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

from ..errors import WorkbookError
from ..model import Case
from .summary import INDEX_VERSION, CaseSummary, _from_json, content_fingerprint, summary_json, summary_of


# ---- summaries written beside the sheets at save time ----------------------------------------
# Reading and checking a whole sheet costs about half a millisecond; at 10,000 sheets that is
# seconds for a dashboard's first look. So each save also leaves the sheet's summary beside it
# (``.<case id>.summary.json``), naming the SHA-256 of the sheet it summarises. The dashboard uses
# it only when that digest, the summary version and the content all still match, and reads the
# sheet itself otherwise (a sheet edited by hand, copied in, or written by an older version).


def saved_summary_path(sheet: Path) -> Path:
    return sheet.with_name(f".{sheet.stem}.summary.json")


def write_saved_summary(sheet: Path, case: Case, data: bytes) -> None:
    """Called by the store after each save. Derived data: no fsync, and never a failed save."""
    from ..sheet import FORMAT_VERSION

    try:
        summary = summary_of(case, case.case_id, FORMAT_VERSION, "", "", date(2000, 1, 1))  # the day plays no part
        store_summary(sheet, summary_json(summary), data)
    except (OSError, WorkbookError, ValueError):
        pass  # the dashboard then reads the sheet itself


def store_summary(sheet: Path, summary: dict, data: bytes) -> None:
    """Write ``summary`` (as :func:`_to_json` gives it) beside ``sheet``, naming the digest of ``data``."""
    record = {"version": INDEX_VERSION, "content": content_fingerprint(), "sheet": hashlib.sha256(data).hexdigest(), "summary": summary}
    target = saved_summary_path(sheet)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)


def _saved_summary(absolute: str, data: bytes, relative: str, participant: str) -> CaseSummary | None:
    try:
        with open(saved_summary_path(Path(absolute)), "rb") as handle:
            record = json.loads(handle.read())
        if (
            record.get("version") != INDEX_VERSION
            or record.get("content") != content_fingerprint()
            or record.get("sheet") != hashlib.sha256(data).hexdigest()
        ):
            return None
        values = dict(record["summary"], path=relative, participant=participant)
        return _from_json(values)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
