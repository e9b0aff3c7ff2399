"""The headless API's endpoints (Wagtail API v2 at /api/v2/); the viewsets live in `core`."""

from wagtail.api.v2.router import WagtailAPIRouter

from core.api import PublicImagesAPIViewSet, PublicPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
