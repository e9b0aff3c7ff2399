"""An editor runs a live blog from the Wagtail admin: create it, then add entries by publishing."""

import pytest

from django.contrib.auth import get_user_model

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import LiveBlogPage
from tests.factories import AuthorFactory
from tests.news.helpers import card_titles, json_ld_of_type, parse_xml


@pytest.fixture
def editor_client(client, db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.login(username="chief", password="pw")
    return client


def entry(headline: str, text: str, author=None) -> dict:
    return {
        "posted_at": "",
        "headline": headline,
        "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
        "author": author.pk if author else "",
    }


def live_blog_form(
    title: str, entries: list[dict], status: str = "live", action: str = "action-publish", existing: int = 0
) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "subheadline": "",
            "standfirst": "The latest as it happens.",
            "status": status,
            "key_points": rich_text("<ul><li>Polls closed at 10pm</li></ul>"),
            "entries": inline_formset(entries, initial=existing),
            "story_authors": inline_formset([]),
            "related_links": inline_formset([]),
            "corrections": inline_formset([]),
            "tags": "elections",
            "reader_comments": "open",
            action: "publish",
        }
    )


def test_editor_creates_a_live_blog_that_appears_wherever_articles_do(
    editor_client, client, health, home_page
):
    reporter = AuthorFactory(name="Maria Lopez")
    data = live_blog_form("Election night", [entry("Polls close", "Counting begins.", reporter)])
    data["slug"] = "election-night"

    response = editor_client.post(f"/admin/pages/add/news/liveblogpage/{health.pk}/", data)

    assert response.status_code == 302, response.content[:3000]
    live_blog = LiveBlogPage.objects.get(slug="election-night")
    assert live_blog.live and [e.headline for e in live_blog.entries.all()] == ["Polls close"]
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


def test_adding_an_entry_and_publishing_shows_it_at_once(editor_client, client, health):
    data = live_blog_form("Storm watch", [entry("Winds rising", "Gusts of 90 km/h.")])
    data["slug"] = "storm-watch"
    editor_client.post(f"/admin/pages/add/news/liveblogpage/{health.pk}/", data)
    live_blog = LiveBlogPage.objects.get(slug="storm-watch")
    first = live_blog.entries.get()
    first_entry = {**entry("Winds rising", "Gusts of 90 km/h."), "id": first.pk, "posted_at": first.posted_at}

    edit = live_blog_form(
        "Storm watch", [first_entry, entry("Trees down", "Roads closed in the north.")], existing=1
    )
    edit["slug"] = "storm-watch"
    response = editor_client.post(f"/admin/pages/{live_blog.pk}/edit/", edit)

    assert response.status_code == 302, response.content[:3000]
    polled = client.get(f"{live_blog.url}entries/", {"after": first.pk}).json()
    assert [e["html"].count("Trees down") for e in polled["entries"]] == [1]
    assert live_blog.entries.get(pk=first.pk).posted_at == first.posted_at


def test_saving_a_draft_entry_does_not_show_it(editor_client, client, health):
    data = live_blog_form("Budget", [entry("Speech starts", "Here we go.")])
    data["slug"] = "budget"
    editor_client.post(f"/admin/pages/add/news/liveblogpage/{health.pk}/", data)
    live_blog = LiveBlogPage.objects.get(slug="budget")
    first = live_blog.entries.get()

    draft = live_blog_form(
        "Budget",
        [{**entry("Speech starts", "Here we go."), "id": first.pk}, entry("Leak", "Not yet.")],
        action="action-save",
    )
    draft["slug"] = "budget"
    del draft["action-save"]
    response = editor_client.post(f"/admin/pages/{live_blog.pk}/edit/", draft)

    assert response.status_code == 302
    assert "Not yet." not in client.get(live_blog.url).text
    assert client.get(f"{live_blog.url}entries/", {"after": 0}).json()["entries"][0]["id"] == first.pk
