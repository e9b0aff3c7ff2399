import logging

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Newsletter
from .subscriptions import SIGNUP_LISTS_CACHE_KEY

logger = logging.getLogger(__name__)


@receiver([post_save, post_delete], sender=Newsletter)
def forget_signup_lists(**kwargs) -> None:
    try:
        cache.delete(SIGNUP_LISTS_CACHE_KEY)
    except Exception:  # a cache that is down keeps no stale list either (it answers nothing)
        logger.warning("Newsletter lists: cache unavailable", exc_info=True)
