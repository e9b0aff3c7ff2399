"""The live desk: editors post, edit, pin and delete entries; readers' polling sees every change."""

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import Revision

from news.models import LiveBlogEntry
from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory
from tests.livedesk.helpers import changes, desk, entry_form, entry_url


def test_the_desk_shows_the_post_box_on_top_of_the_entries_newest_first(editor_client, live_blog):
    LiveBlogEntryFactory(page=live_blog, headline="Power cut in the north")

    html = editor_client.get(desk(live_blog)).text

    assert html.index("Post an entry") < html.index("Power cut in the north") < html.index("Winds pick up")
    assert 'data-controller="w-draftail"' in html or "draftail" in html.lower()
    assert "Entries, newest first (2)" in html


def test_posting_stores_a_row_with_its_revision_and_no_page_revision(editor_client, editor, live_blog):
    page_revisions = live_blog.revisions.count()

    response = editor_client.post(
        desk(live_blog), entry_form("<p>Trees <b>down</b> on the A1.</p>", headline="Roads closed")
    )

    assert response.status_code == 302
    entry = live_blog.entries.get(headline="Roads closed")
    assert entry.posted_by == editor and "<b>down</b>" in entry.body
    assert Revision.objects.for_instance(entry).get().user == editor
    assert live_blog.revisions.count() == page_revisions
    assert "Roads closed" in editor_client.get(response.url).text


def test_a_posted_entry_reaches_readers_through_polling_and_the_page(client, editor, live_blog):
    cursor = live_blog.latest_change()
    client.force_login(editor)
    client.post(desk(live_blog), entry_form("<p>Trees down.</p>", headline="Roads closed"))
    client.logout()

    data = changes(client, live_blog, cursor)

    assert [("Roads closed" in entry["html"]) for entry in data["entries"]] == [True]
    assert data["deleted"] == [] and data["latest"] > cursor
    assert "Roads closed" in client.get(live_blog.url).text


def test_an_edit_reaches_open_pages_and_keeps_its_history(client, editor, live_blog):
    entry = live_blog.entries.get()
    cursor = live_blog.latest_change()
    client.force_login(editor)

    response = client.post(entry_url(live_blog, entry, "edit"), entry_form("<p>Gusts of 120 km/h.</p>"))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.edited_at is not None and entry.headline == ""
    assert Revision.objects.for_instance(entry).count() == 2
    history = client.get(entry_url(live_blog, entry, "edit")).text
    assert history.count("eddie") >= 1 and "History" in history
    client.logout()
    data = changes(client, live_blog, cursor)
    assert [item["id"] for item in data["entries"]] == [entry.pk]
    assert "120 km/h" in data["entries"][0]["html"] and "updated" in data["entries"][0]["html"]


def test_a_deletion_reaches_open_pages_as_a_deleted_id(client, editor_client, live_blog):
    entry = live_blog.entries.get()
    cursor = live_blog.latest_change()

    assert editor_client.post(entry_url(live_blog, entry, "delete")).status_code == 302

    entry.refresh_from_db()
    assert entry.deleted_at is not None
    data = changes(client, live_blog, cursor)
    assert data["deleted"] == [entry.pk] and data["entries"] == []
    assert "Winds pick up" not in client.get(live_blog.url).text
    assert "Winds pick up" not in editor_client.get(desk(live_blog)).text
    # The API leaves it out too.
    api = client.get("/api/v2/pages/", {"type": "news.LiveBlogPage", "fields": "entries"}).json()
    assert api["items"][0]["entries"] == []


