"""SVG charts for report documents (RPT-07): pure Python, no plotting library.

The PDF (WeasyPrint) draws the SVG inline; its text uses the vendored CJK font
(:data:`weibao.core.pdf.FONT_FAMILY`) so Chinese labels render. Word cannot show SVG reliably
and ``cairosvg`` is not installed, so the Word and Excel documents show the same figures as
tables (Excel adds its own native charts); the screen uses ECharts from the data snapshot.
Every label is XML-escaped here, so the SVG is safe to inline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from weibao.core.pdf import FONT_FAMILY

__all__ = ["PALETTE", "svg_bar", "svg_pie"]

#: Colours of the series and slices, in order.
PALETTE = ("#206bc4", "#f59f00", "#2fb344", "#d63939", "#ae3ec9", "#17a2b8", "#74b816",
           "#f76707", "#6c757d", "#0ca678")
_FONT = f'font-family="{escape(FONT_FAMILY)}, sans-serif"'


def _text(value: object, limit: int) -> str:
    text = str(value)
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" {_FONT} font-size="11">' + "".join(body)
            + "</svg>")


def svg_bar(labels: Sequence[object], series: Sequence[tuple[str, Sequence[float]]] |
            Sequence[float], *, title: str = "", width: int = 560, height: int = 260) -> str:
    """A vertical bar chart: ``series`` is either one list of values or ``(name, values)``
    pairs drawn side by side with a legend. Values must not be negative."""
    if series and not isinstance(series[0], tuple):
        named: list[tuple[str, Sequence[float]]] = [("", list(series))]  # type: ignore[arg-type]
    else:
        named = list(series)  # type: ignore[arg-type]
    top = 28 if title else 10
    legend = 18 if any(name for name, _values in named) else 0
    left, bottom, right = 40, 40, 10
    plot_w, plot_h = width - left - right, height - top - bottom - legend
    peak = max([float(v) for _name, values in named for v in values] + [0.0])
    scale = peak or 1.0
    if all(float(v).is_integer() for _name, values in named for v in values):
        scale = float(math.ceil(scale / 4) * 4)  # whole-number ticks for counts
    body: list[str] = []
    if title:
        body.append(f'<text x="{width / 2:.1f}" y="18" text-anchor="middle" font-size="13" '
                    f'font-weight="bold">{_text(title, width // 13)}</text>')
    base = top + legend + plot_h
    body.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" '
                'stroke="#999"/>')
    for step in range(5):
        value = scale * step / 4
        y = base - plot_h * step / 4
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#666">'
                    f'{_number(value) if peak else step}</text>')
    groups = max(len(labels), 1)
    slot = plot_w / groups
    bar = slot * 0.8 / max(len(named), 1)
    for g, label in enumerate(labels):
        x0 = left + g * slot + slot * 0.1
        for s, (_name, values) in enumerate(named):
            value = float(values[g]) if g < len(values) else 0.0
            h = plot_h * value / scale
            body.append(f'<rect x="{x0 + s * bar:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>')
        body.append(f'<text x="{left + g * slot + slot / 2:.1f}" y="{base + 14}" '
                    f'text-anchor="middle">{_text(label, max(int(slot // 7), 2))}</text>')
    x = left
    for s, (name, _values) in enumerate(named):
        if name:
            body.append(f'<rect x="{x}" y="{top}" width="10" height="10" '
                        f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                        f'<text x="{x + 14}" y="{top + 9}">{_text(name, 16)}</text>')
            x += 24 + 12 * min(len(name), 16)
    return _svg(width, height, body)


def svg_pie(labels: Sequence[object], values: Sequence[float], *, title: str = "",
            width: int = 420, height: int = 240) -> str:
    """A pie chart with a legend giving each part's value and share."""
    total = sum(float(v) for v in values)
    top = 28 if title else 10
    radius = min(height - top - 10, width // 2) / 2
    cx, cy = 10 + radius, top + radius
    body: list[str] = []
    if title:
        body.append(f'<text x="{width / 2:.1f}" y="18" text-anchor="middle" font-size="13" '
                    f'font-weight="bold">{_text(title, width // 13)}</text>')
    if total <= 0:
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="#eee"/>')
    angle = -math.pi / 2
    for i, value in enumerate(values):
        share = float(value) / total if total > 0 else 0.0
        colour = PALETTE[i % len(PALETTE)]
        if share >= 0.9999:
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                        f'fill="{colour}"/>')
        elif share > 0:
            end = angle + 2 * math.pi * share
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
            large = 1 if share > 0.5 else 0
            body.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.2f},{y1:.2f} A{radius:.1f},'
                        f'{radius:.1f} 0 {large} 1 {x2:.2f},{y2:.2f} Z" fill="{colour}"/>')
            angle = end
        y = top + 4 + i * 16
        if y < height - 8:
            body.append(f'<rect x="{2 * radius + 24:.1f}" y="{y}" width="10" height="10" '
                        f'fill="{colour}"/><text x="{2 * radius + 38:.1f}" y="{y + 9}">'
                        f'{_text(labels[i] if i < len(labels) else "", 14)} '
                        f'{_number(float(value))} ({share * 100:.1f}%)</text>')
    return _svg(width, height, body)
