"""A batch's rows written together at its end make the same site as rows written item by item:
the same tree, revisions, URLs, redirects, search entries and comment threads."""

import pytest

from django.db import transaction

from wordpress.importer import Importer
from wordpress.wxr import WXRError

from .conftest import SHARED_WXR, shared_export
from .site_rows import site_rows
from .test_dry_run import generate
from .wxr_builder import author, category, comment, item, write

pytestmark = pytest.mark.django_db

SHARED_EXPORTS = sorted(path.name for path in SHARED_WXR.glob("*.xml") if path.name != "malformed.xml")


def rows_of_both_routes(path, batch_size: int = 200) -> tuple[dict, dict]:
    """The site made item by item (then rolled back), and the one made a batch at a time."""
    with transaction.atomic():
        per_item = Importer(path, batch_size=batch_size, write_per_item=True).run()
        item_by_item = site_rows()
        transaction.set_rollback(True)
    in_bulk = Importer(path, batch_size=batch_size).run()
    assert per_item.counts == in_bulk.counts
    assert per_item.notes == in_bulk.notes
    return item_by_item, site_rows()


def assert_same_site(item_by_item: dict, in_bulk: dict) -> None:
    for table in item_by_item:
        assert in_bulk[table] == item_by_item[table], table


@pytest.mark.parametrize("name", SHARED_EXPORTS or ["small-export.xml"])
def test_bulk_and_item_by_item_make_the_same_site_from_real_exports(name, home_page):
    path = shared_export(name)
    try:
        assert_same_site(*rows_of_both_routes(path, batch_size=7))
    except WXRError:
        pytest.skip(f"{name} is refused by both routes (tests/wordpress/test_wxr.py)")


def test_bulk_and_item_by_item_make_the_same_site_from_a_generated_export(tmp_path, home_page):
    path = generate(
        tmp_path, "generated.xml", "--posts", "150", "--comments", "500", "--pages", "12", "--seed", "5"
    )
    item_by_item, in_bulk = rows_of_both_routes(path, batch_size=40)

    assert len(in_bulk["pages"]) > 150
    assert len(in_bulk["comments"]) > 400
    assert_same_site(item_by_item, in_bulk)


def test_same_slugs_redirects_and_comments_twice_in_a_batch_come_out_the_same(tmp_path, home_page):
    path = write(
        tmp_path / "export.xml",
        author("editor"),
        category("news", "News"),
        item(1, title="Twice", comments=[comment(10, "First"), comment(11, "Reply", parent=10)]),
        item(2, title="Twice", link="https://gazette.example/2020/05/01/twice/"),
        # The same post again, with a new comment: it joins the thread.
        item(1, title="Twice", comments=[comment(10, "First"), comment(12, "Later", parent=10)]),
        item(3, title="Private", status="private"),
        item(4, title="Locked", password="sesame"),
        item(5, title="Later", status="future", date="2999-01-01 00:00:00"),
        item(6, title="Draft", status="draft"),
    )

    assert_same_site(*rows_of_both_routes(path))
