"""Random and malicious values into every query parameter of every public URL, the comment form,
flags, the API's filters and the sign-in form: never a 500, nothing stored from refused input.

Kept quick: a modest number of examples per test, no deadline (the database is the slow part).
"""

import pytest
from django_comments_xtd.models import XtdComment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.db import transaction

from discussion.models import ReaderCommentSettings, ReaderFlag
from tests.discussion.forms import fill_comment_form
from tests.factories import (
    AuthorFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    str(2**31),
    str(2**63),
    str(10**40),
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "%",
    "%00",
    "%25",
    "../../etc/passwd",
    "'; DROP TABLE wagtailcore_page; --",
    "' OR '1'='1",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🦠",
    "a" * 5000,
    "2026-13-45",
    "2026-02-30T25:61:61",
    "news.NewsArticlePage",
    "wagtailcore.Page",
    "auth.User",
    "-title",
    "random",
    "*",
    "_",
    "id,title,owner",
    "\x00",
    "\x1b[31m",
    "\r\nSet-Cookie: a=b",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))

PARAMETERS = {
    "/": ["page", "q"],
    "/health/": ["page", "comments_page"],
    "ARTICLE": ["page", "comments_page", "c"],
    "LIVEBLOG": ["page", "after"],
    "LIVEBLOG/entries/": ["after"],
    "/search/": ["q", "page", "category"],
    "/tags/quokka/": ["page"],
    "/authors/quokka-reporter/": ["page"],
    "/feed/": ["page"],
    "/feed/atom/": ["page"],
    "/health/feed/": ["x"],
    "/sitemap.xml": ["p", "page"],
    "/sitemap-news.xml": ["page"],
    "/robots.txt": ["x"],
    "/favicon.ico": ["x"],
    "/api/v2/pages/": [
        "offset",
        "limit",
        "fields",
        "order",
        "search",
        "search_operator",
        "type",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "id",
        "title",
        "slug",
        "locale",
        "site",
        "first_published_at",
        "show_in_menus",
    ],
    "/api/v2/pages/?type=news.NewsArticlePage": ["display_date", "tags", "standfirst", "fields", "order"],
    "/api/v2/pages/find/": ["id", "html_path", "type"],
    "/api/v2/images/": ["offset", "limit", "fields", "order", "search", "title", "id", "tags"],
    "/api/v2/images/find/": ["id"],
    "/comments/posted/": ["c"],
    "/comments/link/COMMENT/": ["x"],
    "/comments/reply/COMMENT/": ["x"],
    "/comments/flag/COMMENT/": ["x"],
    "/_util/login/": ["next"],
}
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(health):
    article = NewsArticlePageFactory(parent=health, title="Quokka article")
    article.tags.add("quokka")
    article.save()
    author = AuthorFactory(name="Quokka Reporter", slug="quokka-reporter")
    article.story_authors.create(author=author)
    blog = LiveBlogPageFactory(parent=health)
    LiveBlogEntryFactory(page=blog)
    comment = ReaderCommentFactory(article=article)
    return {"ARTICLE": article.url, "LIVEBLOG": blog.url, "COMMENT": str(comment.pk)}


def resolve(url: str, world: dict) -> str:
    """The URL with the world's stand-ins (ARTICLE, LIVEBLOG, COMMENT) filled in."""
    url = url.replace("/COMMENT/", f"/{world['COMMENT']}/")
    for name in ("ARTICLE", "LIVEBLOG"):
        if url.startswith(name):
            url = world[name] + url[len(name) :].lstrip("/")
    return url


@pytest.mark.parametrize("url", list(PARAMETERS))
def test_no_query_parameter_value_is_a_server_error(client, world, url):
    parameters = PARAMETERS[url]
    address = resolve(url, world)

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(parameters), values, min_size=1, max_size=3))
    def check(query):
        response = client.get(address, query)
        assert response.status_code < 500, (address, query)

    check()


@pytest.fixture
def open_posting(site):
    """No rate limit or fill-time check in the way: every example reaches the form's own checks."""
    site_settings = ReaderCommentSettings.for_site(site)
    site_settings.rate_limit_posts = 10_000
    site_settings.min_seconds_to_fill = 0
    site_settings.save()


COMMENT_FIELDS = ["name", "email", "url", "comment", "reply_to", "followup", "honeypot", "next"]
SIGNED_FIELDS = ["content_type", "object_pk", "timestamp", "security_hash"]


@EXAMPLES
@given(data=st.data())
def test_comment_form_with_valid_signature_and_hostile_fields(client, article, open_posting, data):
    action, fields = fill_comment_form(client, article.url)
    for name in data.draw(st.lists(st.sampled_from(COMMENT_FIELDS + SIGNED_FIELDS), max_size=4)):
        fields[name] = data.draw(values, label=name)
    before = XtdComment.objects.count()
    with transaction.atomic():
        response = client.post(action, fields)
    assert response.status_code < 500
    if response.status_code >= 400 or (response.status_code == 200 and "Please correct" in response.text):
        assert XtdComment.objects.count() == before


@EXAMPLES
@given(comment_id=values, reporter=st.sampled_from(["198.51.100.1", "2001:db8::1", "", "not-an-ip"]))
def test_flags_with_hostile_ids_and_addresses(client, article, comment_id, reporter):
    before = ReaderFlag.objects.count()
    response = client.post(f"/comments/flag/{comment_id}/", REMOTE_ADDR=reporter or "0.0.0.0")  # noqa: S104
    assert response.status_code < 500
    if response.status_code >= 400:
        assert ReaderFlag.objects.count() == before


@EXAMPLES
@given(username=values, password=values, next_url=values)
def test_sign_in_form_with_hostile_values(client, home_page, username, password, next_url):
    response = client.post("/_util/login/", {"username": username, "password": password, "next": next_url})
    assert response.status_code < 500
    assert "_auth_user_id" not in client.session
