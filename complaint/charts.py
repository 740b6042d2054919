"""Small bar charts as inline SVG: no plotting library in the kernel, nothing loaded by the page.

Every label is escaped here; the numbers are integers. Each bar has a <title> (a tooltip, and
what a screen reader reads), and the chart carries role="img" with its title as the name.
"""

from __future__ import annotations

from .bidi import safe_html as escape  # labels may come from a file (CFPB): no bidi controls

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 210
LABEL_UNITS = 24  # what fits in LABEL_WIDTH at 13 px: a Latin letter is one unit (~7.5 px), a Chinese character two
BAR_AREA = 220
COUNT_GAP = 6  # between a bar and its count
UNIT_PX = 7.5  # one width unit at 13 px (see LABEL_UNITS)


def _width(character: str) -> int:
    return 2 if ord(character) >= 0x2E80 else 1


def _fit(label: str) -> str:
    """The label, cut with an ellipsis where it would overflow (the tooltip keeps it whole)."""
    if sum(map(_width, label)) <= LABEL_UNITS:
        return label
    used, kept = 0, []
    for character in label:
        used += _width(character)
        if used > LABEL_UNITS - 1:
            break
        kept.append(character)
    return "".join(kept) + "…"


def text_width(text: str) -> float:
    """An upper bound of the width of ``text`` at 13 px (digits and Latin letters are narrower)."""
    return UNIT_PX * sum(map(_width, text))


def format_count(count: int) -> str:
    """A count with thousands separators: 1,234,567. Both languages group by three with a comma
    (in Chinese too, in figures such as these; 万 is for prose)."""
    return f"{count:,}"


def bar_chart(title: str, bars: list[tuple[str, int]], total_label: str = "") -> str:
    """Horizontal bars, one per (label, count), scaled to the largest count; "" when all are zero.

    The chart is as wide as its longest count label needs: a count is never cut off.
    """
    if not bars or max(count for _, count in bars) <= 0:
        return ""
    largest = max(count for _, count in bars)
    total = sum(count for _, count in bars)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    counts = [f"{format_count(count)} · {round(100 * count / total)}%" for _, count in bars]
    width = LABEL_WIDTH + BAR_AREA + COUNT_GAP + round(max(map(text_width, counts)))
    parts = [
        f'<figure class="wb-chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title, quote=True)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">'
    ]
    for number, ((label, count), count_text) in enumerate(zip(bars, counts, strict=True)):
        y = GAP + number * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * count / largest) if count else 0
        share = f"{round(100 * count / total)}%"
        shown = _fit(label)
        parts.append(
            f"<g><title>{escape(label)}: {format_count(count)} ({share})</title>"
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" font-size="13">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1 if count else 0)}" height="{BAR_HEIGHT}" rx="3" fill="#2b6cb0"/>'
            f'<text x="{LABEL_WIDTH + length + COUNT_GAP}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="13">{count_text}</text></g>'
        )
    parts.append("</svg>")
    if total_label:
        parts.append(f'<p class="wb-hint">{escape(total_label)}</p>')
    parts.append("</figure>")
    return "".join(parts)
