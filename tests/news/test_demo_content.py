"""The demo content generator: the site it builds, well-formed threads, the same site from the same seed."""

from datetime import timedelta

import pytest
from django_comments_xtd.models import XtdComment

from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from wagtail.images import get_image_model

from news.demo_content import LIVE_BLOGS, SUBJECTS, VERBS, DemoContent, lowercase_subject
from news.demo_photos import CC0, PHOTOS, PUBLIC_DOMAIN
from news.models import CategoryIndexPage, LiveBlogPage, NewsArticlePage, StoryPage, StoryTag


def generate(settings, **options):
    settings.DEBUG = True
    call_command("generate_demo_content", **options)


def site_fingerprint() -> list:
    addresses = dict(StoryPage.objects.values_list("pk", "url_path"))
    return [
        list(NewsArticlePage.objects.order_by("-display_date").values_list("title", "url_path")),
        sorted(StoryTag.objects.values_list("content_object__title", "tag__name")),
        # Ids differ between runs; the story a comment is on is named by its address.
        sorted(
            (addresses[int(pk)], level, order, text)
            for pk, level, order, text in XtdComment.objects.values_list(
                "object_pk", "level", "order", "comment"
            )
        ),
    ]


def test_generates_the_counts_asked_for_with_pictures_and_live_blogs(client, site, settings):
    generate(settings, articles=40, comments=300, seed=7)

    assert NewsArticlePage.objects.live().count() == 40
    assert LiveBlogPage.objects.live().count() == 3
    assert XtdComment.objects.count() == 300
    assert NewsArticlePage.objects.exclude(lead_image=None).exists()
    # The tree is well formed: every story is found by its address and listed in its section.
    story = StoryPage.objects.listed().first()
    response = client.get(story.url)
    assert response.status_code == 200 and story.title in response.text
    assert client.get("/news/").status_code == 200
    assert 'class="card__image"' in client.get("/").text


def test_comment_threads_are_well_formed(site, settings):
    generate(settings, articles=20, comments=400, seed=3)

    comments = {comment.pk: comment for comment in XtdComment.objects.all()}
    for comment in comments.values():
        root = comments[comment.thread_id]
        assert root.level == 0 and root.parent_id == root.pk
        assert comment.object_pk == root.object_pk
        if comment.level:
            parent = comments[comment.parent_id]
            assert parent.thread_id == comment.thread_id
            assert parent.level == comment.level - 1
            assert parent.order < comment.order
    for thread_id in {comment.thread_id for comment in comments.values()}:
        orders = sorted(c.order for c in comments.values() if c.thread_id == thread_id)
        assert orders == list(range(1, len(orders) + 1))
        assert comments[thread_id].nested_count == len(orders) - 1


def test_the_same_seed_builds_the_same_site(site, settings, django_db_blocker):
    generate(settings, articles=15, comments=60, seed=11)
    first = site_fingerprint()
    StoryPage.objects.all().delete()
    XtdComment.objects.all().delete()
    generate(settings, articles=15, comments=60, seed=11)

    assert site_fingerprint() == first


def test_runs_once_for_make_run_and_never_with_debug_off(site, settings):
    generate(settings, articles=10, comments=0, seed=1, if_fewer_than=5)
    generate(settings, articles=10, comments=0, seed=2, if_fewer_than=5)
    assert NewsArticlePage.objects.count() == 10

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("generate_demo_content", articles=1)
    with pytest.raises(CommandError):
        generate(settings, articles=-1)


