"""Reader account pages under /account/: never cached, the only pages that know the reader."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.purging import purge_comments_pages

from . import comments as reader_comments
from . import sign_in
from .accounts import account_sections, current_reader, display_name, exported_data, me_json_extras
from .forms import CodeForm, CommentEditForm, DeleteAccountForm, DisplayNameForm, SignInForm
from .models import SignInRequest

COMMENTS_PER_PAGE = 20


def safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in readers only: others go to the sign-in page; an editor's session is told why not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reader = current_reader(request)
        if reader is None:
            if request.user.is_authenticated:
                return render(request, "readers/editor_session.html", status=403)
            return HttpResponseRedirect(f"{reverse('readers:sign-in')}?next={request.path}")
        return view(request, reader, *args, **kwargs)

    return wrapper


def refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "readers/refused.html", {"message": message}, status=status)


def rate_limited(request: HttpRequest) -> HttpResponse:
    response = refused(
        request,
        "Too many sign-in attempts from here or for this address. Please wait 15 minutes and try again.",
        status=429,
    )
    response["Retry-After"] = str(int(sign_in.RATE_WINDOW.total_seconds()))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if current_reader(request) is not None:
        return HttpResponseRedirect(reverse("readers:account"))
    if request.method == "GET":
        form = SignInForm(initial={"next": safe_next(request, request.GET.get("next", ""))})
        return render(request, "readers/sign_in.html", {"form": form})
    form = SignInForm(request.POST)
    if not form.is_valid():
        return render(request, "readers/sign_in.html", {"form": form}, status=400)
    email = sign_in.normalize_email(form.cleaned_data["email"])
    if not form.is_bot():
        try:
            sign_in.send_sign_in_email(request, email, safe_next(request, form.cleaned_data["next"]))
        except sign_in.RateLimited:
            return rate_limited(request)
    # The same page whatever happened: known, unknown, editor's address or a bot.
    return render(
        request, "readers/check_email.html", {"form": CodeForm(initial={"email": email}), "email": email}
    )


@never_cache
@require_POST
def sign_in_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid() or form.is_bot():
        return render(
            request,
            "readers/check_email.html",
            {"form": form, "email": request.POST.get("email", "")[:254], "error": sign_in.BAD_CODE},
            status=400,
        )
    try:
        found = sign_in.find_by_code(request, form.cleaned_data["email"], form.cleaned_data["code"].strip())
        return signed_in(request, found)
    except sign_in.RateLimited:
        return rate_limited(request)
    except sign_in.SignInRefused as refusal:
        return render(
            request,
            "readers/check_email.html",
            {"form": form, "email": form.cleaned_data["email"], "error": refusal.reason},
            status=400,
        )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link. Opening it asks for one click, which signs in.

    Mail scanners open links to look at them; a sign-in used up on GET would
    leave the reader a used link.
    """
    try:
        found = sign_in.find_by_token(token)
        if request.method == "GET":
            return render(request, "readers/confirm_link.html", {"email": found.email})
        return signed_in(request, found)
    except sign_in.SignInRefused as refusal:
        return refused(request, refusal.reason)


def signed_in(request: HttpRequest, found: SignInRequest) -> HttpResponse:
    if request.user.is_authenticated and current_reader(request) is None:
        # An editor's session: signing in here would replace it. The link stays unused.
        return render(request, "readers/editor_session.html", status=403)
    reader = sign_in.redeem(found)
    login(request, reader, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(safe_next(request, found.next_url) or reverse("readers:account"))


@never_cache
@require_http_methods(["GET", "POST"])
@reader_required
def account(request: HttpRequest, reader) -> HttpResponse:
    name_form = DisplayNameForm(initial={"display_name": display_name(reader)})
    status = 200
    if request.method == "POST":
        name_form = DisplayNameForm(request.POST)
        if name_form.is_valid():
            reader.first_name = name_form.cleaned_data["display_name"]
            reader.last_name = ""
            reader.save(update_fields=["first_name", "last_name"])
            return HttpResponseRedirect(reverse("readers:account"))
        status = 400
    comments = Paginator(
        reader_comments.comments_of(reader).prefetch_related("content_object"), COMMENTS_PER_PAGE
    )
    page = comments.get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "readers/account.html",
        {
            "reader": reader,
            "display_name": display_name(reader),
            "name_form": name_form,
            "comments_page": page,
            "editable_ids": {c.pk for c in page if reader_comments.can_edit(c, now)},
            "sections": account_sections(request, reader),
        },
        status=status,
    )


