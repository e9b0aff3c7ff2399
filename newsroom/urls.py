from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from alerts import views as alert_views
from core import media
from core import views as core_views
from core.health import healthz, healthz_worker
from news import views as news_views
from news.sitemaps import sitemap_view
from newsroom.api import api_router

urlpatterns = [
    # Before Wagtail's pages, and unlike any section slug (/health/ may be one).
    path("healthz", healthz, name="healthz"),
    path("healthz/worker", healthz_worker, name="healthz_worker"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, with the cache headers a private document needs (core.media);
    # the same pattern as Wagtail's, so no document address reaches its view unwrapped.
    re_path(r"^documents/(\d+)/(.*)$", media.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("search/", news_views.search, name="search"),
    path("tags/<str:slug>/", news_views.tag_index, name="tag_index"),
    path("authors/<slug:slug>/", news_views.author_detail, name="author_detail"),
    path("corrections/", news_views.corrections, name="corrections"),
    path("feed/", news_views.site_rss_feed, name="rss_feed"),
    path("feed/atom/", news_views.site_atom_feed, name="atom_feed"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("sitemap-news.xml", news_views.news_sitemap, name="news_sitemap"),
    path("robots.txt", news_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("comments/", include("discussion.urls")),
    path("account/", include("readers.urls")),
    path("alerts/", include("alerts.urls")),
    # At the root: a service worker covers only the addresses below its own.
    path("service-worker.js", alert_views.service_worker, name="alerts_service_worker"),
    path("newsletters/", include("newsletters.urls")),
    path("most-read/", include("readership.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Sandboxed, and never documents (core.media), as in production.
    urlpatterns += static(settings.MEDIA_URL, view=media.serve_media, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches every remaining URL, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
