"""The live blog: a story type of timed entries that readers see arrive without reloading."""

from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from news.models import CategoryIndexPage, LiveBlogPage, LiveBlogStatus
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
)
from tests.news.helpers import card_titles, json_ld_of_type, parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def live_blog(health):
    page = LiveBlogPageFactory(parent=health, title="Election night: live")
    LiveBlogEntryFactory(page=page, headline="Polls close", posted_at=timezone.now() - timedelta(hours=2))
    LiveBlogEntryFactory(
        page=page,
        headline="First results",
        posted_at=timezone.now() - timedelta(hours=1),
        author=AuthorFactory(name="Maria Lopez", slug="maria-lopez"),
    )
    return page


def entries_url(page) -> str:
    return f"{page.url}entries/"


def main_of(html: str) -> str:
    """The page's visible content (the <head> repeats entry headlines in JSON-LD)."""
    return html.split("<main", 1)[1]


def test_live_blog_shows_entries_newest_first_with_a_live_label(client, live_blog):
    html = main_of(client.get(live_blog.url).text)

    assert html.index("First results") < html.index("Polls close")
    assert 'class="live-label"' in html and ">Live</p>" in html
    assert 'By <a href="/authors/maria-lopez/" rel="author">Maria Lopez</a>' in html
    assert "data-live-blog-entries" in html and 'src="/static/news/live-blog.js"' in html


def test_key_points_are_pinned_above_the_entries(client, live_blog):
    live_blog.key_points = "<ul><li>Turnout is high</li></ul>"
    live_blog.save_revision().publish()

    html = main_of(client.get(live_blog.url).text)

    assert "Key points" in html
    assert html.index("Turnout is high") < html.index("First results")


def test_an_ended_live_blog_says_so_and_stops_polling(client, live_blog):
    live_blog.status = LiveBlogStatus.ENDED
    live_blog.save_revision().publish()
    live_blog.refresh_from_db()

    html = client.get(live_blog.url).text

    assert live_blog.coverage_end is not None
    assert "Coverage ended" in html
    assert "data-live-blog-entries" not in html and "live-blog.js" not in html


def test_reopening_a_live_blog_clears_its_end_time(live_blog):
    live_blog.status = LiveBlogStatus.ENDED
    live_blog.save()
    live_blog.status = LiveBlogStatus.LIVE
    live_blog.save()

    assert live_blog.coverage_end is None


def test_an_entry_posted_reaches_the_polling_endpoint_and_the_page(client, live_blog):
    latest = live_blog.latest_change()
    page_revisions = live_blog.revisions.count()
    assert client.get(entries_url(live_blog), {"after": latest}).json()["entries"] == []

    posted = LiveBlogEntryFactory(page=live_blog, headline="Exit poll", body="<p>Tight race.</p>")

    data = client.get(entries_url(live_blog), {"after": latest}).json()
    assert data["status"] == "live"
    assert [entry["id"] for entry in data["entries"]] == [posted.pk]
    assert data["latest"] == posted.change_id > latest
    assert "Exit poll" in data["entries"][0]["html"] and "Tight race." in data["entries"][0]["html"]
    # A reload shows it too, on top, and no page revision was made for it.
    html = main_of(client.get(live_blog.url).text)
    assert html.index("Exit poll") < html.index("First results")
    assert live_blog.revisions.count() == page_revisions


def test_polling_answer_is_cacheable_for_a_few_seconds(client, live_blog, settings):
    response = client.get(entries_url(live_blog), {"after": 0})

    assert response.status_code == 200
    assert f"max-age={settings.NEWSROOM_LIVE_BLOG_POLL_SECONDS}" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert [entry["html"].count("<li") for entry in response.json()["entries"]] == [1, 1]


# A NUL (%00) never gets here: core's middleware refuses control characters first.
@pytest.mark.parametrize("after", ["", "abc", "-1", "1.5", "1e3", "99999999999", "2147483648", "١٢"])
def test_polling_with_a_bad_after_value_is_a_400(client, live_blog, after):
    response = client.get(f"{entries_url(live_blog)}?after={after}")

    assert response.status_code == 400
    assert "after" in response.json()["error"]


def test_polling_without_after_is_a_400(client, live_blog):
    assert client.get(entries_url(live_blog)).status_code == 400


def test_polling_a_page_that_is_not_a_live_blog_is_a_404(client, article):
    assert client.get(f"{article.url}entries/", {"after": 0}).status_code == 404


def test_polling_an_unknown_page_is_a_404(client, health):
    assert client.get(f"{health.url}no-such-blog/entries/", {"after": 0}).status_code == 404


def test_polling_never_returns_entries_of_a_draft_live_blog(client, live_blog):
    url = entries_url(live_blog)
    live_blog.unpublish()

    assert client.get(url, {"after": 0}).status_code == 404


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_polling_never_returns_entries_of_a_private_live_blog(client, live_blog, restriction_type):
    PageViewRestriction.objects.create(page=live_blog, restriction_type=restriction_type, password="secret")

    response = client.get(entries_url(live_blog), {"after": 0})

    assert response.status_code in (200, 302)
    assert "Polls close" not in response.content.decode()


