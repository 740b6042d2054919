"""Resume codes: the only key to a case, so they must be unguessable and easy to copy by hand.

A code is 16 symbols of Crockford's base32 (80 random bits from ``secrets``), shown as
``XXXX-XXXX-XXXX-XXXX``. Typing is forgiving: case, spaces, dashes, full-width characters
and the look-alikes O→0, I/L→1 are all accepted.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

from .errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 16  # 16 symbols × 5 bits = 80 bits of entropy
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\u3000")


def new_code() -> str:
    """A fresh random resume code in canonical form (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """Canonical form of a code as a person typed it, or InvalidInput("code.invalid")."""
    text = unicodedata.normalize("NFKC", typed or "").upper().translate(_SEPARATORS)
    if re.fullmatch(r"[0-9A-F]{24}", text):  # the case id of a case sheet: it opens nothing
        raise InvalidInput("code.is_case_id")
    text = text.translate(_LOOKALIKES)
    if len(text) != CODE_LENGTH or any(ch not in ALPHABET for ch in text):
        raise InvalidInput("code.invalid", length=CODE_LENGTH)
    return text


def format_code(code: str) -> str:
    """``ABCD-EFGH-JKMN-PQRS``: groups of four are easier to read out and write down."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def case_id_for(code: str) -> str:
    """A stable, non-secret identifier derived from the code: names the file, appears in the sheet.

    Knowing a case id (or a file name) does not give the resume code back (SHA-256 preimage).
    """
    return hashlib.sha256(("wallet-complaint-workbook:" + code).encode("ascii")).hexdigest()[:24]


def participant_number(case_id: str) -> str:
    """A short number a participant can read out and a trainer can find in the dashboard: ``483-921``.

    It is derived from the case id, which is itself a one-way hash of the resume code and already
    names the sheet's file, so it tells nothing about the code (about 20 bits of that hash). It
    is for finding someone in a room, not a key: two cases may share a number (one chance in a
    million for a pair, about 1 in 200 that a room of 100 has two alike; the table shows the
    case id beside it), and nothing opens a case by its number.
    """
    number = (
        int(case_id, 16) % 1_000_000
        if case_id and all(c in "0123456789abcdef" for c in case_id)
        else 0
    )
    return f"{number // 1000:03d}-{number % 1000:03d}"
