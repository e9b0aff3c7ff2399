"""Settings › Import from WordPress; old WordPress query-string addresses (/?p=123) keep working.

Wagtail's redirect middleware only looks for a redirect when a request would
be a 404, and "/?p=123" is the home page with a query string: a 200. So the
imported redirects for those addresses are looked up here, before the page
is served, and only when such a parameter is present.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from . import admin_views

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


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.can_import(request.user)


@hooks.register("register_settings_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        "Import from WordPress", reverse("wordpress_import:start"), icon_name="download", order=900
    )


@hooks.register("register_admin_urls")
def register_import_urls() -> list:
    urls = [
        path("", admin_views.start, name="start"),
        path("<int:pk>/", admin_views.job_page, name="job"),
        path("<int:pk>/progress/", admin_views.progress, name="progress"),
        path("<int:pk>/report/", admin_views.download_report, name="report"),
        path("<int:pk>/import/", admin_views.import_for_real, name="import"),
        path("<int:pk>/resume/", admin_views.resume, name="resume"),
        path("<int:pk>/discard/", admin_views.discard, name="discard"),
    ]
    return [path("import-wordpress/", include((urls, "wordpress_import")))]