def test_live_blog_posting_json_ld(client, live_blog):
    live_blog.status = LiveBlogStatus.ENDED
    live_blog.save_revision().publish()
    live_blog.refresh_from_db()

    data = json_ld_of_type(client.get(live_blog.url).text, "LiveBlogPosting")

    assert data["headline"] == "Election night: live"
    assert data["coverageStartTime"] == live_blog.date.isoformat()
    assert data["coverageEndTime"] == live_blog.coverage_end.isoformat()
    updates = data["liveBlogUpdate"]
    assert [update["headline"] for update in updates] == ["First results", "Polls close"]
    assert updates[0]["@type"] == "BlogPosting"
    assert updates[0]["author"]["@type"] == "Person"
    assert updates[0]["author"]["name"] == "Maria Lopez"
    assert updates[0]["author"]["url"].endswith("/authors/maria-lopez/")
    assert "Paragraph number 1." in updates[0]["articleBody"]


def test_a_running_live_blog_has_no_coverage_end_in_json_ld(client, live_blog):
    data = json_ld_of_type(client.get(live_blog.url).text, "LiveBlogPosting")

    assert "coverageEndTime" not in data


def test_live_blog_appears_wherever_articles_do(client, home_page, health, live_blog):
    live_blog.tags.add("elections")
    live_blog.save_revision().publish()
    NewsArticlePageFactory(
        parent=health, title="An older article", display_date=timezone.now() - timedelta(days=3)
    )

    assert "Election night: live" in card_titles(client.get(health.url).text)
    assert "Election night: live" in client.get(home_page.url).text
    assert "Election night: live" in card_titles(client.get("/tags/elections/").text)
    rss_titles = [item.findtext("title") for item in parse_xml(client.get("/feed/").content).iter("item")]
    assert "Election night: live" in rss_titles
    assert "Election night: live" in client.get("/search/", {"q": "election"}).text
    assert "Election night: live" in client.get("/sitemap-news.xml").text
    api = client.get("/api/v2/pages/", {"type": "news.StoryPage", "fields": "standfirst"}).json()
    assert "Election night: live" in [item["title"] for item in api["items"]]


def test_search_finds_a_live_blog_by_the_text_of_its_entries(client, live_blog):
    LiveBlogEntryFactory(page=live_blog, body="<p>Turnout in Lisbon</p>")
    live_blog.save_revision().publish()  # re-indexes the page with its entries

    assert "Election night: live" in client.get("/search/", {"q": "lisbon"}).text


def test_live_blog_appears_in_an_articles_related_panel(client, health, live_blog):
    article = NewsArticlePageFactory(parent=health, title="Background")

    assert "Election night: live" in client.get(article.url).text.split("You may also like")[1]


def test_atom_feed_updated_time_moves_with_each_posted_entry(client, live_blog):
    def updated():
        feed = parse_xml(client.get("/feed/atom/").content)
        entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == live_blog.title)
        return entry.findtext(f"{ATOM}updated")

    before = updated()
    LiveBlogEntryFactory(page=live_blog, headline="Later")

    assert updated() > before


def test_live_blog_can_be_made_under_a_section_only(health):
    assert LiveBlogPage in CategoryIndexPage.clean_subpage_models()
    assert list(LiveBlogPage.clean_parent_page_models()) == [CategoryIndexPage]


def test_live_blog_page_cost_does_not_grow_with_entries(client, health, django_assert_max_num_queries):
    small = LiveBlogPageFactory(parent=health, title="Small")
    large = LiveBlogPageFactory(parent=health, title="Large")
    author = AuthorFactory()
    for _ in range(2):
        LiveBlogEntryFactory(page=small, author=author)
    for _ in range(60):
        LiveBlogEntryFactory(page=large, author=author)
    client.get(small.url)
    client.get(large.url)

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The story's own queries, then the entries: pinned ones, a page of the rest, their count,
    # their pictures and the newest change number.
    with django_assert_max_num_queries(16):
        client.get(large.url)


def test_older_entries_are_on_later_pages_and_a_page_past_the_end_is_a_404(client, health):
    page = LiveBlogPageFactory(parent=health)
    for n in range(35):
        LiveBlogEntryFactory(
            page=page, headline=f"Entry {n}", posted_at=timezone.now() - timedelta(minutes=n)
        )

    first = client.get(page.url).text
    second = client.get(page.url, {"page": 2}).text

    assert "Entry 0<" in first and "Entry 34<" not in first
    assert "Entry 34<" in second and "data-live-blog-entries" not in second
    assert client.get(page.url, {"page": 3}).status_code == 404


def test_a_section_in_another_tree_does_not_list_the_live_blog(client, home_page, live_blog):
    sport = CategoryIndexPageFactory(parent=home_page, title="Sport")

    assert "Election night: live" not in client.get(sport.url).text
