"""docs/extending.md, followed step by step.

The doc's code is quoted from the live blog, the recipe's worked example, and
checked here against the files it names; the live blog then shows each step's
promise (allowed under a section, listed everywhere, within a query budget).
The body-block recipe's example block does not exist in the code base, so it
is built here from the doc's own snippets and rendered.
"""

import ast
import re
from datetime import timedelta
from pathlib import Path
from textwrap import dedent

import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode
from django.utils import timezone

from wagtail import blocks
from wagtail.admin.icons import get_icons
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import news.models
from discussion.models import ReaderComment, ReaderCommentSettings, ReaderCommentsMixin, commentable_models
from home.models import HomePage
from news.blocks import ArticleBodyBlock
from news.models import CategoryIndexPage, LiveBlogPage, StoryPage
from tests.discussion.forms import post_comment
from tests.factories import CategoryIndexPageFactory, LiveBlogEntryFactory, LiveBlogPageFactory
from tests.news.helpers import card_titles, parse_xml

BASE_DIR = Path(settings.BASE_DIR)
DOC = BASE_DIR / "docs" / "extending.md"
# Code fences, also indented ones inside list items.
FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.M | re.S)
# A snippet that quotes the code base names the file on its first line.
QUOTED_FILE = re.compile(r"^(?:# (\S+\.py)|\{# (\S+\.html) #\})$")
# A snippet's own comments (elisions, notes) are not part of the quote.
SNIPPET_COMMENT = re.compile(r"^\s*(?:#|\{#.*#\}$)")
# What a live blog page costs a reader, however many entries it has (an article costs the same).
LIVE_BLOG_QUERY_BUDGET = 24


def snippets(language: str | None = None) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [dedent(code) for _, lang, code in FENCE.findall(text) if language in (None, lang)]


def snippet_containing(text: str) -> str:
    found = [code for code in snippets() if text in code]
    assert len(found) == 1, f"expected one snippet with {text!r} in {DOC.name}, found {len(found)}"
    return found[0]


def quoted_file(snippet: str) -> Path | None:
    match = QUOTED_FILE.match(snippet.splitlines()[0])
    return BASE_DIR / (match.group(1) or match.group(2)) if match else None


def quoted_lines(snippet: str) -> list[str]:
    return [line for line in snippet.splitlines()[1:] if line.strip() and not SNIPPET_COMMENT.match(line)]


# The doc's quotes and snippets


def test_every_quote_in_the_doc_matches_the_file_it_names():
    quotes = [(path, code) for code in snippets() if (path := quoted_file(code))]
    assert {path.name for path, _ in quotes} >= {
        "live_blogs.py",
        "__init__.py",
        "stories.py",
        "live_blog_page.html",
        "factories.py",
        "test_extending_recipe.py",
    }
    for path, code in quotes:
        assert path.exists(), f"{DOC.name} quotes {path}, which does not exist"
        lines = iter(path.read_text(encoding="utf-8").splitlines())
        for quoted in quoted_lines(code):
            # In the file's order: each quoted line appears after the previous one.
            assert any(line == quoted for line in lines), f"{path.name} has no line {quoted!r} here"


def test_every_python_snippet_is_valid_python():
    python = snippets("python")
    assert len(python) >= 8
    for code in python:
        ast.parse(code)


# Adding a story type: the live blog as the recipe's result


