"""Stories › Add story leads every role that may write to a story type's create form."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import GroupPagePermission

from desk.roles import READER_COMMENT_MODERATORS
from tests.desk.conftest import member_of
from tests.factories import CategoryIndexPageFactory

STORIES = "/admin/stories/"
ADD_STORY = "/admin/stories/choose_parent/"


def add_links(html: str) -> set[str]:
    """The create forms the page's buttons lead to, as "app/model/parent id"."""
    return set(re.findall(r'href="/admin/pages/add/(\w+/\w+/\d+)/"', html))


def story_forms(*sections) -> set[str]:
    return {
        f"news/{model}/{section.pk}" for section in sections for model in ("newsarticlepage", "liveblogpage")
    }


@pytest.fixture
def science(home_page):
    return CategoryIndexPageFactory(parent=home_page, title="Science")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")


def test_stories_listing_offers_add_story(writer_client):
    html = writer_client.get(STORIES).text
    assert f'href="{ADD_STORY}"' in html
    assert "Add story" in html


def test_writer_is_offered_both_story_types_in_every_section(writer_client, health, science):
    response = writer_client.get(ADD_STORY)
    assert response.status_code == 200
    assert add_links(response.text) == story_forms(health, science)
    assert "News article in Health" in response.text
    assert "Live blog in Science" in response.text


@pytest.mark.parametrize("model", ["newsarticlepage", "liveblogpage"])
def test_each_button_opens_a_create_form_the_writer_may_use(writer_client, health, model):
    response = writer_client.get(f"/admin/pages/add/news/{model}/{health.pk}/")
    assert response.status_code == 200
    assert "You cannot create a page of type" not in response.text


def test_nested_sections_are_named_with_their_trail(writer_client, health):
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    html = writer_client.get(ADD_STORY).text
    assert "Health › Oncology" in html
    assert story_forms(oncology) <= add_links(html)


def test_editor_and_superuser_are_offered_every_section(client, editor, superuser, health, science):
    for user in (editor, superuser):
        client.force_login(user)
        assert add_links(client.get(ADD_STORY).text) == story_forms(health, science)


def test_a_writer_limited_to_one_section_is_offered_only_that_one(client, health, science):
    health_desk = Group.objects.create(name="Health desk")
    health_desk.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=health_desk, page=health, permission=Permission.objects.get(codename="add_page")
    )
    user = member_of("Health desk", "hannah")
    client.force_login(user)
    assert add_links(client.get(ADD_STORY).text) == story_forms(health)


def test_moderator_is_refused_and_offered_no_button(client, health):
    client.force_login(member_of(READER_COMMENT_MODERATORS, "mo"))
    response = client.get(ADD_STORY, follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert "Sorry, you do not have permission to access this area." in response.text
    assert f'href="{ADD_STORY}"' not in client.get(STORIES).text


def test_without_any_section_the_page_says_so(writer_client, home_page):
    response = writer_client.get(ADD_STORY)
    assert response.status_code == 200
    assert add_links(response.text) == set()
    assert "no section you may add a story to" in response.text


def test_queries_do_not_grow_with_the_number_of_sections(writer_client, home_page):
    def queries() -> int:
        writer_client.get(ADD_STORY)  # what the new sections made stale, looked up again
        with CaptureQueriesContext(connection) as captured:
            assert writer_client.get(ADD_STORY).status_code == 200
        return len(captured)

    parents = [CategoryIndexPageFactory(parent=home_page) for _ in range(2)]
    for parent in parents:
        CategoryIndexPageFactory(parent=parent)
    few = queries()
    for parent in parents:
        for _ in range(5):
            CategoryIndexPageFactory(parent=parent)
    assert queries() == few
