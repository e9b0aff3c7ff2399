"""The front page's packages: picks, auto-fill, skipped picks, no story twice, query budget."""

import importlib
from datetime import timedelta

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from home.models import HomePage
from news.models import LiveBlogStatus, StoryAuthor
from newsletters.models import Newsletter
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

FRONT_PAGE_QUERY_BUDGET = 16


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def story(parent, title: str, hours: float = 0, **fields):
    when = hours_ago(hours)
    return NewsArticlePageFactory(
        parent=parent, title=title, first_published_at=when, display_date=when, **fields
    )


def pick(page, headline: str = "", image=None) -> dict:
    return {"story": page.pk, "headline": headline, "image": image.pk if image else None}


def arrange(home_page, *blocks) -> None:
    home_page.layout = [{"type": kind, "value": value} for kind, value in blocks]
    home_page.save_revision().publish()


def packages(client) -> list[tuple[str, list[str]]]:
    """Each package on the front page: its heading (or label) and its headlines in order."""
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    found = []
    for block in soup.select("main > section, main > aside"):
        heading = block.find("h2", class_=lambda c: c and "title" in c or c == "promo__heading")
        name = heading.get_text(strip=True) if heading and "card__title" not in heading["class"] else ""
        titles = [
            a.get_text(strip=True) for a in block.select(".card__title a, .most-discussed__list li > a")
        ]
        found.append((name or block.get("aria-label", ""), titles))
    return found


def test_a_package_without_picks_fills_itself_with_the_newest_stories(client, home_page, health):
    for n in range(5):
        story(health, f"Story {n}", hours=n)
    arrange(home_page, ("top_stories", {"stories": [], "count": 3}))
    assert packages(client) == [("Top stories", ["Story 0", "Story 1", "Story 2"])]


def test_picks_come_first_in_the_editors_order_with_this_pages_headline_and_picture(
    client, home_page, health
):
    old = story(health, "Old but important", hours=48)
    older = story(health, "Older", hours=72)
    story(health, "Newest", hours=0)
    picture = wagtail_factories.ImageFactory(title="Editor's crop")
    arrange(
        home_page,
        ("top_stories", {"stories": [pick(old, "A sharper headline", picture), pick(older)], "count": 3}),
    )
    assert packages(client) == [("Top stories", ["A sharper headline", "Older", "Newest"])]
    html = client.get("/").text
    lead = BeautifulSoup(html, "html.parser").select_one(".card--lead")
    assert picture.get_rendition("fill-1200x630").url in str(lead)
    # The story's own page keeps its own headline.
    assert "A sharper headline" not in client.get(old.url).text


def test_unpublished_private_or_expired_picks_are_skipped_and_their_places_filled(client, home_page, health):
    withdrawn = story(health, "Withdrawn", hours=1)
    private = story(health, "Members only", hours=2)
    expired = story(health, "Expired", hours=3, expire_at=hours_ago(0.5))
    visible = story(health, "Still here", hours=10)
    story(health, "Filler", hours=20)
    withdrawn.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    arrange(
        home_page,
        (
            "top_stories",
            {"stories": [pick(withdrawn), pick(private), pick(expired), pick(visible)], "count": 2},
        ),
    )
    assert packages(client) == [("Top stories", ["Still here", "Filler"])]


def test_no_story_appears_twice_on_the_page(client, home_page, health):
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    for n in range(4):
        story(health, f"Health {n}", hours=n)
    story(world, "World 0", hours=0.5)
    picked_again = story(world, "World 1", hours=30)
    arrange(
        home_page,
        ("top_stories", {"stories": [pick(picked_again)], "count": 3}),
        ("section", {"section": health.pk, "stories": [], "count": 3}),
        ("section", {"section": world.pk, "stories": [pick(picked_again)], "count": 3}),
    )
    assert packages(client) == [
        ("Top stories", ["World 1", "Health 0", "World 0"]),
        ("Health", ["Health 1", "Health 2", "Health 3"]),
    ]


def test_a_section_package_without_a_section_lists_each_top_level_section(client, home_page, health):
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    oncology = CategoryIndexPageFactory(parent=health, title="Oncology")
    story(oncology, "Oncology story", hours=1)
    story(world, "World story", hours=2)
    arrange(home_page, ("section", {"section": None, "stories": [], "count": 3}))
    assert packages(client) == [("Health", ["Oncology story"]), ("World", ["World story"])]


def test_live_now_shows_open_live_blogs_and_is_hidden_when_none_runs(client, home_page, health):
    story(health, "An article", hours=0)
    arrange(home_page, ("live_now", {"heading": "Live now", "count": 3}))
    assert packages(client) == []
    LiveBlogPageFactory(parent=health, title="Ended coverage", status=LiveBlogStatus.ENDED)
    LiveBlogPageFactory(parent=health, title="Election night")
    assert packages(client) == [("Live now", ["Election night"])]
    assert "Live" in BeautifulSoup(client.get("/").text, "html.parser").select_one(".card__badge").text


