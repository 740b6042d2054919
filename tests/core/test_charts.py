"""The inline SVG bar charts: escaped labels, proportional bars, nothing when there is nothing to show."""

import re

from complaint.charts import LABEL_UNITS, _fit, bar_chart


def test_bars_are_proportional_and_labelled_with_count_and_share():
    svg = bar_chart("Problems", [("Locked", 3), ("Slow", 1)])
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert abs(widths[0] - 3 * widths[1]) <= 2 and "3 · 75%" in svg and "1 · 25%" in svg
    assert 'role="img" aria-label="Problems"' in svg


def test_every_label_is_escaped():
    payload = "<img src=x onerror=alert(1)>"
    svg = bar_chart(
        payload, [(payload, 2), ('"><script>alert(1)</script>', 1)], total_label=payload
    )
    assert "<img" not in svg and "<script" not in svg and "&lt;img" in svg


def test_nothing_to_show():
    assert bar_chart("Empty", []) == "" and bar_chart("Zeros", [("a", 0)]) == ""


def test_long_labels_are_cut_by_their_width_and_kept_whole_in_the_tooltip():
    assert _fit("Short") == "Short"
    cut = _fit("资金没有到账资金没有到账资金没有到账")
    assert cut.endswith("…") and len(cut) <= LABEL_UNITS // 2 + 1
    assert "<title>资金没有到账资金没有到账资金没有到账: 1" in bar_chart(
        "x", [("资金没有到账资金没有到账资金没有到账", 1)]
    )


def test_large_counts_have_thousands_separators_and_fit_in_the_chart():
    """Issue 13: "1234567 · 99%" ran past the chart's right edge, and had no separators."""
    from complaint.charts import text_width

    svg = bar_chart("Responses", [("Closed with explanation", 1_234_567), ("In progress", 8)])
    assert (
        "1,234,567 · 100%" in svg
        and "<title>Closed with explanation: 1,234,567 (100%)</title>" in svg
    )
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    for x, text in re.findall(r'<text x="(\d+)" y="\d+" font-size="13">([^<]+)</text>', svg):
        assert int(x) + text_width(text) <= width, text


def test_bidi_controls_in_labels_are_replaced():
    svg = bar_chart("t\u202e", [("Example\u202e Pay", 3)])
    assert "\u202e" not in svg and "Example\ufffd Pay" in svg
