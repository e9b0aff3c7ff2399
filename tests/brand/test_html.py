"""Pages with the whole brand set (SVG logo, accent colour, the site's pages in the footer) pass the
Nu HTML Checker with no error. Needs Java, like tests/validate; skipped with the reason without it."""

import pytest

from django.core.files.base import ContentFile

from core.models import SiteIdentity
from tests.brand.conftest import PLAIN_SVG
from tests.factories import ContentPageFactory
from tests.validate.test_html import checker, validate  # noqa: F401 (the checker is a fixture)

pytestmark = pytest.mark.validate


def test_branded_pages_have_no_html_errors(client, checker, site, home_page, article, tmp_path):  # noqa: F811
    for slug, title in (("about", "About us"), ("contact", "Contact")):
        ContentPageFactory(parent=home_page, slug=slug, title=title).save_revision().publish()
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={
            "site_name": "Daily Lens",
            "accent_colour": "#0b5394",
            "logo_svg": ContentFile(PLAIN_SVG.encode(), name="logo.svg"),
        },
    )
    urls = ("/", article.url, "/about/", "/corrections/")
    documents = {url: client.get(url).content.decode() for url in urls}
    assert all("<style>:root{--brand-accent:#0b5394;" in html for html in documents.values())
    assert validate(checker, documents, tmp_path) == []
