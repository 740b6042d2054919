"""What people (and attackers) type: payloads and strategies shared by the bad-input tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from complaint.errors import WorkbookError
from complaint.i18n import Translator
from complaint.validation import clean_text


def examples(count: int) -> settings:
    """``count`` examples, no deadline (2 slow cores); the ``figures`` fixture may be shared by examples."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


PAYLOADS = (
    "=1+1",
    '=HYPERLINK("http://evil.example","点这里退款")',
    "+86 138 0013 8000",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already",
    "''=twice",
    "\t=tab",
    "\r=cr",
    "=cmd|' /C calc'!A0",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea><b>",
    "&lt;b&gt;&amp;",
    '"quoted", with, commas',
    "../../etc/passwd",
    "..\\..\\Windows\\win.ini",
    "/etc/shadow",
    "C:\\Users\\x\\证据.png",
    "~/.ssh/id_rsa",
    "file:///etc/passwd",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\ufeff",
    "\u200b",
    "\u2028",
    "\x85",
    "\x1b[31m",
    "钱没有到账",
    "退款 ¥1,280.00 元",
    "🙂💸",
    "\u3000全角\u3000",
    "e\u0301",
    "%s{0}{name}",
    "None",
    "NaN",
    "1e308",
    "-0",
    " ",
    "\n",
    "\r\n",
    "\t",
    ",",
    '"',
    "'",
)
CHARACTERS = st.characters(blacklist_categories=("Cs",))


def typed_text(limit: int) -> st.SearchStrategy[str]:
    """Payloads, random text, and runs of one character just under, at and over ``limit``."""
    piece = st.one_of(st.sampled_from(PAYLOADS), st.text(CHARACTERS, max_size=8))
    mixed = st.lists(piece, max_size=5).map("".join)
    near_limit = st.builds(
        lambda unit, extra: unit * (limit + extra),
        st.sampled_from(["字", "a", "=", "🙂", " ", "\x00"]),
        st.integers(-2, 2),
    )
    return st.one_of(mixed, mixed, mixed, near_limit)


def stored_text(limit: int, multiline: bool = False) -> st.SearchStrategy[str]:
    """Text as the case holds it: cleaned by the same rules as the UI, within ``limit``."""
    return typed_text(limit).map(
        lambda raw: clean_text(raw, 10**7, multiline=multiline)[:limit].strip()
    )


def translated(t: Translator, error: WorkbookError) -> str:
    """The message the UI shows for ``error``."""
    return t(error.key, **error.params)
