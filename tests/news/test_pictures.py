"""Pictures as a demanding reader (and Lighthouse) expects them: several widths for the
browser to choose from, WebP first with a JPEG or PNG copy for the rest, room kept for
them before they arrive, the page's main picture fetched first and the others only when
the reader nears them; and all of them loaded with the page, not one query each."""

from unittest import mock

import pytest
import wagtail_factories
from bs4 import BeautifulSoup, Tag

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image

from core.images import ARTICLE_COLUMN, attach_card_images, get_rendition
from core.models import SiteIdentity
from news.models import NewsArticlePage, StoryAuthor
from tests.factories import (
    AuthorFactory,
    ContentPageFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    paragraphs,
)

# The layouts' `sizes` (templates and core.images), as a browser reads them.
RELATED_SIZES = "(min-width: 33.5rem) 20.25rem, (min-width: 32rem) 30rem, calc(100vw - 2rem)"
LIST_SIZES = "(min-width: 48rem) 16rem, (min-width: 32rem) 30rem, calc(100vw - 2rem)"
GRID_SIZES = (
    "(min-width: 66.5rem) 16.5rem, (min-width: 50rem) 20.5rem, (min-width: 33.5rem) 23.25rem, "
    "(min-width: 32rem) 30rem, calc(100vw - 2rem)"
)


def photo(width: int = 1000, height: int = 700, **file_options) -> Image:
    """An uploaded picture of this size; `format` and `filename` make other kinds than JPEG."""
    options = {f"file__{name}": value for name, value in file_options.items()}
    return wagtail_factories.ImageFactory(file__width=width, file__height=height, **options)


def pictures(html: str, css_class: str | None = None) -> list[Tag]:
    """The <picture>s of the page's main content, or those whose <img> has `css_class`."""
    main = BeautifulSoup(html, "html.parser").select_one("main")
    found = main.select("picture")
    return [p for p in found if css_class is None or css_class in p.img.get("class", [])]


def candidates(srcset: str) -> list[tuple[str, str]]:
    """(URL, descriptor) of each candidate of a srcset."""
    return [tuple(candidate.rsplit(" ", 1)) for candidate in srcset.split(", ")]


def descriptors(srcset: str) -> list[str]:
    return [descriptor for _, descriptor in candidates(srcset)]


def widths(srcset: str) -> list[int]:
    return [int(descriptor.removesuffix("w")) for descriptor in descriptors(srcset)]


def assert_webp_first_with_a_fallback(picture: Tag, fallback_extension: str = ".jpg") -> None:
    """A WebP <source> and an <img> in another format, offering the same widths for the same layout."""
    source, img = picture.select_one("source"), picture.img
    assert source["type"] == "image/webp"
    assert all(url.endswith(".webp") for url, _ in candidates(source["srcset"]))
    assert all(url.endswith(fallback_extension) for url, _ in candidates(img["srcset"]))
    assert img["src"].endswith(fallback_extension)
    assert descriptors(source["srcset"]) == descriptors(img["srcset"])
    assert source.get("sizes") == img.get("sizes")


def assert_lazy(picture: Tag) -> None:
    img = picture.img
    assert (img.get("loading"), img.get("decoding"), img.get("fetchpriority")) == ("lazy", "async", None)


def assert_fetched_first(picture: Tag) -> None:
    img = picture.img
    assert img.get("fetchpriority") == "high" and img.get("loading") is None


def test_an_articles_lead_image_body_images_and_related_cards_are_responsive_pictures(client, health):
    lead, inline, other = photo(), photo(1600, 900), photo()
    article = NewsArticlePageFactory(
        parent=health,
        lead_image=lead,
        lead_image_alt_text="A lung scan",
        body=[*paragraphs(1), ("image", {"image": inline, "alt_text": "Cells", "caption": "", "credit": ""})],
    )
    NewsArticlePageFactory(parent=health, title="Related", lead_image=other)

    html = client.get(article.url).text

    lead_picture, body_picture = pictures(html)[:2]
    assert_webp_first_with_a_fallback(lead_picture)
    assert_fetched_first(lead_picture)
    # Never wider than the original: a 1000-pixel photo is offered up to 1000 pixels.
    assert widths(lead_picture.img["srcset"]) == [480, 800, 1000]
    assert (lead_picture.img["width"], lead_picture.img["height"]) == ("1000", "700")
    assert lead_picture.img["sizes"] == ARTICLE_COLUMN and lead_picture.img["alt"] == "A lung scan"

    assert_webp_first_with_a_fallback(body_picture)
    assert_lazy(body_picture)
    assert widths(body_picture.img["srcset"]) == [480, 800, 1200, 1600]
    assert (body_picture.img["width"], body_picture.img["height"]) == ("1200", "675")
    assert body_picture.img["alt"] == "Cells"

    [card] = pictures(html, "card__image")
    assert_webp_first_with_a_fallback(card)
    assert_lazy(card)
    assert widths(card.img["srcset"]) == [320, 480, 640, 800, 960]
    assert (card.img["width"], card.img["height"]) == ("480", "270")
    assert card.img["sizes"] == RELATED_SIZES


