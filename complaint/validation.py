"""Turning what a person typed into clean values, or a clear reason why not.

Each function returns the cleaned value or raises InvalidInput with a message key from
data/i18n, so the UI can explain the problem in the user's language.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from .errors import InvalidInput

#: Larger than any wallet transaction a consumer complains about; catches typos like an extra 0000.
AMOUNT_MAX = Decimal("100000000")
#: Dates before this are almost certainly a typo in the year (mobile wallets are younger).
EARLIEST_EVENT_DATE = date(2000, 1, 1)

# Control characters (C0, DEL, C1) except tab and newline, which multi-line text keeps.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Currency words and signs people type around an amount (removed before parsing).
_CURRENCY_MARKS = re.compile(r"[¥$€£]|人民币|块钱|块|元|圆|RMB|CNY|HKD|USD|EUR|GBP", re.IGNORECASE)
# Plain digits, or digits with commas in real thousands positions; optional decimals. No exponents,
# no spaces inside: "1,2" or "1 2" are ambiguous, so they are refused rather than guessed.
_AMOUNT = re.compile(r"(\d+|\d{1,3}(,\d{3})+)(\.\d+)?|\.\d+")


def _cleaned(value: str | None, multiline: bool) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return (
        (_CONTROL if multiline else _CONTROL_SINGLE_LINE)
        .sub("" if multiline else " ", text)
        .strip()
    )


def text_length(value: str | None, *, multiline: bool = False) -> int:
    """The length :func:`clean_text` compares with its limit: what a character counter shows."""
    return len(_cleaned(value, multiline))


def clean_text(value: str | None, max_length: int, *, multiline: bool = False) -> str:
    """Trimmed text without control characters; InvalidInput("input.too_long") past ``max_length``."""
    text = _cleaned(value, multiline)
    if len(text) > max_length:
        raise InvalidInput("input.too_long", limit=max_length, length=len(text))
    return text


def parse_amount(value: str | None) -> Decimal | None:
    """An amount of money from text such as ``1,234.50``, ``¥200``, ``２００元``; None when empty."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    text = _CURRENCY_MARKS.sub("", text).replace("。", ".").strip()
    if text.startswith(("-", "−")):
        raise InvalidInput("amount.negative")
    if not _AMOUNT.fullmatch(text):
        raise InvalidInput("amount.not_a_number")
    amount = Decimal(text.replace(",", ""))
    if amount > AMOUNT_MAX:
        raise InvalidInput("amount.too_large", limit=f"{AMOUNT_MAX:,}")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]  # finite, so an int
        raise InvalidInput("amount.too_precise")
    return amount


def format_amount(amount: Decimal | None) -> str:
    """The canonical text of an amount: no exponent, no thousands separators (``1234.5``)."""
    if amount is None:
        return ""
    return format(amount, "f")


def check_event_date(value: date | None, today: date) -> date | None:
    """The date of the event: not in the future, not implausibly old.

    One day of grace past ``today``: the server's "today" (see complaint.clock) can be a day
    behind a user far east of the workshop's time zone, and they must be able to enter theirs.
    """
    if value is None:
        return None
    if value > today + timedelta(days=1):
        raise InvalidInput("date.future", today=today.isoformat())
    if value < EARLIEST_EVENT_DATE:
        raise InvalidInput("date.too_old", earliest=EARLIEST_EVENT_DATE.isoformat())
    return value


def mask_account(value: str | None) -> str:
    """Keep only the last four letters/digits of an account identifier (card, phone, e-mail...).

    The full identifier is never stored: the last four are enough for the company to find it.
    Card and phone numbers keep their last four digits (spaces, dashes, brackets and "+" are not
    kept). An e-mail address keeps the last four of its name before the "@": the end of the
    domain ("ecom" of "example.com") is the same for millions of users and identifies no one.
    Raises InvalidInput("account.nothing_kept") when the input has no letter or digit to keep.
    """
    text = unicodedata.normalize("NFKC", value or "")
    name, at, _domain = text.rpartition("@")
    if at and any(
        ch.isascii() and ch.isalnum() for ch in name
    ):  # an e-mail address; "@handle" is a user name
        text = name
    kept = [ch for ch in text if ch.isascii() and ch.isalnum()]  # card, phone, e-mail, user id
    if text.strip(" •*") and not kept:
        raise InvalidInput("account.nothing_kept")
    return "".join(kept[-4:])


def check_choice(value: str | None, allowed: tuple[str, ...]) -> str:
    """A catalog id, or "" for "not chosen yet"."""
    if not value:
        return ""
    if value not in allowed:
        raise InvalidInput("choice.unknown", value=value)
    return value
