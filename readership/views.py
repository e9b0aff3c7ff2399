"""The beacon every story page sends, and the "Most read" panel's fresh copy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .bots import is_robot
from .counter import record_view
from .panel import most_read_items
from .stories import countable_story_ids, is_countable_story

# Story ids are positive 64-bit integers: anything longer is no id.
LONGEST_ID = 18
# The panel's copy is as fresh as the flush that feeds it (every minute).
PANEL_MAX_AGE = 30


# Sent by navigator.sendBeacon from cached pages, which carry no token; it changes no one's data.
@csrf_exempt
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """Count a view of a live, public story; always 204, no cookie, nothing about the reader kept."""
    story = request.POST.get("story", "")
    if story.isascii() and story.isdigit() and len(story) <= LONGEST_ID and int(story) > 0:
        if not is_robot(request.headers.get("User-Agent", "")):
            record_view(int(story), countable_story_ids, is_countable_story)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def most_read_panel(request: HttpRequest) -> HttpResponse:
    """The panel's list alone, which pages kept longer in caches fetch to stay current."""
    response = TemplateResponse(
        request, "readership/most_read_list.html", {"items": most_read_items(request)}
    )
    response["Cache-Control"] = f"public, max-age={PANEL_MAX_AGE}, s-maxage={PANEL_MAX_AGE}"
    return response
