"""The desk in the admin: tabs, the stories listing with its filters, dashboard panels, local accounts."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from news.models import StoryAuthor
from tests.factories import AuthorFactory, CategoryIndexPageFactory, NewsArticlePageFactory


def test_story_editor_has_tabs_with_help_texts(editor_client, article):
    html = editor_client.get(f"/admin/pages/{article.pk}/edit/").text
    for tab in ("Content", "Tags and related", "Corrections", "Promote", "Settings"):
        assert tab in html
    assert "At most 110 characters" in html


def test_stories_listing_filters_by_section_status_and_author(editor_client, home_page, health):
    science = CategoryIndexPageFactory(parent=home_page, title="Science")
    maria = AuthorFactory(name="Maria Lopez")
    by_maria = NewsArticlePageFactory(parent=health, title="Health by Maria")
    StoryAuthor.objects.create(page=by_maria, author=maria)
    NewsArticlePageFactory(parent=science, title="Science live")
    NewsArticlePageFactory(parent=science, title="Science draft", live=False)

    def titles(**params) -> set[str]:
        html = editor_client.get("/admin/stories/", params).text
        return {t for t in ("Health by Maria", "Science live", "Science draft") if t in html}

    assert titles() == {"Health by Maria", "Science live", "Science draft"}
    assert titles(section=science.pk) == {"Science live", "Science draft"}
    assert titles(status="draft") == {"Science draft"}
    assert titles(author=maria.pk) == {"Health by Maria"}


def test_dashboard_shows_the_users_drafts(client, writer, health):
    draft = NewsArticlePageFactory(parent=health, title="Half written", live=False, owner=writer)
    draft.save_revision(user=writer)
    client.force_login(writer)
    html = client.get("/admin/").text
    assert "Your drafts" in html and "Half written" in html


@override_settings(DEBUG=True)
def test_local_accounts_for_each_role(db):
    call_command("ensure_role_accounts", stdout=None)
    users = {user.username: [g.name for g in user.groups.all()] for user in get_user_model().objects.all()}
    assert users["writer"] == ["Writers"]
    assert users["news-editor"] == ["Editors"]
    assert users["moderator"] == ["Reader comment moderators"]


def test_local_accounts_refused_outside_development(db):
    with pytest.raises(CommandError):
        call_command("ensure_role_accounts")
    assert not get_user_model().objects.exists()
