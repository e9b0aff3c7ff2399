"""A writer starts a story from the Stories listing and finds the draft where they filed it."""

import re

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.html import strip_tags

from wagtail.models import GroupPagePermission

from desk.roles import WRITERS
from news.models import NewsArticlePage
from tests.browser.test_story_editor import log_in
from tests.factories import CategoryIndexPageFactory, NewsArticlePageFactory


@pytest.fixture
def writer(home_page):
    """The Writers role as its migration grants it; live-server tests flush what migrations made."""
    group, _ = Group.objects.get_or_create(name=WRITERS)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(access_admin)
    GroupPagePermission.objects.get_or_create(
        group=group,
        page=home_page,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page"),
    )
    user = get_user_model().objects.create_user("writer", "writer@example.org", "writer")
    user.groups.add(group)
    return user


def test_writer_adds_a_news_article_from_the_stories_listing(page, live_server, home_page, writer):
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    CategoryIndexPageFactory(parent=home_page, title="Science")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("writer")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Stories", exact=True).click()
    page.get_by_role("link", name="Add story").click()
    page.get_by_role("link", name="News article in Health").click()

    page.get_by_placeholder("Page title*").fill("Flu clinics open early")
    page.get_by_role("textbox", name="Standfirst").fill("Clinics open a month early this year.")
    page.locator("[data-contentpath=body] [title='Insert a block']").click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator("[data-contentpath=body] [role=textbox]").click()
    page.keyboard.type("Appointments can be booked from Monday.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    # "created", or "updated" when autosave created the page a moment before.
    expect(page.locator(".messages")).to_contain_text(
        re.compile(r"Page 'Flu clinics open early' (created|has been updated)")
    )
    story = NewsArticlePage.objects.child_of(health).get(title="Flu clinics open early")
    assert not story.live
    assert story.owner == writer
    draft = story.get_latest_revision().as_object()
    assert draft.standfirst == "Clinics open a month early this year."
    paragraphs = [strip_tags(block.value.source) for block in draft.body]
    assert paragraphs == ["Appointments can be booked from Monday."]


def test_a_stray_draft_with_the_same_headline_does_not_block_a_story(page, live_server, home_page, writer):
    """Autosave and "Save draft" both send the new story; it is saved once, beside the stray draft."""
    health = CategoryIndexPageFactory(parent=home_page, title="Health")
    stray = NewsArticlePageFactory(
        parent=health, title="Flu season", slug="flu-season", live=False, owner=writer
    )
    log_in(page, live_server, writer)

    page.goto(f"{live_server.url}/admin/pages/add/news/newsarticlepage/{health.pk}/")
    page.get_by_placeholder("Page title*").fill("Flu season")
    page.get_by_role("textbox", name="Standfirst").fill("Clinics open a month early.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".messages")).to_contain_text("Flu season")
    messages = page.locator(".messages").inner_text()
    assert "is already in use" not in messages
    assert "“Flu season” (a draft) already uses the address “flu-season” in Health" in messages
    assert page.get_by_role("link", name="Open it").get_attribute("href") == f"/admin/pages/{stray.pk}/edit/"
    assert "Autosave is paused" not in page.locator("body").inner_text()
    page.wait_for_timeout(1000)  # time for a late autosave of the creation form to arrive
    story = NewsArticlePage.objects.child_of(health).exclude(pk=stray.pk).get()
    assert story.slug == "flu-season-2"
    assert story.get_latest_revision().as_object().standfirst == "Clinics open a month early."
