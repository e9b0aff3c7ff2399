"""`import_wordpress`: what an editor and a reader find after importing a WordPress export."""

import json

import pytest
from django_comments_xtd.models import XtdComment

from django.core.management import CommandError

from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from discussion.models import CommentScreening, ReaderCommentsMode
from home.models import HomePage
from news.models import Author, CategoryIndexPage, NewsArticlePage
from pages.models import ContentPage
from tests.factories import CategoryIndexPageFactory
from wordpress.models import WordPressItem

from .wxr_builder import BASE, author, category, comment, item, write

pytestmark = pytest.mark.django_db


def article(slug: str) -> NewsArticlePage:
    return NewsArticlePage.objects.get(slug=slug)


def snapshot():
    """Everything an import could change, to compare before and after a second run."""
    return (
        list(Page.objects.order_by("pk").values_list("pk", "path", "slug", "live", "latest_revision_id")),
        list(XtdComment.objects.order_by("pk").values_list("pk", "parent_id", "level", "is_public")),
        Redirect.objects.count(),
        Author.objects.count(),
        get_image_model().objects.count(),
        WordPressItem.objects.count(),
    )


@pytest.fixture
def newsroom_export(tmp_path):
    return write(
        tmp_path / "export.xml",
        author("ana", "Ana Lima", "ana@private.example"),
        category("world", "World"),
        category("europe", "Europe", parent="world", description="News from Europe."),
        item(
            10,
            title="Floods in the valley",
            content="<!-- wp:paragraph --><p>Water rose <em>fast</em>.</p><!-- /wp:paragraph -->",
            creator="ana",
            categories=[("europe", "Europe"), ("world", "World")],
            tags=[("weather", "Weather"), ("odd", "C++ & <Rust> ☃")],
            excerpt="<p>The river broke its banks.</p>",
            date="2019-03-04 05:06:07",
            comments=[
                comment(3, "A reply before its parent.", parent=2),
                comment(2, "First!"),
                comment(4, "Held back.", approved="0"),
                comment(5, "Buy pills", approved="spam"),
                comment(6, "Deleted", approved="trash"),
                comment(7, "Linked to you", kind="pingback"),
            ],
        ),
        item(11, title="Draft story", status="draft", categories=[("world", "World")]),
        item(12, title="Pending story", status="pending", categories=[("world", "World")]),
        item(13, title="Future story", status="future", date="2099-01-01 08:00:00"),
        item(14, title="Members story", status="private"),
        item(15, title="Secret story", password="open sesame"),
        item(16, title="Binned story", status="trash"),
        item(17, title="Menu", post_type="nav_menu_item"),
        item(
            20, title="About", post_type="page", slug="about", link=f"{BASE}/about/", comment_status="closed"
        ),
        item(21, title="Team", post_type="page", slug="team", parent=20, link=f"{BASE}/about/team/"),
    )


def test_categories_become_nested_sections(run_import, newsroom_export, home_page):
    run_import(newsroom_export)

    world = CategoryIndexPage.objects.get(slug="world")
    europe = CategoryIndexPage.objects.get(slug="europe")
    assert world.get_parent().pk == home_page.pk
    assert europe.get_parent().pk == world.pk
    assert europe.live and "News from Europe." in europe.intro


def test_existing_section_with_the_same_slug_is_reused(run_import, newsroom_export, home_page):
    existing = CategoryIndexPageFactory(parent=home_page, title="World", slug="world")

    run_import(newsroom_export)

    assert CategoryIndexPage.objects.filter(slug="world").count() == 1
    assert CategoryIndexPage.objects.get(slug="europe").get_parent().pk == existing.pk


def test_post_becomes_article_with_its_fields(run_import, newsroom_export):
    run_import(newsroom_export)

    story = article("floods-in-the-valley")
    assert story.title == "Floods in the valley"
    assert story.standfirst == "The river broke its banks."
    assert [(b.block_type, str(b.value)) for b in story.body] == [
        ("paragraph", "<p>Water rose <i>fast</i>.</p>")
    ]
    assert story.first_published_at.isoformat() == "2019-03-04T05:06:07+00:00"
    assert story.display_date == story.first_published_at
    assert story.reader_comments == ReaderCommentsMode.OPEN
    assert [a.name for a in story.get_authors()] == ["Ana Lima"]