def test_opinion_package_gathers_stories_marked_by_subheadline_or_tag(client, home_page, health):
    story(health, "Plain news", hours=0)
    story(health, "What it means", hours=1, subheadline="Analysis")
    tagged = story(health, "Why we should care", hours=2)
    tagged.tags.add("Opinion")
    tagged.save_revision().publish()
    arrange(
        home_page,
        ("opinion", {"heading": "Opinion and analysis", "kinds": "Analysis", "tag": "opinion", "count": 3}),
    )
    assert packages(client) == [("Opinion and analysis", ["What it means", "Why we should care"])]


def test_most_discussed_leaves_out_stories_shown_above(client, home_page, health):
    shown = story(health, "Shown above", hours=0)
    below = story(health, "Talked about", hours=5)
    for _ in range(3):
        ReaderCommentFactory(article=shown)
    ReaderCommentFactory(article=below)
    arrange(
        home_page,
        ("top_stories", {"stories": [], "count": 1}),
        ("ranked_list", {"ranking": "most_discussed", "heading": "", "count": 5, "include_shown": False}),
    )
    assert packages(client) == [("Lead story", ["Shown above"]), ("Most discussed", ["Talked about"])]


def test_promo_links_to_its_page(client, home_page, health):
    arrange(
        home_page,
        (
            "promo",
            {
                "heading": "Our newsletter",
                "text": "Every morning.",
                "link_label": "Sign up",
                "link_page": health.pk,
                "link_url": "",
            },
        ),
    )
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    link = soup.select_one(".promo a")
    assert soup.select_one(".promo h2").text == "Our newsletter"
    assert (link.text, link["href"]) == ("Sign up", health.url)


def test_newsletter_signup_package_shows_the_box_where_editors_put_it_and_only_there(
    client, home_page, health
):
    story(health, "Flu season starts early")
    arrange(
        home_page,
        ("newsletter_signup", {"heading": "Get the morning briefing", "text": "Top stories at 7."}),
        ("section", {"section": health.pk, "stories": [], "count": 3}),
    )

    soup = BeautifulSoup(client.get("/").text, "html.parser")

    (box,) = soup.select("form.newsletter-signup")
    assert box.select_one("h2").get_text(strip=True) == "Get the morning briefing"
    assert box.select_one(".newsletter-signup__intro").get_text(strip=True) == "Top stories at 7."
    assert box.find_next("section") is not None, "the box comes before the section package"
    assert [value["value"] for value in box.select("[name=newsletters]")][0] == "daily-briefing"
    assert len(soup.select('script[src$="newsletters/signup.js"]')) == 1


def test_without_a_newsletter_signup_package_the_box_stays_at_the_page_foot(client, home_page, health):
    story(health, "Flu season starts early")
    arrange(home_page, ("section", {"section": health.pk, "stories": [], "count": 3}))

    soup = BeautifulSoup(client.get("/").text, "html.parser")

    (box,) = soup.select("form.newsletter-signup")
    assert box.select_one("h2").get_text(strip=True) == "Get the news by e-mail"
    assert box.find_previous("section") is not None


def test_a_newsletter_signup_package_with_no_list_offered_shows_nothing(client, home_page, health):
    for newsletter in Newsletter.objects.all():
        newsletter.is_active = False
        newsletter.save()  # its signal forgets the cached lists
    story(health, "Flu season starts early")
    arrange(
        home_page,
        ("newsletter_signup", {"heading": "Get the morning briefing", "text": ""}),
        ("section", {"section": health.pk, "stories": [], "count": 3}),
    )

    response = client.get("/")

    assert response.status_code == 200
    assert "newsletter-signup" not in response.text
    assert "Flu season starts early" in response.text


def test_the_layout_refuses_a_second_newsletter_signup_package(home_page):
    layout = HomePage._meta.get_field("layout").stream_block
    value = layout.to_python(
        [{"type": "newsletter_signup", "value": {"heading": "Briefing", "text": ""}} for _ in range(2)]
    )

    with pytest.raises(ValidationError):
        layout.clean(value)
    layout.clean(value[:1])  # one is fine


def eight_packages(home_page, sections) -> None:
    first, second, third = sections
    arrange(
        home_page,
        ("top_stories", {"stories": [pick(first.get_children().last().specific)], "count": 5}),
        ("live_now", {"heading": "Live now", "count": 3}),
        ("section", {"section": first.pk, "stories": [], "count": 6}),
        ("section", {"section": second.pk, "stories": [], "count": 6}),
        ("section", {"section": third.pk, "stories": [], "count": 6}),
        ("opinion", {"heading": "Opinion", "kinds": "Analysis", "tag": "opinion", "count": 4}),
        ("ranked_list", {"ranking": "most_discussed", "heading": "", "count": 5, "include_shown": False}),
        ("newsletter_signup", {"heading": "Newsletter", "text": "Every morning."}),
    )


