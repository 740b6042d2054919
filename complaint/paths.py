"""Where the workbook finds its content and keeps case sheets."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CONTENT_DIR = DATA_DIR / "content"
I18N_DIR = DATA_DIR / "i18n"

#: Environment variable that moves the case sheets elsewhere (a workshop volume, a test's tmp dir).
CASES_DIR_ENV = "WORKBOOK_CASES_DIR"


def cases_dir() -> Path:
    """The directory holding one CSV case sheet per case (created on first save)."""
    configured = os.environ.get(CASES_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else DATA_DIR / "cases"
