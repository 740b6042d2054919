"""Bidirectional controls typed by a participant are neutralised before the trainer sees them."""

import pytest

from complaint.bidi import BIDI_CONTROLS, isolated_html, neutralise_bidi, safe_html

PAYLOADS = [
    "invoice\u202egpj.exe",  # RLO: shows as "invoiceexe.jpg"
    "\u202b\u05e9\u05dc\u05d5\u05dd\u202c 100",  # RLE … PDF
    "\u2067amount 5\u2069 0",  # RLI … PDI
    "\u200fA\u200eB\u061cC",  # marks
    "\u202a\u202d\u2066\u2068",  # LRE, LRO, LRI, FSI
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_control_is_replaced_by_a_visible_mark(payload):
    neutral = neutralise_bidi(payload)
    assert not any(c in neutral for c in BIDI_CONTROLS)
    assert len(neutral) == len(payload) and neutral.count("\ufffd") == sum(
        c in BIDI_CONTROLS for c in payload
    )


def test_html_is_escaped_too_and_isolated():
    assert safe_html("<b>\u202e'") == "&lt;b&gt;\ufffd&#x27;"
    assert isolated_html("x\u202ey<") == "<bdi>x\ufffdy&lt;</bdi>"
    assert neutralise_bidi("普通文字 plain") == "普通文字 plain"


def test_the_printable_record_carries_no_control(store, today):
    from complaint.printable import printable_html

    case = store.new_case("en")
    case.description = "".join(PAYLOADS)
    html = printable_html(case, today)
    assert not any(c in html for c in BIDI_CONTROLS) and "invoice\ufffdgpj.exe" in html
