"""The password check: strength in memory with zxcvbn, nothing about the password kept.

The password itself is only ever a local variable here. What leaves this module is a
:class:`StrengthReport`: a score, two crack-time estimates and feedback message ids, none of
which contain the password. zxcvbn is imported on the first check, not at page render
(it costs about 70 ms and loads large word lists).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from .errors import InvalidInput
from .model import Case
from .paths import CONTENT_DIR

#: zxcvbn refuses longer input by default (it would be slow); a passphrase this long is strong
#: unless it is a well-known text, which the check could not tell anyway.
MAX_LENGTH = 72


@dataclass(frozen=True)
class StrengthReport:
    score: int  # 0 (too guessable) .. 4 (very unguessable)
    offline_seconds: float  # offline attack on a slow hash, 10^4 guesses/s
    online_seconds: float  # online attack with throttling, 100 guesses/hour
    warning: str  # zxcvbn's English warning ("" for none): a key of password_feedback.json
    suggestions: tuple[str, ...]


@lru_cache(maxsize=1)
def feedback_texts() -> dict[str, dict[str, str]]:
    with open(CONTENT_DIR / "password_feedback.json", encoding="utf-8") as handle:
        return json.load(handle)["messages"]


@lru_cache(maxsize=1)
def _provider_aliases() -> dict[str, list[str]]:
    with open(CONTENT_DIR / "providers.json", encoding="utf-8") as handle:
        return {p["id"]: p.get("aliases", []) for p in json.load(handle)["providers"]}


def context_words(case: Case | None, extra: str = "") -> list[str]:
    """Words a password should not be built from: the provider's names (Chinese and pinyin,
    which zxcvbn's dictionaries lack), what the case knows, and words the user adds."""
    words: list[str] = []
    if case is not None:
        words += _provider_aliases().get(case.provider, [])
        if case.provider == "other" and case.provider_other:
            words.append(case.provider_other)
        if case.account_last4:
            words.append(case.account_last4)
        if case.event_date:
            d = case.event_date
            words += [str(d.year), f"{d.month:02d}{d.day:02d}", d.strftime("%Y%m%d")]
    words += extra.replace("，", " ").replace(",", " ").split()
    return [w for w in dict.fromkeys(words) if w]


def check_password(password: str, words: list[str]) -> StrengthReport:
    """How guessable ``password`` is. InvalidInput for empty or over-long input."""
    if not password:
        raise InvalidInput("password.empty")
    if len(password) > MAX_LENGTH:
        raise InvalidInput("password.too_long", limit=MAX_LENGTH)
    from zxcvbn import zxcvbn  # here, not at import: only people who check pay for it

    result = zxcvbn(password, user_inputs=words)
    times = result["crack_times_seconds"]
    return StrengthReport(
        score=int(result["score"]),
        offline_seconds=float(times["offline_slow_hashing_1e4_per_second"]),
        online_seconds=float(times["online_throttling_100_per_hour"]),
        warning=result["feedback"]["warning"] or "",
        suggestions=tuple(result["feedback"]["suggestions"]),
    )


_UNITS = (
    ("year", 365 * 24 * 3600),
    ("month", 30 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)


def crack_time_parts(seconds: float) -> tuple[str, int]:
    """(message key, number) for a crack time in plain words, e.g. ("password.time.day", 3)."""
    if seconds < 1:
        return "password.time.instant", 0
    if seconds >= 100 * 365 * 24 * 3600:
        return "password.time.centuries", 0
    for unit, size in _UNITS:
        if seconds >= size:
            return f"password.time.{unit}", int(seconds // size)
    return "password.time.second", int(seconds)


#: Below this offline crack time a password falls within a day of a database leak: the rating
#: must not call it strong beside such a time (zxcvbn's 3 covers ~3 hours to ~12 days here).
LEAK_SAFE_SECONDS = 24 * 3600


def falls_within_a_day_of_a_leak(report: StrengthReport) -> bool:
    return report.offline_seconds < LEAK_SAFE_SECONDS