def test_post_in_several_categories_is_filed_under_the_first_and_tagged_with_the_rest(
    run_import, newsroom_export
):
    output = run_import(newsroom_export)

    story = article("floods-in-the-valley")
    assert story.get_parent().slug == "europe"
    assert sorted(story.tag_names) == ["C++ & <Rust> ☃", "Weather", "World"]
    assert "filed under 'Europe', tagged with 'World'" in output


def test_article_page_shows_imported_story_without_author_email(run_import, newsroom_export, client):
    run_import(newsroom_export)

    response = client.get(article("floods-in-the-valley").url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Water rose <i>fast</i>." in html
    assert "Ana Lima" in html
    assert "ana@private.example" not in html
    assert "C++ &amp; &lt;Rust&gt; ☃" in html


@pytest.mark.parametrize(
    "slug", ["draft-story", "pending-story", "future-story", "members-story", "secret-story"]
)
def test_unpublished_and_restricted_stories_are_not_readable_anonymously(
    run_import, newsroom_export, client, slug
):
    run_import(newsroom_export)
    story = article(slug)

    response = client.get(story.url_path.removeprefix(story.get_site().root_page.url_path[:-1]))

    # Not found, a login redirect, or the password form: never the story.
    assert response.status_code in (200, 302, 404)
    assert "Body text." not in response.content.decode()
    assert story.title not in response.content.decode() or response.status_code == 200


def test_statuses_map_to_wagtail_states(run_import, newsroom_export):
    run_import(newsroom_export)

    assert not article("draft-story").live and article("draft-story").has_unpublished_changes
    assert not article("pending-story").live
    future = article("future-story")
    assert not future.live
    assert future.go_live_at.year == 2099
    assert future.get_latest_revision().approved_go_live_at == future.go_live_at
    members = article("members-story")
    assert members.live
    assert PageViewRestriction.objects.get(page=members).restriction_type == PageViewRestriction.LOGIN
    secret = PageViewRestriction.objects.get(page=article("secret-story"))
    assert (secret.restriction_type, secret.password) == (PageViewRestriction.PASSWORD, "open sesame")


def test_password_protected_story_opens_with_its_password(run_import, newsroom_export, client):
    run_import(newsroom_export)
    story = article("secret-story")
    restriction = PageViewRestriction.objects.get(page=story)

    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/",
        {"password": "open sesame", "return_url": story.url},
    )

    assert response.status_code == 302
    assert "Body text." in client.get(story.url).content.decode()


def test_trash_and_menu_items_are_skipped_and_reported(run_import, newsroom_export, tmp_path):
    report_path = tmp_path / "report.json"

    run_import(newsroom_export, "--report", str(report_path))

    assert not NewsArticlePage.objects.filter(title="Binned story").exists()
    report = json.loads(report_path.read_text())
    reasons = {(row["item"], row["reason"]) for row in report["skipped"]}
    assert ("post 16 ('Binned story')", "is in the trash") in reasons
    assert ("nav_menu_item 17 ('Menu')", "post type 'nav_menu_item' is not imported") in reasons
    assert report["counts"]["post"] == {
        "draft": 2,
        "password-protected": 1,
        "private": 1,
        "published": 1,
        "scheduled": 1,
        "skipped": 1,
    }


def test_comments_are_threaded_with_their_status(run_import, newsroom_export):
    run_import(newsroom_export)
    story = article("floods-in-the-valley")

    comments = {c.comment: c for c in XtdComment.objects.filter(object_pk=str(story.pk))}

    assert set(comments) == {"First!", "A reply before its parent.", "Held back.", "Buy pills"}
    first, reply = comments["First!"], comments["A reply before its parent."]
    assert reply.parent_id == first.pk and reply.level == 1
    assert first.is_public and reply.is_public
    assert not comments["Held back."].is_public
    spam = comments["Buy pills"]
    assert not spam.is_public
    assert CommentScreening.objects.get(comment=spam).is_spam
    assert first.user_email == "reader@example.org"
    assert first.ip_address is None
    assert first.submit_date.isoformat() == "2020-05-01T10:00:00+00:00"


