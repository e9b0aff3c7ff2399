"""Sign-up, confirmation, leaving, preferences and the public archive.

Reader pages carry the sign-up box and are served from the shared cache, so the
box holds no CSRF token (it would set a cookie on every page view). The sign-up
POST needs none: it only ever sends a confirmation e-mail to the address typed,
and the honeypot and the limits per address and per network guard it, as the
anonymous comment form is guarded (discussion.views). The pages behind signed
links are exempt for the same reason: the signature in the address is what a
forger cannot make. No answer tells whether an address is subscribed.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .forms import HONEYPOT_FIELD, PreferencesForm, SignupForm
from .messages import site_base_url, story_cards
from .models import Issue, Newsletter, Subscriber, Subscription
from .ratelimits import network_of, network_over_limit
from .subscriptions import confirm as confirm_subscriptions
from .subscriptions import set_preferences
from .subscriptions import subscribe as subscribe_address
from .subscriptions import unsubscribe as leave_list
from .tokens import (
    BadLink,
    preferences_token,
    read_confirm_token,
    read_preferences_token,
    read_unsubscribe_token,
)

ARCHIVE_PAGE_SIZE = 20


def bad_link(request: HttpRequest, error: BadLink) -> HttpResponse:
    return render(request, "newsletters/bad_link.html", {"expired": error.expired}, status=400)


@csrf_exempt
@require_POST
@never_cache
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletters/signup_refused.html", {"form": form}, status=400)
    if form.cleaned_data[HONEYPOT_FIELD]:
        # The same answer as a real sign-up, and nothing stored or sent.
        return render(request, "newsletters/check_inbox.html")
    network = network_of(request)
    if network_over_limit(network):
        return render(request, "newsletters/too_many.html", status=429)
    subscribe_address(
        form.cleaned_data["email"],
        form.cleaned_data["newsletters"],
        network=network,
        base_url=f"{request.scheme}://{request.get_host()}",
    )
    return render(request, "newsletters/check_inbox.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST confirms: mail scanners that open links do not subscribe anyone."""
    try:
        confirmation = read_confirm_token(token)
    except BadLink as error:
        return bad_link(request, error)
    if request.method == "GET":
        lists = Newsletter.objects.filter(pk__in=confirmation.newsletter_ids)
        return render(request, "newsletters/confirm.html", {"newsletters": lists})
    newsletters = confirm_subscriptions(confirmation.subscriber_id, confirmation.newsletter_ids)
    return render(
        request,
        "newsletters/confirmed.html",
        {"newsletters": newsletters, "preferences_token": preferences_token(confirmation.subscriber_id)},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` here; a reader's GET gets a button."""
    try:
        subscriber_id, newsletter_id = read_unsubscribe_token(token)
    except BadLink as error:
        return bad_link(request, error)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if request.method == "GET":
        return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter})
    leave_list(subscriber_id, newsletter_id)
    return render(
        request,
        "newsletters/unsubscribed.html",
        {"newsletter": newsletter, "preferences_token": preferences_token(subscriber_id)},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber_id = read_preferences_token(token)
    except BadLink as error:
        return bad_link(request, error)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return bad_link(request, BadLink())
    current = Newsletter.objects.filter(
        subscriptions__in=Subscription.objects.filter(subscriber=subscriber).receiving()
    )
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            set_preferences(subscriber, form.cleaned_data["newsletters"])
            saved = True
            form = PreferencesForm(initial={"newsletters": list(form.cleaned_data["newsletters"])})
        else:
            return render(request, "newsletters/preferences.html", {"form": form}, status=400)
    else:
        form = PreferencesForm(initial={"newsletters": list(current)})
    return render(request, "newsletters/preferences.html", {"form": form, "saved": saved})


def archive(request: HttpRequest) -> HttpResponse:
    """Every list with its sent issues, newest first, paginated; public and cacheable."""
    issues = (
        Issue.objects.filter(sent_at__isnull=False).select_related("newsletter").order_by("-sent_at", "-pk")
    )
    paginator = Paginator(issues, ARCHIVE_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page of the archive.") from exc
    return render(request, "newsletters/archive.html", {"page_obj": page, "issues": page.object_list})


def issue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A sent issue's intro and stories as a page of the site (the e-mail's styles would break the CSP)."""
    sent = get_object_or_404(
        Issue.objects.select_related("newsletter"), pk=pk, newsletter__slug=slug, sent_at__isnull=False
    )
    cards = story_cards(sent, site_base_url())
    return render(request, "newsletters/issue.html", {"issue": sent, "cards": cards})