@never_cache
@require_GET
def me(request: HttpRequest) -> JsonResponse:
    """The personal parts of any cached page, for the page's script (readers.js).

    `?comments=1,2` names comments shown on the page; the answer says which are the reader's.
    """
    reader = current_reader(request)
    if reader is None:
        response = JsonResponse({"signed_in": False, "sign_in_url": reverse("readers:sign-in")})
    else:
        ids = [
            int(part)
            for part in request.GET.get("comments", "").split(",")[:200]
            if part.isdigit() and len(part) < 10
        ]
        owned = reader_comments.owned_among(reader, ids) if ids else []
        now = timezone.now()
        response = JsonResponse(
            {
                "signed_in": True,
                "display_name": display_name(reader),
                "account_url": reverse("readers:account"),
                "csrf_token": get_token(request),
                "own_comments": [
                    {
                        "id": comment.pk,
                        "edit_url": reverse("readers:comment-edit", args=[comment.pk])
                        if reader_comments.can_edit(comment, now)
                        else None,
                        "delete_url": reverse("readers:comment-delete", args=[comment.pk]),
                    }
                    for comment in owned
                ],
                **me_json_extras(request, reader),
            }
        )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = HttpResponseRedirect("/")
    # Without it every later page would pass Varnish as "mid-form" (site/varnish/default.vcl).
    response.delete_cookie(
        settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH, domain=settings.CSRF_COOKIE_DOMAIN
    )
    return response


@never_cache
@require_GET
@reader_required
def download(request: HttpRequest, reader) -> HttpResponse:
    data = {
        "account": {
            "email": reader.email,
            "display_name": display_name(reader),
            "created": reader.reader_profile.created_at.isoformat(),
            "last_signed_in": reader.reader_profile.last_signed_in_at.isoformat()
            if reader.reader_profile.last_signed_in_at
            else None,
        },
        "comments": reader_comments.export_comments(reader),
        **exported_data(reader),
    }
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@reader_required
def delete_account(request: HttpRequest, reader) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reader_comments.delete_account(reader, keep_comments=form.cleaned_data["comments"] == "anonymise")
        logout(request)
        return render(request, "readers/deleted.html")
    return render(request, "readers/delete_account.html", {"form": form}, status=400 if form.errors else 200)


def own_comment(reader, comment_id: int):
    return get_object_or_404(reader_comments.comments_of(reader), pk=comment_id)


@never_cache
@require_http_methods(["GET", "POST"])
@reader_required
def comment_edit(request: HttpRequest, reader, comment_id: int) -> HttpResponse:
    comment = own_comment(reader, comment_id)
    if not reader_comments.can_edit(comment):
        return refused(
            request, "Comments can be edited for 15 minutes after posting; this one no longer can.", 403
        )
    form = CommentEditForm(
        request.POST if request.method == "POST" else None, initial={"comment": comment.comment}
    )
    if request.method == "POST" and form.is_valid():
        verdict = reader_comments.screen_edit(request, comment, form.cleaned_data["comment"])
        purge_comments_pages([comment])
        if verdict is not None:
            return render(request, "readers/edit_held.html", {"comment": comment})
        return HttpResponseRedirect(comment.get_absolute_url())
    return render(
        request,
        "readers/comment_edit.html",
        {"form": form, "comment": comment, "until": reader_comments.editable_until(comment)},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@reader_required
def comment_delete(request: HttpRequest, reader, comment_id: int) -> HttpResponse:
    comment = own_comment(reader, comment_id)
    if request.method == "POST":
        reader_comments.remove(comment)
        return HttpResponseRedirect(reverse("readers:account"))
    return render(request, "readers/comment_delete.html", {"comment": comment})
