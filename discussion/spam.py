"""Layered spam defence for reader comments, none of it needing a paid service.

The form refuses tampered or stale posts (security hash and timestamp) and
honeypot hits; the post view refuses bursts from one address. What remains is
screened here: quick posts, link-stuffed text and blocklisted words are held
for a moderator, and Akismet (only with an API key) can call a comment spam.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

import akismet
import httpx
from django_comments_xtd.models import XtdComment

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.client_address import client_address

from .models import ReaderCommentSettings

logger = logging.getLogger(__name__)

# Schemes and bare "www." hosts both count: spammers drop the scheme to slip past filters.
LINK_PATTERN = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.IGNORECASE)


@dataclass
class Verdict:
    held_reasons: list[str] = field(default_factory=list)
    is_spam: bool = False
    checked_with_akismet: bool = False

    @property
    def is_clean(self) -> bool:
        return not self.is_spam and not self.held_reasons

    @property
    def reasons(self) -> str:
        return "; ".join(self.held_reasons)


def reporter_key(request: HttpRequest) -> str:
    """Who is flagging: the signed-in user, or a keyed hash of the address (never the address)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return "ip:" + salted_hmac("discussion.reporter", client_address(request)).hexdigest()[:40]


def is_rate_limited(request: HttpRequest, site_settings: ReaderCommentSettings) -> bool:
    """Count this post against the sender's address; True once it is over the limit.

    A fixed window in Django's cache: the first post of a window starts it, and
    every post until it expires counts, refused ones included, so a bot that
    keeps hammering stays locked out. When the cache cannot be reached the
    limit still holds, counted from the comments stored from that address.
    """
    ip_hash = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"discussion:rate:{ip_hash}"
    window = site_settings.rate_limit_minutes * 60
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:
            # The window expired between add() and incr(), or the key never
            # arrived (a cache that drops writes).
            cache.set(key, 1, timeout=window)
            count = cache.get(key)
    except Exception:  # Any cache backend's connection error: they share no base class.
        logger.warning("Comment rate limit: cache unavailable, counting stored comments", exc_info=True)
        count = None
    if not isinstance(count, int):
        # Down, or a backend told to hide its errors (django-redis's
        # IGNORE_EXCEPTIONS answers None): the limit still holds, counted
        # from the comments stored from that address.
        count = recent_comments_from(client_address(request), window) + 1
    return count > site_settings.rate_limit_posts


def recent_comments_from(address: str, seconds: int) -> int:
    """Comments stored from `address` in the last `seconds`, spam and held ones included."""
    since = timezone.now() - timedelta(seconds=seconds)
    return XtdComment.objects.filter(ip_address=address or None, submit_date__gte=since).count()


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text))


def local_reasons(
    text: str, author_fields: list[str], site_settings: ReaderCommentSettings, seconds_to_fill: float | None
) -> list[str]:
    """Reasons to hold a comment back, from its content and timing alone."""
    reasons = []
    if seconds_to_fill is not None and seconds_to_fill < site_settings.min_seconds_to_fill:
        reasons.append(f"sent {max(seconds_to_fill, 0):.0f} s after the form loaded")
    links = count_links(text)
    if links > site_settings.max_links:
        reasons.append(f"{links} links (limit {site_settings.max_links})")
    haystack = " ".join([text, *author_fields]).lower()
    found = [term for term in site_settings.blocked_terms() if term in haystack]
    if found:
        reasons.append("blocklisted: " + ", ".join(sorted(set(found))))
    return reasons


def akismet_enabled() -> bool:
    return bool(settings.AKISMET_API_KEY)


def get_akismet_client() -> akismet.SyncClient | None:
    if not akismet_enabled():
        return None
    config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_SITE_URL)
    return akismet.SyncClient(config=config)


def akismet_verdict(request: HttpRequest, comment: dict, permalink: str) -> akismet.CheckResponse | None:
    """Akismet's opinion, or None when it is off or cannot be reached."""
    client = get_akismet_client()
    if client is None:
        return None
    try:
        return client.comment_check(
            user_ip=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            referrer=request.META.get("HTTP_REFERER", ""),
            permalink=permalink,
            comment_type="comment",
            comment_author=comment.get("user_name") or "",
            comment_author_email=comment.get("user_email") or "",
            comment_author_url=comment.get("user_url") or "",
            comment_content=comment.get("comment") or "",
            blog_lang=settings.LANGUAGE_CODE,
            blog_charset="UTF-8",
        )
    except (akismet.AkismetError, httpx.HTTPError):
        # A comment must not be lost because Akismet is down: the local
        # checks still ran, and a moderator sees whatever they held.
        logger.warning("Akismet check failed; relying on local checks", exc_info=True)
        return None


def screen(
    request: HttpRequest, comment: dict, site_settings: ReaderCommentSettings, permalink: str
) -> Verdict:
    """Judge a comment that passed the form: clean, held for moderation, or spam."""
    try:
        seconds_to_fill = time.time() - int(request.POST.get("timestamp", ""))
    except ValueError:
        seconds_to_fill = None
    verdict = Verdict(
        held_reasons=local_reasons(
            comment.get("comment") or "",
            [comment.get("user_name") or "", comment.get("user_url") or ""],
            site_settings,
            seconds_to_fill,
        )
    )
    response = akismet_verdict(request, comment, permalink)
    if response is not None:
        verdict.checked_with_akismet = True
        if response in (akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD):
            verdict.is_spam = True
            verdict.held_reasons.append(
                "Akismet: blatant spam" if response == akismet.CheckResponse.DISCARD else "Akismet: spam"
            )
    return verdict