class LiveBlogPageTreeTests(WagtailPageTestCase):
    def test_a_story_type_goes_under_a_section_and_takes_no_children(self):
        self.assertAllowedParentPageTypes(LiveBlogPage, {CategoryIndexPage})
        self.assertCanCreateAt(CategoryIndexPage, LiveBlogPage)
        self.assertCanNotCreateAt(HomePage, LiveBlogPage)
        self.assertAllowedSubpageTypes(LiveBlogPage, {})

    def test_the_story_base_itself_cannot_be_created(self):
        self.assertCanNotCreateAt(CategoryIndexPage, StoryPage)

    def test_an_editor_creates_one_in_the_admin(self):
        section = CategoryIndexPageFactory(parent=HomePage.objects.get(), title="World")
        self.login()
        self.assertCanCreate(
            section,
            LiveBlogPage,
            nested_form_data(
                {
                    "title": "Election day",
                    "standfirst": "Results as they come in.",
                    "status": "live",
                    "key_points": rich_text("<p>Turnout is high.</p>"),
                    "writers_may_post": "",
                    "story_authors": inline_formset([]),
                    "related_links": inline_formset([]),
                    "corrections": inline_formset([]),
                    "reader_comments": "open",
                }
            ),
        )
        blog = LiveBlogPage.objects.get(slug="election-day")
        assert not blog.writers_may_post and list(blog.get_entries()) == []


def test_story_types_are_exported_by_the_models_package():
    assert "LiveBlogPage" in news.models.__all__
    assert all(hasattr(news.models, name) for name in news.models.__all__)


def test_the_template_extends_the_story_layout_and_fills_its_body():
    template = get_template("news/live_blog_page.html").template
    extends = template.nodelist[0]
    assert isinstance(extends, ExtendsNode)
    assert extends.parent_name.var == "news/story_page.html"
    assert "story_body" in {node.name for node in extends.nodelist.get_nodes_by_type(BlockNode)}


@pytest.fixture
def blog(health):
    blog = LiveBlogPageFactory(parent=health, title="Election night", key_points="<p>Turnout is high.</p>")
    start = timezone.now() - timedelta(hours=2)
    for n in range(3):
        LiveBlogEntryFactory(page=blog, headline=f"Update {n}", posted_at=start + timedelta(minutes=n))
    return blog


