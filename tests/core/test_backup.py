"""A backup taken, the site changed or wiped, the backup restored: the site is as it was.

Runs on the database the suite runs on: SQLite's path in a plain `make test`,
PostgreSQL's (pg_dump/pg_restore) when DATABASE_URL points there.
"""

import pytest
import wagtail_factories
from django_comments_xtd.models import XtdComment

from django.core.files.storage import default_storage
from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from discussion.models import ReaderCommentSettings
from news.models import Author, StoryAuthor
from tests.factories import (
    AuthorFactory,
    CategoryIndexPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)


def snapshot() -> dict:
    images = get_image_model().objects.order_by("pk")
    return {
        "pages": list(Page.objects.order_by("path").values_list("pk", "path", "title", "slug", "live")),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "object_id", "content")),
        "images": [(image.pk, image.title, image.file.name) for image in images],
        "image files": {
            image.file.name: default_storage.open(image.file.name).read()
            if default_storage.exists(image.file.name)
            else None
            for image in images
        },
        "authors": list(Author.objects.order_by("pk").values_list("pk", "name", "slug")),
        "bylines": list(StoryAuthor.objects.values_list("page_id", "author_id")),
        "comments": list(
            XtdComment.objects.order_by("pk").values_list(
                "pk", "object_pk", "comment", "thread_id", "parent_id"
            )
        ),
        "settings": list(ReaderCommentSettings.objects.values_list("site_id", "max_links", "blocklist")),
        "sites": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(home_page_tree, tmp_path):
    before = snapshot()
    assert before["images"] and before["comments"] and before["revisions"]
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive))

    # What an accident might do: pages, comments and settings gone or changed, a media file lost.
    Page.objects.get(slug="to-be-lost").delete()
    XtdComment.objects.all().delete()
    Author.objects.update(name="Renamed")
    ReaderCommentSettings.objects.update(max_links=99, blocklist="")
    image_file = before["images"][0][2]
    default_storage.delete(image_file)
    assert snapshot() != before

    call_command("restore", str(archive))
    assert snapshot() == before


def test_restore_refuses_a_file_that_is_no_backup(db, tmp_path):
    from django.core.management.base import CommandError

    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    with pytest.raises(Exception):  # noqa: B017 - tarfile's own error
        call_command("restore", str(bogus))


@pytest.fixture
def home_page_tree(django_db_setup, django_db_blocker):
    """Content built in a committed transaction (pg_dump sees only committed rows).

    `transaction=True` tests flush the tables afterwards, so the tree is made here.
    """
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    from home.models import HomePage

    home = root.add_child(instance=HomePage(title="Home", slug="home-backup"))
    Site.objects.update_or_create(
        hostname="localhost", defaults={"root_page": home, "is_default_site": True, "port": 80}
    )
    section = CategoryIndexPageFactory(parent=home, title="Health")
    image = wagtail_factories.ImageFactory(title="A photo")
    author = AuthorFactory(name="Maria Lopez")
    article = NewsArticlePageFactory(parent=section, title="Kept story", lead_image=image)
    article.save_revision().publish()
    StoryAuthor.objects.create(page=article, author=author)
    lost = NewsArticlePageFactory(parent=section, title="To be lost")
    lost.save_revision().publish()
    comment = ReaderCommentFactory(article=article, comment="First")
    ReaderCommentFactory(parent=comment, comment="Reply")
    site_settings = ReaderCommentSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.max_links = 4
    site_settings.blocklist = "casino"
    site_settings.save()
    return home