def test_the_front_pages_lead_story_is_fetched_first_and_section_cards_load_lazily(client, home_page, health):
    NewsArticlePageFactory(parent=health, title="Older", lead_image=photo())
    NewsArticlePageFactory(parent=health, title="Newest", lead_image=photo())

    lead, card = pictures(client.get("/").text, "card__image")

    assert_webp_first_with_a_fallback(lead)
    assert_fetched_first(lead)
    # The lead story's crop is the shared links' one (1200×630), across the page.
    assert widths(lead.img["srcset"]) == [480, 800, 1000]
    assert (lead.img["width"], lead.img["height"]) == ("1000", "526")
    assert lead.img["sizes"] == "(min-width: 72rem) 70rem, calc(100vw - 2rem)"
    assert_webp_first_with_a_fallback(card)
    assert_lazy(card)
    assert card.img["sizes"] == GRID_SIZES


@pytest.mark.parametrize("listing", ["section", "tag", "author", "search"])
def test_listings_fetch_their_first_card_picture_first_and_the_rest_lazily(client, health, listing):
    author = AuthorFactory(name="Ann Lee", slug="ann-lee", photo=photo(600, 400))
    for n in range(3):
        story = NewsArticlePageFactory(parent=health, title=f"Budget story {n}", lead_image=photo())
        story.tags.add("budget")
        story.save()
        StoryAuthor.objects.create(page=story, author=author)
    url = {
        "section": health.url,
        "tag": "/tags/budget/",
        "author": "/authors/ann-lee/",
        "search": "/search/?q=budget",
    }[listing]

    html = client.get(url).text
    cards = pictures(html, "card__image")

    assert len(cards) == 3
    # A section's first page opens with its lead story across the page, in the wide crop.
    first = [480, 800, 1000] if listing == "section" else [320, 480, 640, 800, 960]
    for position, card in enumerate(cards):
        assert_webp_first_with_a_fallback(card)
        assert widths(card.img["srcset"]) == (first if position == 0 else [320, 480, 640, 800, 960])
    assert_fetched_first(cards[0])
    for card in cards[1:]:
        assert_lazy(card)
    if listing == "section":  # the lead story, across the page
        assert cards[0].img["sizes"] == "(min-width: 72rem) 70rem, calc(100vw - 2rem)"
    elif listing != "search":  # search results show a card's picture above its text
        assert cards[0].img["sizes"] == LIST_SIZES


def test_an_authors_photo_is_a_small_picture_shown_at_once(client, db):
    AuthorFactory(name="Ann Lee", slug="ann-lee", photo=photo(600, 400))

    [portrait] = pictures(client.get("/authors/ann-lee/").text, "author__photo")

    assert_webp_first_with_a_fallback(portrait)
    assert widths(portrait.img["srcset"]) == [120, 240, 360]
    assert portrait.img["sizes"] == "7.5rem"
    assert (portrait.img["width"], portrait.img["height"]) == ("240", "240")
    # In view as the page opens: not deferred, yet not competing with the first card.
    assert portrait.img["loading"] == "eager" and portrait.img.get("fetchpriority") is None


def test_the_logo_is_offered_at_each_pixel_density_and_not_deferred(client, site, home_page):
    SiteIdentity.objects.update_or_create(
        site=site, defaults={"site_name": "The Daily Lens", "logo": photo(300, 90)}
    )

    header = BeautifulSoup(client.get("/").text, "html.parser").select_one(".site-header")
    logo = header.select_one("picture")

    assert_webp_first_with_a_fallback(logo)
    assert descriptors(logo.img["srcset"]) == ["1x", "2x", "3x"]
    assert "sizes" not in logo.img.attrs
    assert (logo.img["alt"], logo.img["height"], logo.img["loading"]) == ("The Daily Lens", "40", "eager")


def test_a_small_original_is_offered_only_at_sizes_it_has(client, health):
    article = NewsArticlePageFactory(parent=health, lead_image=photo(400, 300))

    [lead] = pictures(client.get(article.url).text)

    assert widths(lead.img["srcset"]) == [400]
    assert widths(lead.select_one("source")["srcset"]) == [400]
    assert (lead.img["width"], lead.img["height"]) == ("400", "300")


def test_a_webp_original_falls_back_to_jpeg(client, health):
    article = NewsArticlePageFactory(parent=health, lead_image=photo(format="WEBP", filename="photo.webp"))

    [lead] = pictures(client.get(article.url).text)

    assert_webp_first_with_a_fallback(lead, fallback_extension=".jpg")


def test_a_gif_keeps_its_own_format_so_an_animation_keeps_moving(client, health):
    article = NewsArticlePageFactory(parent=health, lead_image=photo(format="GIF", filename="animation.gif"))

    [lead] = pictures(client.get(article.url).text)

    assert lead.select_one("source") is None
    assert not any(url.endswith(".webp") for url, _ in candidates(lead.img["srcset"]))


