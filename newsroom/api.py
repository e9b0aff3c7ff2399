"""The read-only headless API (Wagtail API v2): published, public pages and images."""

from django.db.models import QuerySet

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from news.models import not_expired


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Only pages anyone may read: live, unexpired, outside every privacy restriction.

    Wagtail's default lets a signed-in reader see pages restricted to signed-in
    users; API responses are shared with apps and caches, so they hold only
    what an anonymous reader sees.
    """

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().public().filter(not_expired())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
