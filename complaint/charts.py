"""Small bar charts as inline SVG: no plotting library in the kernel, nothing loaded by the page.

Every label is escaped here; the numbers are integers. Each bar has a <title> (a tooltip, and
what a screen reader reads), and the chart carries role="img" with its title as the name.
"""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 210
LABEL_UNITS = 24  # what fits in LABEL_WIDTH at 13 px: a Latin letter is one unit (~7.5 px), a Chinese character two
BAR_AREA = 220
COUNT_WIDTH = 70


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


def bar_chart(title: str, bars: list[tuple[str, int]], total_label: str = "") -> str:
    """Horizontal bars, one per (label, count), scaled to the largest count; "" when all are zero."""
    if not bars or max(count for _, count in bars) <= 0:
        return ""
    largest = max(count for _, count in bars)
    total = sum(count for _, count in bars)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH
    parts = [
        f'<figure class="wb-chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title, quote=True)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">'
    ]
    for number, (label, count) in enumerate(bars):
        y = GAP + number * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * count / largest) if count else 0
        share = f"{round(100 * count / total)}%" if total else ""
        shown = _fit(label)
        parts.append(
            f'<g><title>{escape(label)}: {count} ({share})</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" font-size="13">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1 if count else 0)}" height="{BAR_HEIGHT}" rx="3" fill="#2b6cb0"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="13">{count} · {share}</text></g>'
        )
    parts.append("</svg>")
    if total_label:
        parts.append(f'<p class="wb-hint">{escape(total_label)}</p>')
    parts.append("</figure>")
    return "".join(parts)
