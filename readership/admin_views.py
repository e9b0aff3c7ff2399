"""The editor's side of readership: the chart on a story's edit screen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from news.models import StoryPage

from .chart import CHART_HEIGHT, CHART_WIDTH, draw_bars
from .stats import hourly_views, with_views

CHART_HOURS = 48


def views_chart(request: HttpRequest, page_id: int) -> HttpResponse:
    """A story's hourly views as an SVG bar chart, for those who may edit the story."""
    story = get_object_or_404(with_views(StoryPage.objects.defer_streamfields()), pk=page_id)
    if not story.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    bars = hourly_views(story, CHART_HOURS)
    busiest = max(bars, key=lambda bar: bar.views)
    context = {
        "bars": draw_bars(bars),
        "hours": CHART_HOURS,
        "total": sum(bar.views for bar in bars),
        "busiest": f"{busiest.hour:%a %H:00} UTC, {busiest.views}" if busiest.views else "none yet",
        "views_today": story.views_today,
        "views_7_days": story.views_7_days,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
    }
    response = TemplateResponse(request, "readership/admin/views_chart.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
