"""`make run`'s generated views: "Most read" shows on the demo site."""

from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from readership.models import HourlyViews
from tests.factories import NewsArticlePageFactory
from tests.readership.test_most_read import most_read_titles


@pytest.mark.django_db
def test_demo_views_fill_most_read_once(client, settings, health):
    settings.DEBUG = True
    for n in range(6):
        NewsArticlePageFactory(parent=health, title=f"Demo story {n}")
    draft = NewsArticlePageFactory(parent=health, title="Unpublished demo", live=False)

    call_command("generate_demo_views", "--if-none", stdout=StringIO())
    stored = HourlyViews.objects.count()
    call_command("generate_demo_views", "--if-none", stdout=StringIO())

    assert HourlyViews.objects.count() == stored > 0
    assert not HourlyViews.objects.filter(story=draft).exists()
    assert len(most_read_titles(client.get("/").content.decode())) == 5


@pytest.mark.django_db
def test_demo_views_are_refused_in_production(settings, health):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_demo_views")
    assert not HourlyViews.objects.exists()
