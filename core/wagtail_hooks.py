from django.http import Http404, HttpRequest

from wagtail import hooks
from wagtail.models import Page

from .privacy import is_expired


@hooks.register("before_serve_page")
def refuse_expired_pages(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """An expired page is gone for readers at its expiry time, not when the scheduler next runs.

    Every route of a page (a live blog's polling endpoint too) passes here.
    """
    if is_expired(page):
        raise Http404("This page has expired.")
