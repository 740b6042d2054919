"""Where the workbook finds its content and keeps case sheets."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: A source checkout keeps the content in data/; an installed package (a wheel, the in-browser
#: edition) has it as the package ``workbook_data`` beside ``complaint`` (see pyproject.toml).
SOURCE_CHECKOUT = (PROJECT_ROOT / "data" / "i18n").is_dir()
DATA_DIR = PROJECT_ROOT / ("data" if SOURCE_CHECKOUT else "workbook_data")
CONTENT_DIR = DATA_DIR / "content"
I18N_DIR = DATA_DIR / "i18n"

#: Environment variable that moves the case sheets elsewhere (a workshop volume, a test's tmp dir).
CASES_DIR_ENV = "WORKBOOK_CASES_DIR"


def cases_dir() -> Path:
    """The directory holding one CSV case sheet per case (created on first save).

    data/cases in a source checkout; an installed package never writes into its own install
    folder, so there the default is the user's data folder (XDG_DATA_HOME or ~/.local/share).
    """
    configured = os.environ.get(CASES_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    if SOURCE_CHECKOUT:
        return DATA_DIR / "cases"
    user_data = os.environ.get("XDG_DATA_HOME", "").strip() or "~/.local/share"
    return Path(user_data).expanduser() / "wallet-complaint-workbook" / "cases"


#: Set to 1 where a trainers' group must read participants' sheets as another OS user (a
#: JupyterHub with one OS account per participant): sheets become 0640 and folders 0750, so
#: the group of the participant's (setgid) folder can read them. Otherwise owner only.
SHARE_WITH_GROUP_ENV = "WORKBOOK_SHARE_WITH_GROUP"


def shared_with_group() -> bool:
    return os.environ.get(SHARE_WITH_GROUP_ENV, "").strip() == "1"


def file_mode() -> int:
    return 0o640 if shared_with_group() else 0o600


def folder_mode() -> int:
    return 0o750 if shared_with_group() else 0o700
