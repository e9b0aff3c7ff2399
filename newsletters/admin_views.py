"""Issue actions in the admin: a preview of the e-mail, a test to oneself, sending now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .messages import preview_html, render_issue
from .models import Issue
from .sending import send_test as send_test_message
from .tasks import start_sending

CAN_EDIT = "newsletters.change_issue"


@permission_required(CAN_EDIT, raise_exception=True)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The e-mail's HTML part as recipients get it (their own links left out)."""
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    response = HttpResponse(preview_html(render_issue(issue)))
    # The e-mail's own styles and remote pictures, nothing that runs.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; sandbox"
    )
    return response


@permission_required(CAN_EDIT, raise_exception=True)
@require_POST
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    email = request.user.email
    if not email:
        messages.error(request, "Your account has no e-mail address: add one under Account to receive tests.")
    else:
        send_test_message(issue, email)
        messages.success(request, f"A test of “{issue.subject}” is on its way to {email}.")
    return redirect(reverse("newsletters_issue:edit", args=[issue.pk]))


@permission_required(CAN_EDIT, raise_exception=True)
def send_now(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    if request.method == "POST":
        if start_sending(issue):
            messages.success(request, f"“{issue.subject}” is going out to {issue.newsletter.name}.")
        else:
            messages.warning(request, f"“{issue.subject}” was already sent or is being sent.")
        return redirect(reverse("newsletters_issue:edit", args=[issue.pk]))
    receiving = issue.newsletter.subscriptions.receiving().count()
    return render(request, "newsletters/admin/send_now.html", {"issue": issue, "receiving": receiving})
