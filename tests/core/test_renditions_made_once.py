"""Image renditions are made once, on a page's first view, never again on later views.

Wagtail makes any rendition it cannot find among an image's prefetched ones
without asking the database, so a page that prefetches some specs and renders
another would resize (and upload) the same picture on every request.
"""

import pytest
import wagtail_factories

from wagtail.images.models import AbstractImage

from core.models import SiteIdentity
from news.models import StoryAuthor
from tests.factories import AuthorFactory, LiveBlogPageFactory, NewsArticlePageFactory, ReaderCommentFactory


@pytest.fixture
def renditions_made(monkeypatch) -> list[str]:
    made: list[str] = []
    original = AbstractImage.generate_rendition_file

    def counting(self, filter, *args, **kwargs):
        made.append(f"{self.title}: {filter.spec}")
        return original(self, filter, *args, **kwargs)

    monkeypatch.setattr(AbstractImage, "generate_rendition_file", counting)
    return made


@pytest.fixture
def illustrated_site(site, health):
    """Every place a picture shows: lead images, body image, cards, author photo, sharing image."""
    photo = wagtail_factories.ImageFactory(title="Photo")
    portrait = wagtail_factories.ImageFactory(title="Portrait")
    SiteIdentity.objects.update_or_create(
        site=site, defaults={"default_share_image": wagtail_factories.ImageFactory(title="Sharing")}
    )
    author = AuthorFactory(name="Maria Lopez", slug="maria-lopez", photo=portrait)
    article = NewsArticlePageFactory(
        parent=health,
        title="Illustrated story",
        lead_image=photo,
        body=[("image", {"image": photo, "alt_text": "A photo", "caption": "", "credit": ""})],
    )
    article.tags.add("science")
    article.save()
    StoryAuthor.objects.create(page=article, author=author)
    for n in range(3):
        other = NewsArticlePageFactory(parent=health, title=f"Other story {n}", lead_image=photo)
        other.tags.add("science")
        other.save()
    plain = NewsArticlePageFactory(parent=health, title="Story without a picture")
    blog = LiveBlogPageFactory(parent=health, title="Live now", lead_image=photo)
    ReaderCommentFactory(article=article)
    return {
        "front page": "/",
        "section": health.url,
        "article": article.url,
        "article without a picture": plain.url,
        "live blog": blog.url,
        "author page": "/authors/maria-lopez/",
        "tag page": "/tags/science/",
        "search": "/search/?q=story",
    }


@pytest.mark.parametrize(
    "page",
    [
        "front page",
        "section",
        "article",
        "article without a picture",
        "live blog",
        "author page",
        "tag page",
        "search",
    ],
)
def test_a_second_view_makes_no_rendition(client, illustrated_site, renditions_made, page):
    url = illustrated_site[page]
    assert client.get(url).status_code == 200
    renditions_made.clear()

    response = client.get(url)

    assert response.status_code == 200
    assert renditions_made == []
