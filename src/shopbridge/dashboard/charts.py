"""A small server-rendered SVG bar chart (syncs and failures per hour): no JavaScript library.

Pure function of its input, so it is tested without a database. The SVG carries a title and
description for screen readers; the page also shows the figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 160
PAD_LEFT = 34
PAD_BOTTOM = 20
PAD_TOP = 8


@dataclass(frozen=True)
class Bar:
    at: datetime
    ok: int
    failed: int


def _nice_max(value: int) -> int:
    """Round the axis maximum up to 1, 2 or 5 x 10^n so the top label is a readable number."""
    if value <= 1:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - unreachable


def hourly_bars_svg(bars: Sequence[Bar], *, title: str = "Syncs and failures per hour") -> SafeString:
    """Stacked bars per hour: successes (green) under failures (red), with a y-axis maximum label."""
    top = _nice_max(max((b.ok + b.failed for b in bars), default=0))
    plot_w = WIDTH - PAD_LEFT
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(len(bars), 1)
    bar_w = max(slot * 0.7, 1.0)
    total_ok = sum(b.ok for b in bars)
    total_failed = sum(b.failed for b in bars)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{total_ok} successful and {total_failed} failed over {len(bars)} hours.</desc>',
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH}" y2="{PAD_TOP + plot_h}"/>',
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + 8}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + plot_h}" text-anchor="end">0</text>',
    ]
    for i, bar in enumerate(bars):
        x = PAD_LEFT + i * slot + (slot - bar_w) / 2
        ok_h = plot_h * bar.ok / top
        failed_h = plot_h * bar.failed / top
        base = PAD_TOP + plot_h
        label = f"{bar.at:%H}:00 — {bar.ok} ok, {bar.failed} failed"
        parts.append(f"<g><title>{escape(label)}</title>")
        if bar.ok:
            parts.append(
                f'<rect class="ok" x="{x:.1f}" y="{base - ok_h:.1f}" width="{bar_w:.1f}" height="{ok_h:.1f}"/>'
            )
        if bar.failed:
            parts.append(
                f'<rect class="failed" x="{x:.1f}" y="{base - ok_h - failed_h:.1f}" '
                f'width="{bar_w:.1f}" height="{failed_h:.1f}"/>'
            )
        parts.append("</g>")
        if i % 6 == 0:
            parts.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">{bar.at:%H}:00</text>'
            )
    parts.append("</svg>")
    # Every interpolated value is a number, a formatted date or escaped text.
    return mark_safe("".join(parts))  # noqa: S308