def planner_knows_page_count() -> bool:
    """Whether ANALYZE has recorded statistics for the page table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'wagtailcore_page'")
        return cursor.fetchone()[0] > 0


def test_the_planner_has_statistics_for_the_new_archive(site, settings):
    generate(settings, articles=3, comments=2)
    assert planner_knows_page_count()


def test_headlines_agree_with_their_subjects():
    demo = DemoContent(articles=0, comments=0, seed=5)
    headlines = [demo._headline() for _ in range(200)]

    for headline in headlines:
        subject, plural = next((s, p) for s, p in SUBJECTS if headline.startswith(s + " "))
        verb = headline[len(subject) + 1 :]
        assert any(verb.startswith(forms[0 if plural else 1] + " ") for forms in VERBS), headline
    assert any(headline.startswith("A startup ") for headline in headlines)
    assert not [h for h in headlines if h.startswith("A startup celebrate ")]


def doubled_words(slug: str) -> list[str]:
    words = slug.split("-")
    return [word for word, following in zip(words, words[1:], strict=False) if word == following]


def test_slugs_never_repeat_a_word_and_sections_never_share_a_name(site, settings):
    # The seed article files itself under a top-level Health, as `make run` does first.
    call_command("import_seeds", stdout=None)
    generate(settings, articles=200, comments=0, seed=5)

    slugs = list(StoryPage.objects.values_list("slug", flat=True))
    assert len(slugs) == 204 and [slug for slug in slugs if doubled_words(slug)] == []
    assert all(
        slug.startswith("live-") and not slug.startswith("live-live")
        for slug in LiveBlogPage.objects.values_list("slug", flat=True)
    )
    names = [title.lower() for title in CategoryIndexPage.objects.values_list("title", flat=True)]
    assert sorted(names) == sorted(set(names))
    paths = list(StoryPage.objects.values_list("url_path", flat=True))
    assert len(paths) == len(set(paths))


def test_stories_use_the_credited_photographs_made_once(client, site, settings):
    generate(settings, articles=30, comments=0, seed=4)
    generate(settings, articles=30, comments=0, seed=5)

    Image = get_image_model()
    assert Image.objects.count() == len(PHOTOS)
    for photo in PHOTOS:
        image = Image.objects.get(title=photo.title)
        credit = image.credit_info
        assert (credit.credit, credit.caption, credit.licence_url) == (
            photo.credit,
            photo.caption,
            photo.licence_url,
        )
        assert credit.licence_url in (CC0, PUBLIC_DOMAIN) and credit.source_url.startswith("https://")
        assert image.description == photo.alt_text
        if photo.focal_point:
            assert image.get_focal_point() is not None
    pictured = StoryPage.objects.exclude(lead_image=None)
    assert pictured.count() > 40 and not pictured.filter(lead_image_alt_text="").exists()
    # Caption and credit are left to the photograph, whose own show under it.
    story = NewsArticlePage.objects.exclude(lead_image=None).first()
    text = client.get(story.url).text
    assert f'Photo: <span class="credit">{story.lead_image.credit_info.credit}</span>' in text


def test_demo_photographs_are_small_and_each_is_credited():
    credits = (PHOTOS[0].path.parent / "CREDITS.md").read_text(encoding="utf-8")
    total = 0
    for photo in PHOTOS:
        total += photo.path.stat().st_size
        assert f"| {photo.file} |" in credits and photo.credit.split()[0] in credits
    assert total < 2_000_000
    assert {photo.file for photo in PHOTOS} == {path.name for path in PHOTOS[0].path.parent.glob("*.jpg")}


def test_standfirsts_agree_with_their_headlines():
    demo = DemoContent(articles=0, comments=0, seed=9)
    subjects_seen = 0
    for _ in range(300):
        parts = demo._headline_parts()
        standfirst = demo._standfirst(parts)
        assert standfirst[0].isupper() and standfirst.endswith(".")
        assert "{" not in standfirst and parts.object in standfirst
        for subject in {parts.subject, lowercase_subject(parts.subject)}:
            if f"{subject} say" in standfirst:
                subjects_seen += 1
                assert (f"{subject} says" in standfirst) is not parts.plural, standfirst
    assert subjects_seen > 30


def test_one_live_blog_runs_with_entries_every_few_minutes_up_to_now(site, settings):
    generate(settings, articles=20, comments=0, seed=2)

    running = LiveBlogPage.objects.get(status="live")
    assert LiveBlogPage.objects.filter(status="ended").count() == LIVE_BLOGS - 1
    now = timezone.now()
    times = sorted(running.entries.values_list("posted_at", flat=True))
    assert now - timedelta(minutes=5) <= times[-1] <= now
    assert now - timedelta(hours=8) <= times[0] <= now - timedelta(hours=1)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert max(gaps) <= timedelta(minutes=10)
    assert running.first_published_at <= times[0]
    for blog in LiveBlogPage.objects.filter(status="ended"):
        ended = blog.entries.order_by("-posted_at").first().posted_at
        assert ended <= now - timedelta(hours=6) and blog.coverage_end >= ended
    assert running.entries.exclude(image=None).exists()
