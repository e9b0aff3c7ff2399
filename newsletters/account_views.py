"""Newsletters for signed-in readers: the account page's lists, and the sign-up box's one click.

Both live under /account/ (readers' `reader_account_urls` hook), the only
addresses where the reader's session is read, and both need the reader's
session and a CSRF token: unlike the anonymous sign-up (newsletters.views),
they subscribe at once, with no e-mail to confirm. Cached pages carry no token;
the sign-up box's script takes it from /account/me.json.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from readers.accounts import current_reader

from . import reader_lists
from .forms import OneClickForm, ReaderListsForm
from .models import Newsletter

SECTION_ANCHOR = "account-newsletters"


def account_url(saved: bool = False) -> str:
    return reverse("readers:account") + ("?newsletters=saved" if saved else "") + f"#{SECTION_ANCHOR}"


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


def account_section(request: HttpRequest, reader, form: ReaderListsForm | None = None) -> str:
    """The account page's "Newsletters" section (readers' `reader_account_sections` hook)."""
    subscriber = reader_lists.subscriber_of(reader.email)
    receiving = list(reader_lists.receiving_lists(subscriber))
    if form is None:
        form = ReaderListsForm(initial={"newsletters": [n for n in receiving if n.is_active]})
    return render_to_string(
        "newsletters/account_section.html",
        {
            "form": form,
            "reader": reader,
            "anchor": SECTION_ANCHOR,
            "saved": request.GET.get("newsletters") == "saved",
            "refused_mail": subscriber is not None and not subscriber.is_active,
            "inactive_lists": [n for n in receiving if not n.is_active],
            "archive_url": reverse("newsletters:archive"),
        },
        request=request,
    )


def me_json(request: HttpRequest, reader) -> dict:
    """What the sign-up boxes' script needs (readers' `reader_me_json` hook)."""
    return {
        "newsletters": {
            "subscribed": reader_lists.receiving_slugs(reader.email),
            "subscribe_url": reverse("readers:newsletters_account:subscribe"),
            "account_url": account_url(),
            "sign_in_url": reverse("readers:sign-in"),
        }
    }


def refuse_without_reader(request: HttpRequest, next_url: str) -> HttpResponse:
    """Not signed in as a reader: nothing is stored; the reader is sent to sign in (or told, by JSON)."""
    sign_in = reverse("readers:sign-in")
    if wants_json(request) or request.user.is_authenticated:
        # An editor's session is no reader's: told so, never sent to a sign-in that would replace it.
        return JsonResponse(
            {"error": "Sign in to subscribe in one click.", "sign_in_url": sign_in}, status=403
        )
    return HttpResponseRedirect(f"{sign_in}?{urlencode({'next': next_url or '/'})}")


@never_cache
@require_POST
def account_lists(request: HttpRequest) -> HttpResponse:
    """The account page's form: the ticked lists start at once, the unticked ones end."""
    reader = current_reader(request)
    if reader is None:
        return refuse_without_reader(request, reverse("readers:account"))
    form = ReaderListsForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "newsletters/account_lists_refused.html",
            {"form": form, "account_url": account_url()},
            status=400,
        )
    reader_lists.set_lists(
        reader.email, form.cleaned_data["newsletters"], Newsletter.objects.filter(is_active=True)
    )
    return HttpResponseRedirect(account_url(saved=True))


@never_cache
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """The sign-up box's one click: `newsletters=<slug>` (one or more), confirmed at once.

    Answers JSON to the box's script (`Accept: application/json`), and
    otherwise goes back to the page the box was on (`next`).
    """
    next_url = safe_next(request, request.POST.get("next", ""))
    reader = current_reader(request)
    if reader is None:
        return refuse_without_reader(request, next_url)
    form = OneClickForm(request.POST)
    if not form.is_valid():
        errors = [error for field in form for error in field.errors] + list(form.non_field_errors())
        if wants_json(request):
            return JsonResponse({"error": " ".join(errors)}, status=400)
        return render(
            request,
            "newsletters/account_lists_refused.html",
            {"form": form, "account_url": account_url()},
            status=400,
        )
    joined = list(form.cleaned_data["newsletters"])
    subscriber = reader_lists.join(reader.email, joined)
    if wants_json(request):
        return JsonResponse(
            {
                "subscribed": list(reader_lists.receiving_lists(subscriber).values_list("slug", flat=True)),
                "joined": [newsletter.name for newsletter in joined],
                "account_url": account_url(),
            }
        )
    return HttpResponseRedirect(next_url or account_url(saved=True))