def test_a_pinned_entry_shows_on_top_and_polling_says_so(client, editor_client, live_blog):
    pinned = live_blog.entries.get()
    LiveBlogEntryFactory(page=live_blog, headline="Newer update")
    cursor = live_blog.latest_change()

    editor_client.post(entry_url(live_blog, pinned, "pin"), {"pinned": "1"})

    html = client.get(live_blog.url).text.split("<main", 1)[1]
    assert html.index("Winds pick up") < html.index("Newer update")
    assert f'live-blog__entry live-blog__entry--pinned" id="entry-{pinned.pk}"' in html
    data = changes(client, live_blog, cursor)
    assert [(entry["id"], entry["pinned"]) for entry in data["entries"]] == [(pinned.pk, True)]

    editor_client.post(entry_url(live_blog, pinned, "pin"), {"pinned": "0"})
    html = client.get(live_blog.url).text.split("<main", 1)[1]
    assert html.index("Newer update") < html.index("Winds pick up")


def test_each_change_purges_the_live_blog_and_its_polling_answers(purged, editor_client, live_blog):
    entry = live_blog.entries.get()
    expected = {"http://localhost/health/storm-live/", "http://localhost/health/storm-live/entries/"}
    for action, data in (("edit", entry_form("<p>x</p>")), ("pin", {"pinned": "1"}), ("delete", {})):
        with purged() as urls:
            editor_client.post(entry_url(live_blog, entry, action), data)
        assert expected <= urls, action
    with purged() as urls:
        editor_client.post(desk(live_blog), entry_form("<p>New</p>"))
    assert expected <= urls


# Who may post


def test_a_writer_may_not_post_unless_the_blog_allows_writers(writer_client, live_blog):
    assert writer_client.get(desk(live_blog)).status_code == 403
    assert writer_client.post(desk(live_blog), entry_form("<p>Mine</p>")).status_code == 403
    assert not live_blog.entries.filter(body__contains="Mine").exists()

    live_blog.writers_may_post = True
    live_blog.save_revision().publish()

    assert writer_client.post(desk(live_blog), entry_form("<p>Mine</p>")).status_code == 302
    assert live_blog.entries.filter(body__contains="Mine").exists()


def test_a_writer_may_neither_pin_nor_change_an_editors_entry(writer_client, live_blog):
    live_blog.writers_may_post = True
    live_blog.save_revision().publish()
    entry = live_blog.entries.get()

    assert writer_client.post(entry_url(live_blog, entry, "pin"), {"pinned": "1"}).status_code == 403
    assert writer_client.post(entry_url(live_blog, entry, "delete")).status_code == 403
    assert writer_client.post(entry_url(live_blog, entry, "edit"), entry_form("<p>x</p>")).status_code == 403
    entry.refresh_from_db()
    assert not entry.pinned and entry.deleted_at is None and "Gusts" in entry.body


def test_someone_without_page_rights_is_refused(client, django_user_model, live_blog):
    moderator = django_user_model.objects.create_user("mo", password="pw")
    moderator.groups.add(Group.objects.get(name="Reader comment moderators"))
    client.force_login(moderator)

    assert client.post(desk(live_blog), entry_form("<p>Nope</p>")).status_code == 403
    assert not live_blog.entries.filter(body__contains="Nope").exists()


def test_anonymous_visitors_are_sent_to_the_login(client, live_blog):
    response = client.post(desk(live_blog), entry_form("<p>Nope</p>"))

    assert response.status_code == 302 and "/admin/login/" in response.url
    assert live_blog.entries.count() == 1


# Bad input


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (entry_form(""), "Write the entry, or add an image or an embed."),
        (entry_form("<p></p>", headline="Only a headline"), "Write the entry, or add an image or an embed."),
        (entry_form("<p>" + "word " * 5000 + "</p>"), "This entry is too long"),
        (entry_form("<p>x</p>", headline="h" * 300), "Ensure this value has at most 255 characters"),
        (entry_form("<p>x</p>", embed_url="not a url"), "Enter a valid URL."),
        (
            entry_form("<p>x</p>", embed_url="https://example.org/page"),
            "No embed provider knows this address",
        ),
        (entry_form("<p>x</p>", image="999999"), "Select a valid choice."),
        (entry_form("<p>x</p>", headline="nul \x00 byte"), "Null characters are not allowed."),
    ],
)
def test_a_bad_entry_is_refused_with_a_message_and_nothing_stored(editor_client, live_blog, form, message):
    response = editor_client.post(desk(live_blog), form)

    assert response.status_code == 400
    assert message in response.text
    assert live_blog.entries.count() == 1