def test_the_page_shows_the_shared_story_layout_and_its_own_body(client, blog):
    response = client.get(blog.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    trail = [li.get_text(strip=True) for li in soup.select("nav[aria-label=Breadcrumb] li")]
    assert trail == ["Home", "Health", "Election night"]
    assert soup.select_one("h1.article__headline").get_text() == "Election night"
    assert soup.select_one(".live-label").get_text(strip=True) == "Live"
    assert "Turnout is high." in soup.select_one(".live-blog__key-points").get_text()
    headlines = [h.get_text() for h in soup.select(".live-blog__headline")]
    assert headlines == ["Update 2", "Update 1", "Update 0"]
    assert soup.select_one("#comments form") is not None


def test_listings_pick_the_story_type_up_with_no_edit(client, blog):
    assert card_titles(client.get(blog.get_parent().url).text) == ["Election night"]
    assert card_titles(client.get("/").text)[0] == "Election night"
    site_feed = parse_xml(client.get("/feed/").content).find("channel").findall("item")
    assert [item.findtext("title") for item in site_feed] == ["Election night"]
    assert card_titles(client.get("/search/", {"q": "Election"}).text) == ["Election night"]
    api = client.get("/api/v2/pages/", {"type": "news.StoryPage"}).json()
    assert [item["title"] for item in api["items"]] == ["Election night"]


def test_page_costs_the_same_queries_with_3_entries_as_with_30(client, blog, django_assert_max_num_queries):
    client.get(blog.url)  # warm per-process caches (content types, site root paths)
    with django_assert_max_num_queries(LIVE_BLOG_QUERY_BUDGET) as few:
        client.get(blog.url)
    for n in range(27):
        LiveBlogEntryFactory(page=blog, headline=f"Later update {n}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(blog.url)
    assert response.text.count('class="live-blog__entry"') == 30


def test_breadcrumbs_render_from_a_template_string(rf, blog):
    html = Template("{% load newsroom_tags %}{% breadcrumbs %}").render(
        Context({"page": blog, "request": rf.get(blog.url)})
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get_text() for a in soup.select("nav a")] == ["Home", "Health"]
    assert soup.select_one('script[type="application/ld+json"]') is not None


# Adding a body block: the doc's callout block, built and rendered as the doc writes it


@pytest.fixture
def callout_template(settings):
    """The doc's template for the block, served as templates/news/blocks/callout_block.html."""
    engine = dict(settings.TEMPLATES[0], APP_DIRS=False)
    engine["OPTIONS"] = dict(
        engine["OPTIONS"],
        loaders=[
            ("django.template.loaders.locmem.Loader", {"news/blocks/callout_block.html": doc_template()}),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
    settings.TEMPLATES = [engine]


def doc_template() -> str:
    return snippet_containing('<aside class="block-callout">')


def doc_callout_block() -> type[blocks.StructBlock]:
    namespace = {}
    # The imports the doc asks for at the top of news/blocks.py.
    exec(  # noqa: S102 - the doc's own code
        "from urllib.parse import urlsplit\nfrom wagtail import blocks\n"
        + snippet_containing("class CalloutBlock(blocks.StructBlock):"),
        namespace,
    )
    return namespace["CalloutBlock"]


def test_the_doc_callout_block_joins_the_body_block_as_written():
    namespace = {"blocks": blocks, "CalloutBlock": doc_callout_block()}
    exec(snippet_containing("callout = CalloutBlock()"), namespace)  # noqa: S102 - the doc's own code
    assert "callout" in namespace["ArticleBodyBlock"].base_blocks
    assert f'id="icon-{doc_callout_block()().meta.icon}"' in get_icons()


def test_the_doc_callout_block_renders_and_passes_the_docs_test(callout_template):
    body_block = type("ArticleBodyBlock", (ArticleBodyBlock,), {"callout": doc_callout_block()()})()

    def render(block_type: str, raw_value) -> BeautifulSoup:
        # As tests/news/test_blocks.py's helper, on the body block with the callout added.
        block = body_block.child_blocks[block_type]
        return BeautifulSoup(block.render(block.to_python(raw_value)), "html.parser")

    callout = body_block.child_blocks["callout"]
    preview = BeautifulSoup(callout.render(callout.get_preview_value()), "html.parser")
    assert "Corrections are listed at the foot of the page." in preview.get_text()
    namespace = {"render": render}
    exec(snippet_containing("def test_callout_renders_its_text_and_link"), namespace)  # noqa: S102
    namespace["test_callout_renders_its_text_and_link"]()
    escaped = render("callout", {"text": "<b>Bold</b> claim", "link": ""})
    assert escaped.select_one("b") is None


# Adding a reader-comments-enabled page type


def test_story_types_take_reader_comments_with_their_editors_switch():
    assert LiveBlogPage in commentable_models()
    assert issubclass(LiveBlogPage, ReaderCommentsMixin)
    assert "reader_comments" in LiveBlogPage.get_edit_handler().get_form_class().base_fields


def test_the_docs_comments_snippet_shows_the_form(rf, blog):
    request = rf.get(blog.url)
    request.user = AnonymousUser()
    html = Template(snippet_containing("{% reader_comments page %}\n</section>")).render(
        Context({"page": blog, "request": request})
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#comments-heading").get_text() == "Comments"
    assert soup.select_one("form.comment-form") is not None


@pytest.fixture
def no_minimum_fill_time(site):
    comment_settings = ReaderCommentSettings.for_site(site)
    comment_settings.min_seconds_to_fill = 0
    comment_settings.save()


def test_a_reader_replies_to_a_comment_on_a_live_blog(client, blog, no_minimum_fill_time):
    assert post_comment(client, blog.url, comment="First!").status_code == 302
    first = ReaderComment.objects.get(comment="First!")
    assert post_comment(client, blog.url, comment="Second.", reply_to=str(first.pk)).status_code == 302
    assert ReaderComment.objects.get(comment="Second.").level == 1
