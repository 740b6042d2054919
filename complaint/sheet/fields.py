"""The case's own answers (problem, facts, goal), one row each: how each becomes a cell and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .. import validation as v
from ..catalog import load_catalog
from ..errors import InvalidInput
from ..model import DESCRIPTION_MAX, PARTICIPANT_LABEL_MAX, SHORT_TEXT_MAX
from ..presentation import masked_account


@dataclass(frozen=True)
class SheetField:
    """How one attribute of :class:`Case` becomes a row, and back."""

    key: str
    to_cell: Callable[[object], str]
    from_cell: Callable[[str], object]
    family: str = ""  # catalog family whose label goes into ``display``
    numeric: bool = False  # numbers stay numbers: not formula-escaped
    display: Callable[[str], str] | None = None  # how a person should see the value, if not as is


def _text(limit: int, multiline: bool = False) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.clean_text(cell, limit, multiline=multiline))


def _choice(family: str) -> tuple[Callable, Callable]:
    return (lambda value: value), (lambda cell: v.check_choice(cell, load_catalog().ids(family)))


def _date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


def _account(cell: str) -> str:
    if len(cell) > 4 or cell != v.mask_account(
        cell
    ):  # a sheet must never smuggle a full account number in
        raise InvalidInput("account.not_masked")
    return cell


def _id_as_text(value: str) -> str:
    """Spreadsheets turn long digit strings into numbers (28-digit WeChat/Alipay ids lose digits,
    "0123" becomes 123). The display column shows such ids grouped by spaces, which stays text."""
    if value.isdigit() and (len(value) > 11 or value.startswith("0")):
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return ""


FIELDS: tuple[SheetField, ...] = (
    SheetField("problem", *_choice("problems"), family="problems"),
    SheetField("problem_other", *_text(SHORT_TEXT_MAX)),
    SheetField("provider", *_choice("providers"), family="providers"),
    SheetField("provider_other", *_text(SHORT_TEXT_MAX)),
    SheetField("event_date", lambda d: d.isoformat() if d else "", _date),
    SheetField("amount", v.format_amount, v.parse_amount, numeric=True),
    SheetField("currency", *_choice("currencies"), family="currencies"),
    SheetField("transaction_id", *_text(SHORT_TEXT_MAX), display=_id_as_text),
    SheetField("account_last4", lambda s: s, _account, display=masked_account),
    SheetField("description", *_text(DESCRIPTION_MAX, multiline=True)),
    SheetField("goal", *_choice("goals"), family="goals"),
    SheetField("goal_other", *_text(SHORT_TEXT_MAX)),
    SheetField("goal_details", *_text(DESCRIPTION_MAX, multiline=True)),
    SheetField("participant_label", *_text(PARTICIPANT_LABEL_MAX)),
)
NUMERIC_KEYS = frozenset(spec.key for spec in FIELDS if spec.numeric)
