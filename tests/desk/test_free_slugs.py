"""A stray draft with the same headline does not block a new story: the new one gets a free address."""

import threading
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from desk.new_page_saves import CREATING
from news.models import NewsArticlePage
from tests.admin_forms import story_form
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def draft(title: str = "Flu season", **fields) -> dict:
    return story_form(None, title=title, slug="flu-season", **fields)


def abandon(page) -> None:
    """Left alone for an hour, as a stray draft is."""
    NewsArticlePage.objects.filter(pk=page.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(hours=1)
    )


def autosave(client, url: str, form: dict) -> dict:
    """A save as the editor's autosave sends it, asking for JSON."""
    return client.post(url, form, HTTP_ACCEPT="application/json").json()


def test_second_story_with_a_taken_slug_is_saved_with_the_next_free_one(writer_client, health):
    assert writer_client.post(ADD_ARTICLE.format(health.pk), draft()).status_code == 302
    first = NewsArticlePage.objects.get(slug="flu-season")
    abandon(first)

    response = writer_client.post(ADD_ARTICLE.format(health.pk), draft(), follow=True)

    assert response.status_code == 200
    second = NewsArticlePage.objects.child_of(health).exclude(pk=first.pk).get(title="Flu season")
    assert second.slug == "flu-season-2"
    assert "already uses the address “flu-season” in Health, so this one is “flu-season-2”" in response.text
    assert "“Flu season” (a draft)" in response.text
    assert f'href="/admin/pages/{first.pk}/edit/"' in response.text
    assert "is already in use" not in response.text


