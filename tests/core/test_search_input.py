"""Whatever is typed into any search box, on the site, in the API or in the admin: never a 500,
and a plain word still finds what it names.

Full-text engines give quotes, `*`, `^`, `:`, `-`, `+`, `NEAR`, `AND`/`OR`/`NOT` and
parentheses a meaning, SQLite's refuses some of them as a syntax error and
PostgreSQL refuses NUL; the strings below are built from those pieces.
Kept quick: a modest number of examples per entry point, no deadline.
"""

import pytest
import wagtail_factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.search.backends import get_search_backend

from desk.roles import EDITORS
from news.models import NewsArticlePage
from tests.factories import AuthorFactory, NewsArticlePageFactory, ReaderCommentFactory

PIECES = [
    '"',
    "'",
    "*",
    "^",
    ":",
    "-",
    "+",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "NEAR",
    "NEAR/2",
    "AND",
    "OR",
    "NOT",
    "&",
    "|",
    "!",
    "<->",
    "\\",
    "%",
    "%s",
    "_",
    ",",
    ".",
    "~",
    " ",
    "\t",
    "\u3000",
    "\x00",
    "\x01",
    "\x7f",
    "\u200b",
    "quokka",
    "Quokka",
    "é",
    "İ",
    "²",
    "٣",
    "🦠",
]
hostile = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(" ".join),
    st.text(max_size=30),
    st.sampled_from(
        ['"', " ", "a" * 5000, "quokka " * 400, '"quokka', "quokka*", "-quokka", "NEAR(quokka x)"]
    ),
)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Entry point: (address, search parameter, other parameters it may come with, text a match shows).
PUBLIC = {
    "site search": ("/search/", "q", {"page": "1"}, "Quokka article"),
    "API pages": ("/api/v2/pages/", "search", {"order": "title", "limit": "5"}, "Quokka article"),
    "API images": ("/api/v2/images/", "search", {"search_operator": "and", "order": "title"}, "Quokka image"),
}
ADMIN = {
    "admin page search": ("/admin/pages/search/", "q", {"ordering": "title"}, "Quokka article"),
    "admin page explorer": ("/admin/pages/HOME/", "q", {}, "Quokka article"),
    "admin page chooser": ("/admin/choose-page/search/", "q", {}, "Quokka article"),
    "admin stories": ("/admin/stories/", "q", {}, "Quokka article"),
    "admin images": ("/admin/images/", "q", {}, "Quokka image"),
    "admin image chooser": ("/admin/images/chooser/results/", "q", {"tag": "marsupial"}, "Quokka image"),
    "admin documents": ("/admin/documents/", "q", {}, "Quokka document"),
    "admin document chooser": ("/admin/documents/chooser/results/", "q", {}, "Quokka document"),
    "admin authors": ("/admin/snippets/news/author/", "q", {}, "Quokka Reporter"),
    "admin tags": ("/admin/snippets/taggit/tag/", "q", {}, "quokka"),
    "admin reader comments": ("/admin/snippets/discussion/readercomment/", "q", {}, "Quokka comment"),
    "admin users": ("/admin/users/", "q", {}, "Quokka Keeper"),
}


@pytest.fixture
def world(health):
    """One of everything that can be searched for, each named after the word "quokka"."""
    article = NewsArticlePageFactory(parent=health, title="Quokka article")
    article.tags.add("quokka")
    article.save()
    wagtail_factories.ImageFactory(title="Quokka image").tags.add("marsupial")
    get_document_model().objects.create(title="Quokka document", file=ContentFile(b"quokka", "quokka.txt"))
    AuthorFactory(name="Quokka Reporter", slug="quokka-reporter")
    ReaderCommentFactory(article=article, comment="Quokka comment")
    get_user_model().objects.create_user(
        "keeper", "keeper@example.org", first_name="Quokka", last_name="Keeper"
    )
    return article


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.fixture
def editor_client(client, db):
    editor = get_user_model().objects.create_user("eddie", "eddie@example.org", "pw")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


def check_entry_point(client, address: str, parameter: str, others: dict, expected: str) -> None:
    address = address.replace("HOME", str(Site.objects.get(is_default_site=True).root_page_id))
    found = client.get(address, {parameter: "quokka"})
    assert found.status_code == 200
    assert expected in found.text

    @EXAMPLES
    @given(query=hostile, with_others=st.booleans())
    def check(query, with_others):
        response = client.get(address, {parameter: query, **(others if with_others else {})})
        assert response.status_code < 500, (address, query)

    check()


@pytest.mark.parametrize("entry_point", list(PUBLIC))
def test_public_search_survives_any_query(client, world, entry_point):
    check_entry_point(client, *PUBLIC[entry_point])


@pytest.mark.parametrize("entry_point", list(ADMIN))
def test_admin_search_survives_any_query(superuser_client, world, entry_point):
    check_entry_point(superuser_client, *ADMIN[entry_point])


def test_editor_searches_stories_with_any_query(editor_client, world):
    check_entry_point(editor_client, "/admin/stories/", "q", {}, "Quokka article")


@EXAMPLES
@given(query=hostile, operator=st.sampled_from(["and", "or"]))
def test_search_backend_takes_any_query(world, query, operator):
    """Whatever calls the backend, with whatever it was given."""
    backend = get_search_backend()
    pages = NewsArticlePage.objects.live()
    list(backend.search(query, pages, operator=operator))
    list(backend.autocomplete(query, pages, operator=operator))


@pytest.mark.parametrize(
    "query", ['"quokka', "quokka*", "(quokka)", "-quokka", "quokka:", "^quokka", "+quokka~"]
)
def test_words_among_operators_still_find_the_story(world, query):
    assert list(get_search_backend().search(query, NewsArticlePage)) == [world]


@pytest.mark.parametrize("endpoint", ["pages", "images"])
@pytest.mark.parametrize("operator", ["or", "xor", ""])
def test_api_search_finds_every_word_whatever_the_operator(client, world, endpoint, operator):
    """Both endpoints search as the site does: every word must match, `search_operator` aside."""
    address = f"/api/v2/{endpoint}/"
    found = client.get(address, {"search": "quokka", "search_operator": operator}).json()
    missing = client.get(address, {"search": "quokka zebra", "search_operator": operator}).json()
    titles = {"pages": ["Quokka article"], "images": ["Quokka image"]}[endpoint]
    assert [item["title"] for item in found["items"]] == titles
    assert missing["items"] == []


def test_image_chooser_searches_within_a_tag(superuser_client, world):
    wagtail_factories.ImageFactory(title="Quokka sketch")
    within_tag = superuser_client.get("/admin/images/chooser/results/", {"q": "quokka", "tag": "marsupial"})
    assert within_tag.status_code == 200
    assert "Quokka image" in within_tag.text
    assert "Quokka sketch" not in within_tag.text