def test_public_comments_show_on_the_article(run_import, newsroom_export, client):
    run_import(newsroom_export)

    html = client.get(article("floods-in-the-valley").url).content.decode()

    assert "First!" in html and "A reply before its parent." in html
    assert "Buy pills" not in html and "Held back." not in html


def test_pages_become_content_pages_keeping_their_hierarchy(run_import, newsroom_export, home_page, client):
    run_import(newsroom_export)

    about = ContentPage.objects.get(slug="about")
    team = ContentPage.objects.get(slug="team")
    assert about.get_parent().pk == home_page.pk
    assert team.get_parent().pk == about.pk
    assert client.get("/about/team/").status_code == 200


def test_child_page_before_its_parent_in_the_file_ends_up_under_it(run_import, tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        item(31, title="Level 3", post_type="page", slug="level-3", parent=32),
        item(32, title="Level 2", post_type="page", slug="level-2", parent=33),
        item(33, title="Level 1", post_type="page", slug="level-1"),
    )

    run_import(path)

    assert ContentPage.objects.get(slug="level-3").url == "/level-1/level-2/level-3/"


def test_old_urls_redirect_permanently_to_the_new_pages(run_import, newsroom_export, client):
    run_import(newsroom_export)
    story = article("floods-in-the-valley")

    for old in ("/2020/05/01/floods-in-the-valley/", "/?p=10"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, story.url), old
    response = client.get("/?page_id=21")
    assert (response.status_code, response["Location"]) == (301, "/about/team/")


def test_query_address_of_a_page_that_was_not_imported_shows_the_home_page(
    run_import, newsroom_export, client
):
    run_import(newsroom_export)

    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200


def test_sticky_post_becomes_the_front_page_lead_story(run_import, tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        item(1, title="Old sticky", sticky=True, date="2010-01-01 00:00:00"),
        item(2, title="New sticky", sticky=True, date="2011-01-01 00:00:00"),
        item(3, title="Newest plain", date="2012-01-01 00:00:00"),
    )

    run_import(path)

    assert HomePage.objects.get().picked_lead_story().title == "New sticky"


def test_second_import_changes_nothing(run_import, newsroom_export):
    run_import(newsroom_export)
    before = snapshot()

    output = run_import(newsroom_export)

    assert snapshot() == before
    assert "post:        1 skipped, 6 unchanged" in output


def test_interrupted_import_continues_where_it_stopped(run_import, newsroom_export):
    run_import(newsroom_export)
    # As if the run had stopped before the last stories and pages.
    for wordpress_id in ("15", "21"):
        mapping = WordPressItem.objects.get(wordpress_id=wordpress_id, kind__in=["post", "page"])
        Page.objects.get(pk=mapping.object_id).delete()
        mapping.delete()
    Redirect.objects.filter(redirect_page__isnull=True).delete()
    pages_before = Page.objects.count()

    run_import(newsroom_export)

    assert Page.objects.count() == pages_before + 2
    assert NewsArticlePage.objects.filter(slug="floods-in-the-valley").count() == 1
    assert ContentPage.objects.get(slug="team").get_parent().slug == "about"


def test_dry_run_writes_nothing_but_reports(run_import, newsroom_export):
    before = snapshot()

    output = run_import(newsroom_export, "--dry-run")

    assert snapshot() == before
    assert "dry run: nothing written" in output
    assert "post:        2 draft, 1 password-protected, 1 private, 1 published, 1 scheduled" in output


def test_section_root_holds_the_imported_sections(run_import, newsroom_export, home_page):
    archive = CategoryIndexPageFactory(parent=home_page, title="Archive", slug="archive")

    run_import(newsroom_export, "--section-root", "archive")

    assert CategoryIndexPage.objects.get(slug="world").get_parent().pk == archive.pk


def test_unknown_section_root_is_refused(run_import, newsroom_export):
    with pytest.raises(CommandError, match="no section with the slug 'nowhere'"):
        run_import(newsroom_export, "--section-root", "nowhere")
    assert not NewsArticlePage.objects.exists()