def test_a_bad_edit_changes_nothing(editor_client, live_blog):
    entry = live_blog.entries.get()

    response = editor_client.post(entry_url(live_blog, entry, "edit"), entry_form("<p></p>"))

    assert response.status_code == 400 and "Write the entry" in response.text
    entry.refresh_from_db()
    assert "Gusts" in entry.body and Revision.objects.for_instance(entry).count() == 1


def test_a_desk_for_what_is_not_a_live_blog_is_a_404(editor_client, article):
    assert editor_client.get(desk(article)).status_code == 404
    assert editor_client.get("/admin/live-desk/999999/").status_code == 404


def test_an_entry_of_another_live_blog_is_a_404(editor_client, health, live_blog):
    other = LiveBlogPageFactory(parent=health, title="Other live")
    entry = live_blog.entries.get()

    for action in ("edit", "delete", "pin"):
        assert editor_client.post(entry_url(other, entry, action), {"pinned": "1"}).status_code == 404
    entry.refresh_from_db()
    assert entry.deleted_at is None and not entry.pinned


def test_a_deleted_entry_cannot_be_edited_or_pinned(editor_client, live_blog):
    entry = live_blog.entries.get()
    editor_client.post(entry_url(live_blog, entry, "delete"))

    assert editor_client.post(entry_url(live_blog, entry, "pin"), {"pinned": "1"}).status_code == 404
    assert editor_client.get(entry_url(live_blog, entry, "edit")).status_code == 404


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_pin_without_a_clear_value_is_a_400(editor_client, live_blog, value):
    entry = live_blog.entries.get()

    assert editor_client.post(entry_url(live_blog, entry, "pin"), {"pinned": value}).status_code == 400
    entry.refresh_from_db()
    assert not entry.pinned


def test_deleting_or_pinning_by_get_is_refused(editor_client, live_blog):
    entry = live_blog.entries.get()

    assert editor_client.get(entry_url(live_blog, entry, "delete")).status_code == 405
    assert editor_client.get(entry_url(live_blog, entry, "pin")).status_code == 405
    entry.refresh_from_db()
    assert entry.deleted_at is None


def test_a_post_without_the_csrf_token_is_refused(client, editor, live_blog):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    entry = live_blog.entries.get()

    assert csrf_client.post(desk(live_blog), entry_form("<p>Forged</p>")).status_code == 403
    assert csrf_client.post(entry_url(live_blog, entry, "delete")).status_code == 403
    assert live_blog.entries.filter(deleted_at=None).count() == 1


# Cost


def test_the_desk_costs_the_same_with_5_or_60_entries(editor_client, health, django_assert_max_num_queries):
    small = LiveBlogPageFactory(parent=health, title="Small")
    large = LiveBlogPageFactory(parent=health, title="Large")
    for _ in range(5):
        LiveBlogEntryFactory(page=small)
    for _ in range(60):
        LiveBlogEntryFactory(page=large)
    editor_client.get(desk(small))

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(desk(page)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(30):
        editor_client.get(desk(large))


def test_polling_costs_the_same_however_many_entries_changed(client, health, django_assert_max_num_queries):
    blog = LiveBlogPageFactory(parent=health, title="Busy")
    for _ in range(40):
        LiveBlogEntryFactory(page=blog)
    client.get(f"{blog.url}entries/", {"after": 0})

    with django_assert_max_num_queries(12):
        data = changes(client, blog, 0)
    assert data["reload"] is True and len(data["entries"]) == 20


def test_no_entries_on_the_page_form_any_more(editor_client, live_blog):
    html = editor_client.get(f"/admin/pages/{live_blog.pk}/edit/").text

    assert "Winds pick up" not in html
    assert "Writers may post entries" in html and "Live desk" in html
    assert LiveBlogEntry.objects.count() == 1