def front_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_eight_packages_stay_within_the_query_budget_whatever_the_number_of_stories(
    client, home_page, django_assert_max_num_queries
):
    sections = [CategoryIndexPageFactory(parent=home_page, title=f"Section {n}") for n in range(3)]
    author = AuthorFactory()

    def add_stories(per_section: int, first: int = 0) -> None:
        for section in sections:
            for n in range(first, first + per_section):
                page = story(
                    section,
                    f"{section.title} story {n}",
                    hours=n,
                    lead_image=wagtail_factories.ImageFactory(),
                    subheadline="Analysis" if n % 3 == 0 else "",
                )
                StoryAuthor.objects.create(page=page, author=author)
                ReaderCommentFactory(article=page)
            LiveBlogPageFactory(parent=section)

    add_stories(1)
    eight_packages(home_page, sections)
    client.get("/")  # the pictures' renditions are made once
    few = front_page_queries(client)
    add_stories(8, first=1)
    client.get("/")
    with django_assert_max_num_queries(FRONT_PAGE_QUERY_BUDGET):
        many = front_page_queries(client)
    assert many == few


def test_cards_give_the_time_in_a_datetime_and_the_date_as_fallback_text(client, home_page, health):
    page = story(health, "Timed story", hours=2)
    StoryAuthor.objects.create(page=page, author=AuthorFactory(name="Ada Reporter"))
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    time = soup.select_one(".card--lead time")
    assert time["datetime"] == page.display_date.replace(microsecond=0).isoformat()
    assert time.has_attr("data-relative-time")
    assert time.text == f"{timezone.localtime(page.display_date):%-d %B %Y}"
    assert soup.select_one(".card--lead .card__byline").text == "By Ada Reporter"
    assert soup.select_one('script[src$="relative-time.js"]') is not None


def test_migration_keeps_the_front_page_as_readers_saw_it(client, home_page, health):
    world = CategoryIndexPageFactory(parent=home_page, title="World")
    for n in range(6):
        story(health if n % 2 else world, f"Story {n}", hours=n)
    ReaderCommentFactory(article=world.get_children().first().specific)
    home_page.save_revision()
    before = BeautifulSoup(client.get("/").text, "html.parser").select_one("main")

    migration = importlib.import_module("home.migrations.0006_arrange_front_page")
    from django.apps import apps

    migration.arrange(apps, None)

    home = HomePage.objects.get(pk=home_page.pk)
    assert [block.block_type for block in home.layout] == ["top_stories", "section", "ranked_list"]
    assert [block.block_type for block in home.get_latest_revision_as_object().layout] == [
        "top_stories",
        "section",
        "ranked_list",
    ]
    after = BeautifulSoup(client.get("/").text, "html.parser").select_one("main")
    assert str(after) == str(before)


def test_migration_makes_the_editors_lead_story_the_first_pick(client, home_page, health):
    from types import SimpleNamespace

    pick_me = story(health, "The editor's lead", hours=50)
    story(health, "Newer", hours=1)
    migration = importlib.import_module("home.migrations.0006_arrange_front_page")
    home_page.layout = migration.layout_of(SimpleNamespace(lead_story_id=pick_me.pk))
    home_page.save_revision().publish()
    assert packages(client)[0] == ("Lead story", ["The editor's lead"])


def two_colour_image(**focal_point):
    """A tall picture, red above and blue below."""
    from io import BytesIO

    from PIL import Image as PILImage

    from django.core.files.images import ImageFile

    picture = PILImage.new("RGB", (600, 1200), "red")
    picture.paste((0, 0, 255), (0, 600, 600, 1200))
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return wagtail_factories.ImageFactory(file=ImageFile(buffer, name="halves.png"), **focal_point)


def card_colours(client, home_page, story_page) -> set[tuple[int, int, int]]:
    from PIL import Image as PILImage

    from django.conf import settings
    from django.core.files.storage import default_storage

    soup = BeautifulSoup(client.get("/").text, "html.parser")
    src = soup.select_one(".card--lead picture img")["src"]
    with default_storage.open(src.removeprefix(settings.MEDIA_URL)) as file, PILImage.open(file) as crop:
        return {crop.convert("RGB").getpixel((x, y)) for x in (10, 200) for y in (5, crop.height - 5)}


def test_the_card_picture_is_cropped_around_its_focal_point(client, home_page, health):
    image = two_colour_image(
        focal_point_x=300, focal_point_y=900, focal_point_width=100, focal_point_height=100
    )
    page = story(health, "Pictured", lead_image=image, lead_image_alt_text="Halves")
    assert card_colours(client, home_page, page) == {(0, 0, 255)}


def test_a_picture_without_focal_point_is_cropped_from_the_centre(client, home_page, health):
    page = story(health, "Pictured", lead_image=two_colour_image(), lead_image_alt_text="Halves")
    # The middle band of the picture: red above the centre, blue below it.
    assert card_colours(client, home_page, page) == {(255, 0, 0), (0, 0, 255)}


def test_a_broken_picture_file_does_not_break_its_package(client, home_page, health):
    image = wagtail_factories.ImageFactory()
    page = story(health, "Broken picture", lead_image=image, lead_image_alt_text="Broken")
    story(health, "Next story", hours=1)
    image.file.storage.delete(image.file.name)
    arrange(home_page, ("top_stories", {"stories": [pick(page)], "count": 2}))
    assert packages(client) == [("Top stories", ["Broken picture", "Next story"])]
