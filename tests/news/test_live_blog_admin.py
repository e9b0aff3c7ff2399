"""An editor runs a live blog from the Wagtail admin: the page form, then the live desk."""

import pytest

from django.contrib.auth import get_user_model

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from news.models import LiveBlogPage
from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory
from tests.livedesk.helpers import entry_form
from tests.news.helpers import card_titles, json_ld_of_type, parse_xml


@pytest.fixture
def editor_client(client, db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.login(username="chief", password="pw")
    return client


def live_blog_form(title: str, status: str = "live", action: str = "action-publish") -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "subheadline": "",
            "standfirst": "The latest as it happens.",
            "status": status,
            "key_points": rich_text("<ul><li>Polls closed at 10pm</li></ul>"),
            "writers_may_post": "on",
            "story_authors": inline_formset([]),
            "related_links": inline_formset([]),
            "corrections": inline_formset([]),
            "tags": "elections",
            "reader_comments": "open",
            action: "publish",
        }
    )


def test_editor_creates_a_live_blog_then_posts_from_the_live_desk(editor_client, client, health, home_page):
    data = live_blog_form("Election night")
    data["slug"] = "election-night"

    response = editor_client.post(f"/admin/pages/add/news/liveblogpage/{health.pk}/", data)

    assert response.status_code == 302, response.content[:3000]
    live_blog = LiveBlogPage.objects.get(slug="election-night")
    assert live_blog.live and live_blog.writers_may_post
    response = editor_client.post(
        f"/admin/live-desk/{live_blog.pk}/", entry_form("<p>Counting begins.</p>", headline="Polls close")
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(live_blog.url).text
    assert "Counting begins." in page and "Polls closed at 10pm" in page
    assert json_ld_of_type(page, "LiveBlogPosting")["liveBlogUpdate"][0]["headline"] == "Polls close"
    assert "Election night" in card_titles(client.get(health.url).text)
    assert "Election night" in client.get(home_page.url).text
    assert "Election night" in card_titles(client.get("/tags/elections/").text)
    assert "Election night" in [
        i.findtext("title") for i in parse_xml(client.get("/feed/").content).iter("item")
    ]
    assert "Election night" in client.get("/search/", {"q": "election"}).text
    api = client.get("/api/v2/pages/", {"type": "news.LiveBlogPage", "fields": "entries"}).json()
    assert api["items"][0]["entries"][0]["headline"] == "Polls close"


def test_the_page_form_does_not_grow_with_the_entries(editor_client, health):
    sizes = []
    for count in (1, 50):
        blog = LiveBlogPageFactory(parent=health, title=f"Blog with {count}")
        for n in range(count):
            LiveBlogEntryFactory(
                page=blog, headline=f"Entry {n} of {count}", body="<p>" + "words " * 50 + "</p>"
            )
        html = editor_client.get(f"/admin/pages/{blog.pk}/edit/").text
        assert "Entry 0 of" not in html
        sizes.append(len(html.replace(blog.title, "").replace(str(blog.pk), "")))

    assert abs(sizes[0] - sizes[1]) < 200, sizes


def test_the_page_form_links_to_the_live_desk_and_keeps_status_and_key_points(editor_client, health):
    blog = LiveBlogPageFactory(parent=health, title="Storm watch")

    html = editor_client.get(f"/admin/pages/{blog.pk}/edit/").text

    assert f'href="/admin/live-desk/{blog.pk}/"' in html
    assert 'name="status"' in html and 'name="key_points"' in html and 'name="writers_may_post"' in html
    assert f'href="/admin/live-desk/{blog.pk}/"' in editor_client.get("/admin/stories/").text
