"""Old WordPress query-string addresses (/?p=123, /?page_id=45) keep working.

Wagtail's redirect middleware only looks for a redirect when a request would
be a 404, and "/?p=123" is the home page with a query string: a 200. So the
imported redirects for those addresses are looked up here, before the page
is served, and only when such a parameter is present.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect

from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

WORDPRESS_QUERY_KEYS = ("p", "page_id")


@hooks.register("before_serve_page")
def redirect_wordpress_query_addresses(
    page: Page, request: HttpRequest, serve_args, serve_kwargs
) -> HttpResponse | None:
    for key in WORDPRESS_QUERY_KEYS:
        value = request.GET.get(key)
        if not value or not value.isdigit():
            continue
        old_path = Redirect.normalise_path(f"{request.path}?{key}={value}")
        site = Site.find_for_request(request)
        redirect = Redirect.get_for_site(site).filter(old_path=old_path).order_by("site").first()
        if redirect is not None and redirect.link:
            response_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
            return response_class(redirect.link)
    return None
