"""The editor's chart of a story's hourly views: an inline SVG drawn on the server, no script library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .stats import HourBar

CHART_WIDTH = 288
CHART_HEIGHT = 72
BAR_GAP = 1


@dataclass
class DrawnBar:
    hour: datetime
    views: int
    x: int
    y: int
    width: int
    height: int


def draw_bars(bars: list[HourBar]) -> list[DrawnBar]:
    """Bars scaled to the busiest hour; an hour with views is at least one pixel tall."""
    if not bars:
        return []
    busiest = max(bar.views for bar in bars) or 1
    slot = CHART_WIDTH // len(bars)
    drawn = []
    for index, bar in enumerate(bars):
        height = round(CHART_HEIGHT * bar.views / busiest)
        if bar.views and not height:
            height = 1
        drawn.append(
            DrawnBar(bar.hour, bar.views, index * slot, CHART_HEIGHT - height, max(slot - BAR_GAP, 1), height)
        )
    return drawn
