"""Corrections and updates: on the story, in its JSON-LD, in feeds and on the corrections page."""

from datetime import timedelta

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset

from news.models import CorrectionKind, NewsArticlePage, StoryCorrection
from tests.admin_forms import story_form
from tests.factories import NewsArticlePageFactory
from tests.news.helpers import json_ld_of_type, parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def test_correction_shows_on_the_story_in_json_ld_and_on_the_corrections_page(client, health):
    story = NewsArticlePageFactory(parent=health, title="Trial results")
    corrected = timezone.now() - timedelta(days=1)
    StoryCorrection.objects.create(page=story, date=corrected, text="The trial had 36 patients, not 63.")
    StoryCorrection.objects.create(
        page=story, kind=CorrectionKind.UPDATE, text="The regulator has responded."
    )

    html = client.get(story.url).text
    notes = html[html.index('id="corrections"') :]
    assert notes.index("The regulator has responded.") < notes.index("The trial had 36 patients, not 63.")
    assert '<strong class="correction__kind">Update</strong>' in html
    assert f'Updated <time datetime="{timezone.localdate():%Y-%m-%d}' in html
    data = json_ld_of_type(html, "NewsArticle")
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The trial had 36 patients, not 63.",
            "datePublished": corrected.isoformat(),
        }
    ]
    assert data["dateModified"] > story.first_published_at.isoformat()

    page = client.get("/corrections/").text
    assert "The trial had 36 patients, not 63." in page
    assert f'href="{story.url}#corrections"' in page
    assert "The regulator has responded." not in page  # updates are not corrections


def test_corrections_page_lists_newest_first_and_only_published_stories(client, health):
    older = NewsArticlePageFactory(parent=health, title="Older")
    newer = NewsArticlePageFactory(parent=health, title="Newer")
    draft = NewsArticlePageFactory(parent=health, title="Draft", live=False)
    StoryCorrection.objects.create(page=older, date=timezone.now() - timedelta(days=3), text="First fix.")
    StoryCorrection.objects.create(page=newer, date=timezone.now() - timedelta(days=1), text="Second fix.")
    StoryCorrection.objects.create(page=draft, text="Unpublished fix.")

    page = client.get("/corrections/").text

    assert page.index("Second fix.") < page.index("First fix.")
    assert "Unpublished fix." not in page
    assert client.get("/corrections/?page=9").status_code == 404


def test_feed_updated_time_follows_the_newest_note(client, article):
    note = StoryCorrection.objects.create(page=article, text="Figures revised.")
    NewsArticlePage.objects.filter(pk=article.pk).update(last_published_at=note.date - timedelta(days=2))

    feed = parse_xml(client.get("/feed/atom/").content)
    updated = feed.find(f"{ATOM}entry/{ATOM}updated").text

    assert updated.startswith(note.date.strftime("%Y-%m-%dT%H:%M"))


def test_correction_dated_in_the_future_is_refused_and_nothing_changes(admin_client, article):
    future = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    data = story_form(
        "action-publish",
        title=article.title,
        slug=article.slug,
        corrections=_one_correction(future),
    )

    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", data)

    assert response.status_code == 200
    assert "A correction or update cannot be dated in the future." in response.text
    assert not StoryCorrection.objects.exists()


def _one_correction(date: str):
    return inline_formset([{"kind": "correction", "date": date, "text": "Fixed."}])
