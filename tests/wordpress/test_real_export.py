"""The WordPress theme accessibility test site (a real export) imported on a fresh site.

Reads ../shared/wxr/a11y-unit-test-data.xml; skipped with the reason when it is absent.
"""

import pytest
from django_comments_xtd.models import XtdComment

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from home.models import HomePage
from news.models import Author, CategoryIndexPage, NewsArticlePage
from pages.models import ContentPage

from .conftest import shared_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def a11y(run_import):
    path = shared_export("a11y-unit-test-data.xml")
    output = run_import(path)
    return path, output


def test_counts_match_the_export(a11y):
    assert CategoryIndexPage.objects.count() == 27
    assert NewsArticlePage.objects.count() == 47
    assert NewsArticlePage.objects.filter(live=True).count() == 45
    # Besides the privacy notice the migrations create.
    assert ContentPage.objects.exclude(slug="privacy", depth=3).count() == 17
    assert Author.objects.count() == 2
    # 29 comments: 4 pingbacks and 3 on an item without a post type are left out.
    assert XtdComment.objects.filter(is_public=True).count() == 22


def test_sample_story_matches_block_by_block(a11y):
    story = NewsArticlePage.objects.get(slug="block-quotes")

    blocks = [(b.block_type, b.value if b.block_type != "paragraph" else str(b.value)) for b in story.body]

    assert [kind for kind, _ in blocks] == [
        "paragraph", "quote", "paragraph", "quote", "paragraph", "quote", "paragraph", "paragraph", "quote",
        "paragraph", "quote",
    ]  # fmt: skip
    assert blocks[0][1] == "<p>The quote block has two styles,\xa0regular:</p>"
    assert blocks[1][1]["text"] == "Gutenberg is more than an editor."
    assert blocks[1][1]["attribution"] == "The Gutenberg Team"
    assert story.get_parent().slug == "block"


def test_threaded_comments_keep_their_threads(a11y):
    story = NewsArticlePage.objects.get(slug="template-comments")
    comments = XtdComment.objects.filter(object_pk=str(story.pk))

    assert comments.count() == 19
    assert max(comments.values_list("level", flat=True)) == 8
    assert comments.filter(level=0).count() == 10


def test_pages_keep_their_reverse_hierarchy(a11y, client):
    level_3 = ContentPage.objects.get(slug="level-3")

    assert level_3.url == "/level-1/level-2/level-3/"
    assert client.get(level_3.url).status_code == 200


def test_old_urls_redirect_to_the_new_pages(a11y, client):
    story = NewsArticlePage.objects.get(slug="template-sticky")

    response = client.get("/2012/01/07/template-sticky/")

    assert (response.status_code, response["Location"]) == (301, story.url)
    assert Redirect.objects.filter(redirect_page=story).count() == 2


@pytest.mark.parametrize("slug", ["scheduled", "template-password-protected"])
def test_unpublished_and_protected_posts_are_not_readable(a11y, client, slug):
    story = NewsArticlePage.objects.get(slug=slug)

    response = client.get(story.url_path.removeprefix("/home"))

    # A 404 for the scheduled post; the password form (200) for the protected one.
    assert response.status_code in (200, 404)
    assert "should not be visible until the password" not in response.content.decode()
    assert "It should not be displayed" not in response.content.decode()


def test_draft_without_slug_is_not_readable(a11y, client):
    draft = NewsArticlePage.objects.get(title="Draft")

    assert not draft.live
    assert client.get(draft.url_path.removeprefix("/home")).status_code == 404


def test_sticky_post_leads_the_front_page(a11y):
    assert HomePage.objects.get().picked_lead_story().slug == "template-sticky"


def test_second_import_changes_nothing(a11y, run_import):
    path, _ = a11y
    before = list(Page.objects.order_by("pk").values_list("pk", "path", "latest_revision_id"))
    comments = XtdComment.objects.count()

    output = run_import(path)

    assert list(Page.objects.order_by("pk").values_list("pk", "path", "latest_revision_id")) == before
    assert XtdComment.objects.count() == comments
    assert "post:        47 unchanged" in output
