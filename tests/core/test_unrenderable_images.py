"""One bad image never breaks a page: an image whose original cannot become a
rendition (an SVG asked for WebP, a file gone missing, truncated or not a
picture at all, too many pixels to open safely, a format Wagtail cannot write)
shows as Wagtail's broken picture, or not at all, wherever it is used.
"""

import io
import json

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from django.core.files.base import ContentFile

from wagtail.images import get_image_model

from core.models import SiteIdentity
from news.models import StoryAuthor
from tests.factories import AuthorFactory, LiveBlogPageFactory, NewsArticlePageFactory

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450">'
    b"<script>document.title = 'owned'</script><rect width='800' height='450'/></svg>"
)


def replace_file(image, content: bytes) -> None:
    storage, name = image.file.storage, image.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def svg_image():
    """An image row pointing at an SVG: no upload form lets one in, an import or a script may."""
    return get_image_model().objects.create(
        title="Drawing", file=ContentFile(SVG_WITH_SCRIPT, name="drawing.svg"), width=800, height=450
    )


def missing_file():
    image = wagtail_factories.ImageFactory(title="Gone", file__width=800, file__height=450)
    image.file.storage.delete(image.file.name)
    return image


def truncated_file():
    image = wagtail_factories.ImageFactory(title="Cut short", file__width=800, file__height=450)
    replace_file(image, jpeg_bytes()[:400])
    return image


def not_a_picture():
    image = wagtail_factories.ImageFactory(title="Not a picture", file__width=800, file__height=450)
    replace_file(image, b"%PDF-1.4 this is no picture")
    return image


def too_many_pixels(monkeypatch):
    """Pillow refuses to open a picture of more than twice its pixel limit (a decompression bomb)."""
    image = wagtail_factories.ImageFactory(title="Bomb", file__width=800, file__height=450)
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1000)
    return image


def tiff_original():
    """A format Pillow reads but Wagtail cannot write: neither WebP nor a copy in its own format."""
    return wagtail_factories.ImageFactory(
        title="Scan", file__width=800, file__height=450, file__format="TIFF", file__filename="scan.tif"
    )


BAD_IMAGES = {
    "an SVG": lambda monkeypatch: svg_image(),
    "a missing file": lambda monkeypatch: missing_file(),
    "a truncated file": lambda monkeypatch: truncated_file(),
    "a file that is no picture": lambda monkeypatch: not_a_picture(),
    "too many pixels": too_many_pixels,
    "a TIFF": lambda monkeypatch: tiff_original(),
}


@pytest.fixture(params=list(BAD_IMAGES))
def bad_image(request, monkeypatch, db):
    return BAD_IMAGES[request.param](monkeypatch)


@pytest.fixture
def site_with_a_bad_image(site, health, bad_image):
    """The bad image everywhere a picture shows: lead image, listing image, body, author
    photo, live blog, the site's logo, sharing image and publisher logo."""
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={"logo": bad_image, "default_share_image": bad_image, "publisher_logo": bad_image},
    )
    author = AuthorFactory(name="Ana Bad", slug="ana-bad", photo=bad_image)
    article = NewsArticlePageFactory(
        parent=health,
        title="Unbroken headline",
        lead_image=bad_image,
        listing_image=bad_image,
        body=[("image", {"image": bad_image, "alt_text": "A drawing", "caption": "", "credit": ""})],
    )
    article.tags.add("science")
    article.save()
    StoryAuthor.objects.create(page=article, author=author)
    NewsArticlePageFactory(parent=health, title="Unbroken neighbour", lead_image=bad_image)
    blog = LiveBlogPageFactory(parent=health, title="Unbroken live blog", lead_image=bad_image)
    return {"article": article, "blog": blog, "section": health}


@pytest.mark.parametrize(
    "page",
    ["front page", "section", "article", "live blog", "tag page", "author page", "search", "feed", "api"],
)
def test_a_page_showing_a_bad_image_still_answers(client, site_with_a_bad_image, page):
    article = site_with_a_bad_image["article"]
    url = {
        "front page": "/",
        "section": site_with_a_bad_image["section"].url,
        "article": article.url,
        "live blog": site_with_a_bad_image["blog"].url,
        "tag page": "/tags/science/",
        "author page": "/authors/ana-bad/",
        "search": "/search/?q=unbroken",
        "feed": "/feed/",
        "api": f"/api/v2/pages/{article.pk}/",
    }[page]

    response = client.get(url)

    assert response.status_code == 200
    assert "Unbroken" in response.content.decode()


def test_link_previews_and_structured_data_never_name_a_picture_that_was_not_made(
    client, site_with_a_bad_image, bad_image
):
    response = client.get(site_with_a_bad_image["article"].url)

    html = BeautifulSoup(response.content, "html.parser")
    previews = [
        meta["content"] for meta in html.select('meta[property="og:image"], meta[name="twitter:image"]')
    ]
    structured = [json.loads(script.string) for script in html.select('script[type="application/ld+json"]')]
    story = next(data for data in structured if data.get("@type") == "NewsArticle")
    if bad_image.is_svg():
        # An SVG can still be cropped to the sharing size in its own format (a real file).
        assert previews and all(url.endswith(".svg") for url in previews)
    else:
        assert previews == []
        assert html.select_one('meta[name="twitter:card"]')["content"] == "summary"
        assert "image" not in story
        assert "logo" not in story["publisher"]
    assert "not-found" not in json.dumps(structured)
