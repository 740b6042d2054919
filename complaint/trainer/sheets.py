"""A case sheet read for the trainer: read only, with no resume code (the workbook's reader,
complaint.sheet, does the checking), and the format version it says it has."""

from __future__ import annotations

import re

from ..model import Case
from ..sheet import read_sheet

_VERSION_ROW = re.compile(rb"\r?\nformat_version,[^\r\n]*?,\s*([0-9]{1,4})\s*,")


def sheet_version(data: bytes) -> int:
    """The format version a sheet says it has (0 when it does not say)."""
    match = _VERSION_ROW.search(data[:4096])
    return int(match.group(1)) if match else 0


def read_case(data: bytes) -> tuple[Case, str]:
    """A sheet's case, for reading only (it has no resume code), and the case id it names."""

    answers = read_sheet(data)
    case_id = str(answers.pop("case_id"))
    return Case(code="", **answers), case_id
