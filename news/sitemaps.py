from django.db.models import QuerySet

from wagtail.contrib.sitemaps import Sitemap

from core.listings import not_expired


class PageSitemap(Sitemap):
    """Wagtail's sitemap of live, public pages, leaving out pages past their expiry time."""

    def items(self) -> QuerySet:
        return super().items().filter(not_expired())
