"""nbval runs every notebook here (pyproject's testpaths, --nbval-lax). The analysis notebook reads
a workshop's sheets: it gets a generated one (complaint.synthetic) and writes its PNGs to a
temporary folder, through the environment variables it reads at the top (the kernel nbval starts
inherits them). The workbook and trainer notebooks read none of these variables."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_made: list[Path] = []


def pytest_configure(config) -> None:
    from complaint.synthetic import write_workshop

    folder = Path(tempfile.mkdtemp(prefix="analysis-notebook-"))
    _made.append(folder)
    write_workshop(folder / "cases", 120, summaries=True, participants=4)
    (folder / "cases" / "participant000" / ("0" * 24 + ".csv")).write_bytes(
        b"not a case sheet"
    )  # reported, not fatal
    os.environ["ANALYSIS_CASES_DIR"] = str(folder / "cases")
    os.environ["ANALYSIS_CHARTS_DIR"] = str(folder / "charts")


def pytest_unconfigure(config) -> None:
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)
