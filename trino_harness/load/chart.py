"""A dependency-free SVG bar chart of overheads: one group per way, one bar per percentile.

Bars are the median over repeats; the whisker spans the lowest to the highest repeat, so a bar
whose whisker crosses zero is an overhead the run could not tell from noise.
"""

from __future__ import annotations

from html import escape

from trino_harness.load.summary import Spread

COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2")
ROW_H = 14
GROUP_GAP = 12
LABEL_W = 260
PLOT_W = 520
MARGIN = 20


def _nice_extent(values: list[float]) -> tuple[float, float]:
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1.0
    pad = (high - low) * 0.05
    return low - (pad if low < 0 else 0), high + pad


def _line(x1: float, x2: float, y1: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1}" y2="{y2}" stroke="black"/>'


def overhead_svg(rows: list[tuple[str, dict[str, Spread]]], metrics: list[str], title: str) -> str:
    """An SVG document; ``rows`` are (label, {metric: Spread}) in display order."""
    values = [
        v for _, spreads in rows for m in metrics for v in (spreads[m].low, spreads[m].high) if v is not None
    ]
    low, high = _nice_extent(values or [0.0])

    def x(value: float) -> float:
        return LABEL_W + (value - low) / (high - low) * PLOT_W

    group_h = ROW_H * len(metrics) + GROUP_GAP
    top = MARGIN + 30
    height = top + group_h * len(rows) + 50
    width = LABEL_W + PLOT_W + 2 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 4}" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, spreads) in enumerate(rows):
        y0 = top + i * group_h
        label_y = y0 + ROW_H * len(metrics) / 2 + 4
        parts.append(f'<text x="{LABEL_W - 8}" y="{label_y}" text-anchor="end">{escape(label)}</text>')
        for j, metric in enumerate(metrics):
            s = spreads.get(metric)
            if s is None or s.median is None:
                continue
            y = y0 + j * ROW_H
            left, right = sorted((x(0.0), x(s.median)))
            parts.append(
                f'<rect x="{left:.1f}" y="{y + 2}" width="{max(right - left, 0.5):.1f}" height="{ROW_H - 4}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(metric)} {s.median:.2f} ms</title></rect>'
            )
            if s.low is not None and s.high is not None:
                mid = y + ROW_H / 2
                parts.append(_line(x(s.low), x(s.high), mid, mid))
                parts += [_line(x(end), x(end), mid - 3, mid + 3) for end in (s.low, s.high)]
    axis_y = top + group_h * len(rows)
    parts.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 4}" y2="{axis_y}" stroke="#888"/>')
    parts.append(f'<line x1="{LABEL_W}" x2="{LABEL_W + PLOT_W}" y1="{axis_y}" y2="{axis_y}" stroke="#888"/>')
    for k in range(6):
        value = low + (high - low) * k / 5
        parts.append(f'<text x="{x(value):.1f}" y="{axis_y + 14}" text-anchor="middle">{value:.0f}</text>')
    parts.append(
        f'<text x="{LABEL_W + PLOT_W / 2}" y="{axis_y + 30}" text-anchor="middle">'
        "overhead versus the same run's baseline, ms (bar: median of repeats; whisker: min..max)</text>"
    )
    for j, metric in enumerate(metrics):
        lx = MARGIN + j * 110
        parts.append(
            f'<rect x="{lx}" y="{MARGIN + 12}" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{lx + 14}" y="{MARGIN + 21}">{escape(metric)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
