"""Text typed by a participant, made safe to show to the trainer: no bidirectional controls.

A right-to-left override (U+202E) typed into a free-text field makes the rest of the line show
reversed, so a trainer could read something else than what is in the sheet (file names and
amounts that look different, text that hides where it ends). The explicit embeddings, overrides,
isolates and marks are replaced by U+FFFD, a visible "something was here", wherever such text is
put on the trainer's screen or into an HTML export; the sheet itself keeps what was typed.
"""

from __future__ import annotations

from html import escape

#: LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
REPLACEMENT = "\ufffd"
_TABLE = str.maketrans({character: REPLACEMENT for character in BIDI_CONTROLS})


def neutralise_bidi(text: str) -> str:
    return text.translate(_TABLE)


def safe_html(text: str, quote: bool = True) -> str:
    """``text`` escaped for HTML, with its bidirectional controls replaced."""
    return escape(text.translate(_TABLE), quote)


def isolated_html(text: str) -> str:
    """Escaped, controls replaced, and in a <bdi>: even right-to-left letters (Arabic, Hebrew)
    cannot reorder what stands beside it in a table cell."""
    return f"<bdi>{safe_html(text)}</bdi>"
