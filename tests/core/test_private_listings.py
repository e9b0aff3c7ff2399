"""Listings leave out private pages at a cost that does not grow with how many there are."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from news.models import StoryPage
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory

pytestmark = pytest.mark.django_db


def restrict(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def test_private_stories_and_sections_cost_one_condition_per_depth_not_one_per_page(home_page, health):
    private_stories = [NewsArticlePageFactory(parent=health, title=f"Private story {n}") for n in range(30)]
    for story in private_stories:
        restrict(story)
    members = CategoryIndexPageFactory(parent=home_page, title="Members")
    restrict(members)
    NewsArticlePageFactory(parent=members, title="In a private section")
    NewsArticlePageFactory(parent=health, title="Public story")

    with CaptureQueriesContext(connection) as captured:
        listed = [story.title for story in StoryPage.objects.listed()]

    assert listed == ["Public story"]
    sql = captured.captured_queries[-1]["sql"].upper()
    # Restricted pages at two depths (stories, a section): two conditions, no LIKE each.
    assert sql.count("SUBSTR") == 2, sql
    assert "LIKE" not in sql
