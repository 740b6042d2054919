"""The case: everything the user has told the workbook so far, as plain typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

from .codes import case_id_for, new_code
from .i18n import DEFAULT_LANGUAGE

#: The steps of the workbook, in order. A step is listed here only once it is built.
STEPS: tuple[str, ...] = ("problem", "facts", "goal")

#: Free-text limits (characters), chosen to fit a complaint form and a printed sheet.
SHORT_TEXT_MAX = 100
DESCRIPTION_MAX = 2000


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass
class Case:
    """One user's complaint. Empty strings / None mean "not answered yet"."""

    code: str = field(default_factory=new_code)  # the secret resume code; never written to the sheet
    language: str = DEFAULT_LANGUAGE
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    # Step "problem"
    problem: str = ""
    problem_other: str = ""
    # Step "facts"
    provider: str = ""
    provider_other: str = ""
    event_date: date | None = None
    amount: Decimal | None = None
    currency: str = "CNY"
    transaction_id: str = ""
    account_last4: str = ""  # only the last four characters of the account are ever kept
    description: str = ""
    # Step "goal"
    goal: str = ""
    goal_other: str = ""
    goal_details: str = ""
    # Rows of the sheet this version does not know (e.g. a note someone added by hand):
    # (key, label, value, display), written back unchanged so a save never drops them.
    extra_rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def case_id(self) -> str:
        return case_id_for(self.code)
