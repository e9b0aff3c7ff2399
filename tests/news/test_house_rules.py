"""House rules before publishing: each refuses publication with its message; drafts are always saved."""

import pytest
import wagtail_factories

from wagtail.test.utils.form_data import rich_text, streamfield

from news.models import NewsArticlePage
from tests.admin_forms import story_form
from tests.factories import NewsArticlePageFactory

ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def image_block(image_id: int) -> tuple[str, dict]:
    return ("image", {"image": image_id, "alt_text": "", "caption": "", "credit": ""})


def citation(doi: str) -> tuple[str, dict]:
    return (
        "citation",
        {"authors": "Doe J", "title": "Paper", "journal": "", "year": "", "pages": "", "doi": doi},
    )


PARAGRAPH = ("paragraph", rich_text("<p>Text.</p>"))

BROKEN = {
    "image without alt text": (
        lambda image: {"body": streamfield([PARAGRAPH, image_block(image.pk)])},
        "alt text is needed to publish",
    ),
    "no standfirst": (lambda image: {"standfirst": ""}, "Write a standfirst"),
    "headline over 110 characters": (
        lambda image: {"title": "H" * 111},
        "Headlines are at most 110 characters to publish; this one has 111.",
    ),
    "body without a paragraph": (
        lambda image: {
            "body": streamfield([("heading", {"text": "Only a heading", "level": "h2", "anchor": ""})])
        },
        "The body needs at least one paragraph",
    ),
    "citation DOI that is not a DOI": (
        lambda image: {"body": streamfield([PARAGRAPH, citation("doi:nope")])},
        "Not a DOI.",
    ),
}


@pytest.fixture
def image(db):
    return wagtail_factories.ImageFactory()


@pytest.mark.parametrize("rule", BROKEN)
def test_publishing_a_story_that_breaks_a_house_rule_is_refused_with_its_message(
    admin_client, health, image, rule
):
    fields, message = BROKEN[rule]
    response = admin_client.post(ADD_ARTICLE.format(health.pk), story_form("action-publish", **fields(image)))

    assert response.status_code == 200
    assert message in response.text
    assert not NewsArticlePage.objects.filter(slug="written-in-the-admin").exists()


@pytest.mark.parametrize("rule", BROKEN)
def test_saving_a_draft_that_breaks_a_house_rule_is_allowed(admin_client, health, image, rule):
    fields, _ = BROKEN[rule]
    response = admin_client.post(ADD_ARTICLE.format(health.pk), story_form(None, **fields(image)))

    assert response.status_code == 302
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert not story.live


def test_bulk_publishing_a_story_that_breaks_a_rule_is_refused(admin_client, health):
    story = NewsArticlePageFactory(parent=health, title="No standfirst", standfirst="", live=False)
    story.save_revision()

    response = admin_client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={story.pk}&next=/admin/",
        {"include_descendants": ""},
        follow=True,
    )

    assert "do not meet the house rules" in response.text
    assert not NewsArticlePage.objects.get(pk=story.pk).live


def test_approving_from_the_dashboard_a_story_that_breaks_a_rule_is_refused(
    client, django_user_model, health
):
    from django.contrib.auth.models import Group

    from desk.roles import EDITORS

    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    editor.groups.add(Group.objects.get(name=EDITORS))
    story = NewsArticlePageFactory(parent=health, title="Checked at submission", live=False)
    revision = story.save_revision(user=editor)
    story.get_workflow().start(story, editor)
    # Edited into breaking a rule after submission, saved as a draft.
    story.standfirst = ""
    story.save_revision(user=editor)
    task_state = story.current_workflow_state.current_task_state
    client.force_login(editor)

    response = client.post(
        f"/admin/pages/workflow/action/{story.pk}/approve/{task_state.pk}/", {"comment": ""}
    )

    # Wagtail's admin answers a refused action with a redirect and its permission message.
    assert response.status_code == 302
    assert not NewsArticlePage.objects.get(pk=story.pk).live
    assert story.current_workflow_state.status == "in_progress"
    assert revision.pk
