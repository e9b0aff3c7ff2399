"""Markup details the HTML standard insists on."""

import re

from tests.discussion.forms import fill_comment_form
from tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory, ReaderCommentFactory

# HTML's valid global date and time string, to the second (no fraction).
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)$")


def datetimes(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]*)"', html)


def test_every_time_element_has_a_valid_datetime_without_fractions(client, home_page, health, article):
    ReaderCommentFactory(article=article)
    blog = LiveBlogPageFactory(parent=health)
    LiveBlogEntryFactory(page=blog)
    found = []
    for url in [home_page.url, health.url, article.url, blog.url]:
        found += datetimes(client.get(url).text)
    assert len(found) >= 5
    assert all(DATETIME.match(value) for value in found), found


def test_every_aria_describedby_names_an_element_of_the_page(client, article):
    action, data = fill_comment_form(client, article.url, email="not an email")
    del data["comment"]
    html = client.post(action, data).text
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = [ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()]
    assert any(ref.endswith("_error") for ref in described)
    assert set(described) <= ids