def test_third_gets_the_next_number_and_a_published_namesake_is_named_as_such(editor_client, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season")
    NewsArticlePageFactory(parent=health, title="Flu season again", slug="flu-season-2", live=False)

    response = editor_client.post(ADD_ARTICLE.format(health.pk), draft(), follow=True)

    assert NewsArticlePage.objects.filter(slug="flu-season-3").exists()
    assert "“Flu season” (published)" in response.text


def test_the_same_slug_in_another_section_is_left_alone(editor_client, health, home_page):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    NewsArticlePageFactory(parent=science, title="Flu season", slug="flu-season")

    response = editor_client.post(ADD_ARTICLE.format(health.pk), draft(), follow=True)

    assert NewsArticlePage.objects.child_of(health).get().slug == "flu-season"
    assert "already uses the address" not in response.text


def test_autosave_of_a_new_story_takes_the_free_slug_instead_of_pausing(writer_client, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", live=False)

    response = autosave(writer_client, ADD_ARTICLE.format(health.pk), draft())

    assert response["success"] is True
    assert NewsArticlePage.objects.get(pk=response["pk"]).slug == "flu-season-2"


def test_later_saves_keep_the_free_slug_while_the_form_still_sends_the_taken_one(writer_client, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", live=False)
    created = autosave(writer_client, ADD_ARTICLE.format(health.pk), draft())
    edit_url = f"/admin/pages/{created['pk']}/edit/"

    # The open editor was not told of the new slug: its next autosave and its "Save draft".
    autosaved = autosave(writer_client, edit_url, draft(standfirst="Autosaved."))
    saved = writer_client.post(edit_url, draft(standfirst="Saved."), follow=True)

    assert autosaved["success"] is True
    assert "is already in use" not in saved.text
    story = NewsArticlePage.objects.get(pk=created["pk"])
    latest = story.get_latest_revision().as_object()
    assert (story.slug, latest.slug, latest.standfirst) == ("flu-season-2", "flu-season-2", "Saved.")


def test_the_editor_may_still_choose_another_free_slug(writer_client, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", live=False)
    created = autosave(writer_client, ADD_ARTICLE.format(health.pk), draft())

    writer_client.post(f"/admin/pages/{created['pk']}/edit/", story_form(None, slug="flu-clinics"))

    latest = NewsArticlePage.objects.get(pk=created["pk"]).get_latest_revision().as_object()
    assert latest.slug == "flu-clinics"


def test_renaming_an_older_page_onto_a_taken_slug_is_still_refused(editor_client, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season")
    other = NewsArticlePageFactory(parent=health, title="Colds", slug="colds")

    response = editor_client.post(f"/admin/pages/{other.pk}/edit/", draft())

    assert response.status_code == 200
    assert "The slug &#x27;flu-season&#x27; is already in use within the parent page." in response.text
    assert other.get_latest_revision() is None or other.get_latest_revision().as_object().slug == "colds"


def test_a_long_taken_slug_gets_a_free_one_that_fits(editor_client, health):
    long_slug = "a" * 255
    NewsArticlePageFactory(parent=health, title="Long", slug=long_slug, live=False)

    form = story_form(None, title="Long", slug=long_slug)
    response = editor_client.post(ADD_ARTICLE.format(health.pk), form)

    assert response.status_code == 302
    assert NewsArticlePage.objects.filter(slug="a" * 253 + "-2").exists()


FORM_ID = "5f0c6a2e-9d1b-4c3e-8a7f-2b6d1e0c9a84"  # as desk/js/new-page-form-id.js adds to the form


def test_autosave_racing_save_draft_does_not_make_a_second_story(writer_client, writer, health):
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", live=False, owner=writer)
    url = ADD_ARTICLE.format(health.pk)
    saved = writer_client.post(url, draft(desk_form_id=FORM_ID))  # "Save draft": flu-season-2
    story = NewsArticlePage.objects.get(slug="flu-season-2")
    assert saved.status_code == 302

    # The same form's autosave, sent just after "Save draft" with what the form held before it.
    late = writer_client.post(
        url, draft(desk_form_id=FORM_ID, standfirst="Older words."), HTTP_ACCEPT="application/json"
    )

    assert (late.status_code, late.json()["success"]) == (400, False)
    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == ["flu-season", "flu-season-2"]
    assert story.get_latest_revision().as_object().standfirst == "A standfirst."


def test_save_draft_racing_the_first_autosave_is_saved_on_the_story_autosave_made(writer_client, health):
    url = ADD_ARTICLE.format(health.pk)
    created = autosave(writer_client, url, draft(desk_form_id=FORM_ID))
    assert created["success"] is True

    # "Save draft", sent to the create form before autosave's answer moved the form to the edit view.
    response = writer_client.post(url, draft(desk_form_id=FORM_ID, standfirst="Saved."), follow=True)

    assert response.redirect_chain[0] == (f"/admin/pages/{created['pk']}/edit/", 307)
    assert "is already in use" not in response.text
    story = NewsArticlePage.objects.get()
    assert (story.pk, story.slug) == (created["pk"], "flu-season")
    assert story.get_latest_revision().as_object().standfirst == "Saved."


def test_a_new_form_with_the_same_headline_is_a_new_story(writer_client, health):
    """Another form (another id) is another story, even a moment later: it gets the next address."""
    url = ADD_ARTICLE.format(health.pk)
    writer_client.post(url, draft(desk_form_id=FORM_ID))

    writer_client.post(url, draft(desk_form_id=FORM_ID.replace("5f0c", "7a1d")))

    assert sorted(NewsArticlePage.objects.values_list("slug", flat=True)) == ["flu-season", "flu-season-2"]


def test_a_form_whose_first_save_was_refused_saves_normally_the_next_time(writer_client, health):
    url = ADD_ARTICLE.format(health.pk)
    refused = writer_client.post(url, draft(desk_form_id=FORM_ID, title=""))
    assert refused.status_code == 200 and not NewsArticlePage.objects.exists()

    assert writer_client.post(url, draft(desk_form_id=FORM_ID)).status_code == 302
    assert NewsArticlePage.objects.get().slug == "flu-season"


def test_a_malformed_form_id_is_ignored(writer_client, health):
    url = ADD_ARTICLE.format(health.pk)
    for _ in range(2):
        assert writer_client.post(url, draft(desk_form_id="../x")).status_code == 302

    assert NewsArticlePage.objects.count() == 2


def test_a_save_sent_while_the_first_is_running_waits_for_it_and_goes_to_its_story(
    writer_client, writer, health
):
    story = NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", owner=writer)
    key = f"desk:new-page-form:{writer.pk}:{FORM_ID}"
    cache.set(key, CREATING)  # the first save of the form is still running
    first_save_ends = threading.Timer(0.3, cache.set, args=(key, story.pk))
    first_save_ends.start()
    try:
        response = writer_client.post(ADD_ARTICLE.format(health.pk), draft(desk_form_id=FORM_ID))
    finally:
        first_save_ends.join()

    assert (response.status_code, response["Location"]) == (307, f"/admin/pages/{story.pk}/edit/")
    assert NewsArticlePage.objects.count() == 1


def test_a_save_sent_before_the_address_was_filled_in_takes_it_from_the_headline(writer_client, health):
    """The editor fills the slug from the headline as it is typed; a quick save may come first."""
    NewsArticlePageFactory(parent=health, title="Flu season", slug="flu-season", live=False)

    response = writer_client.post(
        ADD_ARTICLE.format(health.pk), story_form(None, slug="", title="Flu Season!"), follow=True
    )

    assert response.status_code == 200
    assert "This field is required" not in response.text
    assert NewsArticlePage.objects.filter(slug="flu-season-2", title="Flu Season!").exists()
