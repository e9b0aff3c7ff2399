"""How often one network may ask for sign-ups: counted in the cache, or in the database when it is down."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.client_address import client_address

from .models import Subscriber

logger = logging.getLogger(__name__)

SIGNUPS_PER_NETWORK = 10
WINDOW = timedelta(hours=1)


def network_of(request: HttpRequest) -> str:
    """A salted hash of the reader's address: enough to count, nothing to give away."""
    return salted_hmac("newsletters.signup", client_address(request)).hexdigest()[:40]


def network_over_limit(network: str) -> bool:
    """Count this sign-up against `network`; True once it asked too often in WINDOW."""
    key = f"newsletters:signups:{network}"
    seconds = int(WINDOW.total_seconds())
    try:
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=seconds)
            count = cache.get(key)
    except Exception:  # Any cache backend's connection error: they share no base class.
        logger.warning("Newsletter sign-up limit: cache unavailable, counting stored sign-ups", exc_info=True)
        count = None
    if not isinstance(count, int):
        since = timezone.now() - WINDOW
        count = (
            Subscriber.objects.filter(signup_network=network, last_confirmation_sent_at__gte=since).count()
            + 1
        )
    return count > SIGNUPS_PER_NETWORK
