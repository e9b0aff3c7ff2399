"""Passwordless sign-in: an e-mailed link and code, single use, expiring, rate-limited.

The answer to "send me a sign-in e-mail" is the same whether or not the
address has an account: an unknown address gets its account when the link or
code is first used, so nobody learns who reads here by asking.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from core.client_address import client_address

from .models import ReaderProfile, SignInRequest

logger = logging.getLogger(__name__)

SIGN_IN_VALID_FOR = timedelta(minutes=15)
# Wrong codes allowed on one e-mail before it stops working.
MAX_FAILED_CODES = 5
# Sign-in e-mails per address and per client address in RATE_WINDOW; code
# attempts per client address in the same window.
MAX_EMAILS_PER_ADDRESS = 5
MAX_EMAILS_PER_CLIENT = 20
MAX_CODE_ATTEMPTS_PER_CLIENT = 20
RATE_WINDOW = timedelta(minutes=15)


def digest(secret: str) -> str:
    """Keyed with SECRET_KEY, so stored digests cannot be checked against guesses elsewhere."""
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def over_limit(name: str, limit: int) -> bool:
    """Count one more event under `name`; True once more than `limit` fell in the window.

    When the cache cannot count (Redis down: django-redis ignores the error and
    answers None), the caller's own database check still holds the line.
    """
    key = f"readers:rate:{hashlib.sha256(name.encode()).hexdigest()}"
    window = int(RATE_WINDOW.total_seconds())
    try:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # Expired between add and incr: this is the first event of a new window.
            cache.set(key, 1, window)
            count = 1
    except Exception:  # a cache backend that raises when down (they share no error class)
        count = None
    return count is not None and count > limit


def recent_requests_for(email: str) -> int:
    return SignInRequest.objects.filter(email=email, created_at__gte=timezone.now() - RATE_WINDOW).count()


class RateLimited(Exception):
    """Too many sign-in e-mails or code attempts; the page says to wait."""


@dataclass
class IssuedSignIn:
    request: SignInRequest
    token: str
    code: str


# Sign-in requests are kept this long (rate limits and support questions), then deleted.
KEEP_REQUESTS_FOR = timedelta(days=1)


def issue(email: str, next_url: str = "") -> IssuedSignIn:
    SignInRequest.objects.filter(created_at__lt=timezone.now() - KEEP_REQUESTS_FOR).delete()
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(1_000_000):06d}"
    stored = SignInRequest.objects.create(
        email=email,
        token_digest=digest(token),
        code_digest=digest(f"{email}:{code}"),
        next_url=next_url,
        expires_at=timezone.now() + SIGN_IN_VALID_FOR,
    )
    return IssuedSignIn(request=stored, token=token, code=code)


def is_reader_address(email: str) -> bool | None:
    """True for a reader's address, None for an unknown one, False for an editor's (never signed in here)."""
    user = get_user_model().objects.filter(email__iexact=email).select_related("reader_profile").first()
    if user is None:
        return None
    return hasattr(user, "reader_profile") and not user.is_staff and not user.is_superuser


def send_sign_in_email(request: HttpRequest, email: str, next_url: str = "") -> None:
    """Mail a sign-in link and code to `email`, within the rate limits.

    Raises RateLimited; otherwise says nothing about whether the address is
    known. An editor's address is sent nothing: editors sign in to the admin.
    """
    email = normalize_email(email)
    client = client_address(request) or "unknown"
    if (
        over_limit(f"email:{email}", MAX_EMAILS_PER_ADDRESS)
        or over_limit(f"client:{client}", MAX_EMAILS_PER_CLIENT)
        or recent_requests_for(email) >= MAX_EMAILS_PER_ADDRESS
    ):
        raise RateLimited
    if is_reader_address(email) is False:
        logger.info("Reader sign-in asked for an editor's address; nothing sent")
        return
    issued = issue(email, next_url)
    link = request.build_absolute_uri(reverse("readers:sign-in-link", args=[issued.token]))
    context = {
        "link": link,
        "code": issued.code,
        "minutes": int(SIGN_IN_VALID_FOR.total_seconds() // 60),
        "site_name": getattr(Site.find_for_request(request), "site_name", "") or settings.WAGTAIL_SITE_NAME,
    }
    send_mail(
        subject=f"Your sign-in code: {issued.code}",
        message=render_to_string("readers/email/sign_in.txt", context),
        from_email=None,
        recipient_list=[email],
    )


class SignInRefused(Exception):
    """The link or code cannot sign anyone in; `reason` is what the page tells the reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


EXPIRED = "This sign-in link or code has expired. Ask for a new one: they work for 15 minutes."
USED = "This sign-in link or code has already been used. Ask for a new one if you need to sign in again."
UNKNOWN = "This sign-in link is not valid. Check that you copied all of it, or ask for a new one."
BAD_CODE = "That code is not right, or it has expired. Check the latest e-mail, or ask for a new code."


def find_by_token(token: str) -> SignInRequest:
    """The sign-in a link names, if it can still be used; SignInRefused otherwise."""
    if not token or len(token) > 100:
        raise SignInRefused(UNKNOWN)
    found = SignInRequest.objects.filter(token_digest=digest(token)).first()
    if found is None:
        raise SignInRefused(UNKNOWN)
    check_usable(found)
    return found


def check_usable(found: SignInRequest) -> None:
    if found.used_at is not None:
        raise SignInRefused(USED)
    if found.expires_at <= timezone.now() or found.failed_codes >= MAX_FAILED_CODES:
        raise SignInRefused(EXPIRED)


def find_by_code(request: HttpRequest, email: str, code: str) -> SignInRequest:
    """The newest usable sign-in for `email` whose code is `code`.

    Every wrong code counts against that e-mail (and the client address), so a
    6-digit code cannot be guessed in the time it lives.
    """
    email = normalize_email(email)
    if over_limit(f"code:{client_address(request) or 'unknown'}", MAX_CODE_ATTEMPTS_PER_CLIENT):
        raise RateLimited
    candidate = (
        SignInRequest.objects.filter(email=email, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if candidate is None or candidate.failed_codes >= MAX_FAILED_CODES:
        raise SignInRefused(BAD_CODE)
    if not hmac.compare_digest(candidate.code_digest, digest(f"{email}:{code}")):
        SignInRequest.objects.filter(pk=candidate.pk).update(failed_codes=candidate.failed_codes + 1)
        raise SignInRefused(BAD_CODE)
    return candidate


def redeem(found: SignInRequest) -> AbstractBaseUser:
    """Use the sign-in once and return its reader, created on first use.

    The conditional update makes a link opened twice at once sign in only one of them.
    """
    with transaction.atomic():
        used = SignInRequest.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not used:
            raise SignInRefused(USED)
        user = reader_for(found.email)
    return user


def reader_for(email: str) -> AbstractBaseUser:
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).select_related("reader_profile").first()
    if user is not None and (user.is_staff or user.is_superuser or not hasattr(user, "reader_profile")):
        # An editor's address: a link for it was never sent, so this is a race or a forgery.
        raise SignInRefused(UNKNOWN)
    if user is None:
        user = User(username=f"reader-{secrets.token_hex(8)}", email=email, is_staff=False)
        user.set_unusable_password()
        user.save()
        ReaderProfile.objects.create(user=user)
        user.first_name = f"Reader {user.pk}"
        user.save(update_fields=["first_name"])
    ReaderProfile.objects.filter(user=user).update(last_signed_in_at=timezone.now())
    return user