def test_pictures_in_content_pages_and_live_blog_entries_load_lazily(client, home_page, health):
    office = [*paragraphs(2), ("image", {"image": photo(), "alt_text": "Our office"})]
    about = ContentPageFactory(parent=home_page, body=office)
    blog = LiveBlogPageFactory(parent=health)
    LiveBlogEntryFactory(page=blog, image=photo())

    for url in (about.url, blog.url, f"{blog.url}entries/?after=0"):
        response = client.get(url)
        html = response.json()["entries"][0]["html"] if "entries/" in url else response.text
        [picture] = BeautifulSoup(html, "html.parser").select("picture")
        assert_webp_first_with_a_fallback(picture)
        assert_lazy(picture)


def test_a_picture_opening_a_content_page_is_fetched_first(client, home_page):
    office = [("image", {"image": photo(), "alt_text": "Our office"}), *paragraphs(1)]
    about = ContentPageFactory(parent=home_page, body=office)

    [picture] = pictures(client.get(about.url).text)

    assert_webp_first_with_a_fallback(picture)
    assert_fetched_first(picture)


def queries_for(client, url: str) -> int:
    client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_pictured_stories(section, author, count: int, start: int = 0) -> list[NewsArticlePage]:
    stories = []
    for n in range(start, start + count):
        story = NewsArticlePageFactory(
            parent=section, title=f"Pictured story {n}", lead_image=wagtail_factories.ImageFactory()
        )
        story.tags.add("budget")
        story.save()
        StoryAuthor.objects.create(page=story, author=author)
        stories.append(story)
    return stories


def test_more_pictured_cards_cost_no_more_queries(client, home_page, health, no_rendition_cache):
    author = AuthorFactory(name="Ann Lee", slug="ann-lee", photo=wagtail_factories.ImageFactory())
    first = add_pictured_stories(health, author, 2)[0]
    urls = ["/", health.url, "/tags/budget/", "/authors/ann-lee/", "/search/?q=pictured", first.url]
    few = {url: queries_for(client, url) for url in urls}

    add_pictured_stories(health, author, 6, start=2)
    many = {url: queries_for(client, url) for url in urls}

    assert many == few


def test_more_pictured_live_blog_entries_cost_no_more_queries(client, health, no_rendition_cache):
    # Both blogs first: each is the other's "You may also like", so only the entries differ.
    blogs = {entries: LiveBlogPageFactory(parent=health, title=f"Live with {entries}") for entries in (1, 6)}
    counts = []
    for entries, blog in blogs.items():
        for _ in range(entries):
            LiveBlogEntryFactory(page=blog, image=wagtail_factories.ImageFactory())
        counts.append((queries_for(client, blog.url), queries_for(client, f"{blog.url}entries/?after=0")))

    assert counts[0] == counts[1]


def test_a_storys_own_images_cost_no_query_and_no_new_file_once_made(client, health, no_rendition_cache):
    plain = NewsArticlePageFactory(parent=health, title="Lead image only", lead_image=photo())
    dressed = NewsArticlePageFactory(
        parent=health,
        title="Every image set",
        lead_image=photo(),
        listing_image=photo(),
        social_image=photo(),
    )
    plain_cost = queries_for(client, plain.url)
    client.get(dressed.url)

    made = []
    generate = Image.generate_rendition_file

    def counting(image, filter, *args, **kwargs):
        made.append(filter.spec)
        return generate(image, filter, *args, **kwargs)

    with mock.patch.object(Image, "generate_rendition_file", counting):
        assert queries_for(client, dressed.url) == plain_cost

    # Link previews and structured data used to make their crops again on every view.
    assert made == []


def test_a_rendition_left_out_of_a_prefetch_is_looked_up_not_made_again(health, django_assert_num_queries):
    image = photo(600, 400)
    image.get_rendition("fill-1200x630")  # the "share" rendition exists
    story = NewsArticlePageFactory(parent=health, lead_image=image)
    story = NewsArticlePage.objects.select_related("lead_image").get(pk=story.pk)
    attach_card_images([story], "card")

    with mock.patch.object(Image, "generate_rendition_file") as generate, django_assert_num_queries(1):
        rendition = get_rendition(story.lead_image, "share")
    generate.assert_not_called()
    assert (rendition.width, rendition.height) == (600, 316)


def test_a_picture_whose_file_went_missing_leaves_the_page_readable(client, health):
    image = photo(600, 400)
    article = NewsArticlePageFactory(parent=health, title="Still readable", lead_image=image)
    NewsArticlePageFactory(parent=health, title="Its neighbour", lead_image=image)
    image.file.storage.delete(image.file.name)

    for url in (article.url, health.url, "/"):
        response = client.get(url)
        assert response.status_code == 200 and "Still readable" in response.text, url
