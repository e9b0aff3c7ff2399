from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Newsletter
from .subscriptions import SIGNUP_LISTS_CACHE_KEY


@receiver([post_save, post_delete], sender=Newsletter)
def forget_signup_lists(**kwargs) -> None:
    cache.delete(SIGNUP_LISTS_CACHE_KEY)
