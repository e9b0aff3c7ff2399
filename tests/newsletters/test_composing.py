"""The daily briefing composes itself from the day's top stories and goes out unless held."""

from datetime import datetime, time, timedelta

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsletters.composing import compose_due
from newsletters.models import Issue, IssueStatus
from tests.factories import (
    CategoryIndexPageFactory,
    NewsArticlePageFactory,
    NewsletterFactory,
    SubscriptionFactory,
)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def story_titles(issue: Issue) -> list[str]:
    return [item.page.title for item in issue.stories.order_by("sort_order").select_related("page")]


@pytest.fixture
def stories(health):
    old = NewsArticlePageFactory(parent=health, title="Old news")
    old.first_published_at = timezone.now() - timedelta(days=3)
    old.save()
    return [NewsArticlePageFactory(parent=health, title=f"Story {n}") for n in range(3)]


def test_nothing_is_composed_before_the_compose_time(daily, stories):
    assert compose_due(at(5, 59)) == []
    assert not Issue.objects.exists()


def test_the_briefing_composes_itself_once_with_the_days_stories(daily, stories):
    (issue,) = compose_due(at(6, 1))
    assert compose_due(at(6, 2)) == []
    assert issue.newsletter == daily
    assert issue.status == IssueStatus.SCHEDULED
    assert issue.send_at == at(7)
    assert sorted(story_titles(issue)) == ["Story 0", "Story 1", "Story 2"]


def test_the_editors_pick_comes_first(daily, stories, home_page):
    home_page.make_lead_story(stories[0])
    home_page.save()
    (issue,) = compose_due(at(6, 1))
    assert story_titles(issue)[0] == "Story 0"


def test_the_ranking_is_pluggable(daily, stories, settings):
    settings.NEWSLETTERS_RANKING = "tests.newsletters.rankings.alphabetical_last_two"
    (issue,) = compose_due(at(6, 1))
    assert story_titles(issue) == ["Story 2", "Story 1"]


def test_private_and_draft_stories_are_left_out(daily, health, home_page):
    NewsArticlePageFactory(parent=health, title="Public story")
    draft = NewsArticlePageFactory(parent=health, title="Draft story")
    draft.unpublish()
    secret = CategoryIndexPageFactory(parent=home_page, title="Members")
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    NewsArticlePageFactory(parent=secret, title="Members' story")
    (issue,) = compose_due(at(6, 1))
    assert story_titles(issue) == ["Public story"]


def test_a_day_without_stories_is_held_for_an_editor(daily):
    (issue,) = compose_due(at(6, 1))
    assert issue.status == IssueStatus.HELD


def test_a_section_list_composes_weekly_from_its_section(health, home_page):
    NewsArticlePageFactory(parent=health, title="Health story")
    sport = CategoryIndexPageFactory(parent=home_page, title="Sport")
    NewsArticlePageFactory(parent=sport, title="Sport story")
    today = timezone.localdate().weekday()
    weekly = NewsletterFactory(name="Health weekly", kind="section", section=health, weekday=(today + 1) % 7)
    assert [i.newsletter for i in compose_due(at(6, 1))] != [weekly]
    weekly.weekday = today
    weekly.save()
    composed = [issue for issue in compose_due(at(6, 1)) if issue.newsletter == weekly]
    assert [story_titles(issue) for issue in composed] == [["Health story"]]


def test_the_scheduler_sends_the_issue_at_its_time_unless_held(daily, stories, monkeypatch):
    SubscriptionFactory(newsletter=daily, subscriber__email="ada@example.org")
    compose_time, send_time = at(6, 1), at(7, 1)
    monkeypatch.setattr(timezone, "now", lambda: compose_time)
    call_command("run_newsletters")
    issue = Issue.objects.get()
    assert mail.outbox == []

    issue.status = IssueStatus.HELD
    issue.save()
    monkeypatch.setattr(timezone, "now", lambda: send_time)
    call_command("run_newsletters")
    assert mail.outbox == []

    issue.status = IssueStatus.SCHEDULED
    issue.save()
    call_command("run_newsletters")
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert Issue.objects.get().status == IssueStatus.SENT
    call_command("run_newsletters")
    assert len(mail.outbox) == 1
