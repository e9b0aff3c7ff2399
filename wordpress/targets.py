"""Every place where the WordPress import touches the news models, in one module.

The news app is being reshaped (a shared story base, renamed byline relation);
keeping the import's knowledge of its fields here means only this file follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.models import Page, Site

from discussion.models import ReaderCommentsMixin, ReaderCommentsMode
from news.models import Author, CategoryIndexPage, NewsArticlePage, StoryAuthor, StoryTag
from pages.models import ContentPage

ARTICLE_MODEL = NewsArticlePage
SECTION_MODEL = CategoryIndexPage
CONTENT_PAGE_MODEL = ContentPage
AUTHOR_MODEL = Author
TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length


@dataclass
class ArticleFields:
    title: str
    slug: str
    standfirst: str = ""
    body: list[dict] = field(default_factory=list)
    display_date: datetime | None = None
    lead_image_id: int | None = None
    lead_image_alt_text: str = ""
    comments_open: bool = True


def home_page() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise LookupError("there is no default site with a home page; run migrate first")
    return site.root_page.specific


def find_section(root: Page, slug: str) -> CategoryIndexPage | None:
    """An existing section with this slug anywhere below `root` (sections are matched by slug)."""
    return CategoryIndexPage.objects.descendant_of(root).filter(slug=slug).order_by("path").first()


def new_section(title: str, slug: str, intro: str = "") -> CategoryIndexPage:
    return CategoryIndexPage(title=title, slug=slug, intro=intro, show_in_menus=True)


def new_article(fields: ArticleFields) -> NewsArticlePage:
    return NewsArticlePage(
        title=fields.title,
        slug=fields.slug,
        standfirst=fields.standfirst,
        body=fields.body,
        display_date=fields.display_date,
        lead_image_id=fields.lead_image_id,
        lead_image_alt_text=fields.lead_image_alt_text,
        reader_comments=ReaderCommentsMode.OPEN if fields.comments_open else ReaderCommentsMode.CLOSED,
    )


def written_in_bulk(page: Page) -> bool:
    """Whether a new page of this type may be stored with its batch's, without its save
    (whose work `set_save_defaults` does): stories, the bulk of an archive."""
    return type(page) is NewsArticlePage


def set_save_defaults(page: NewsArticlePage) -> None:
    """What StoryPage.save sets before a story's first write: its display date defaults to its
    first publication, and it has no notes."""
    if page.display_date is None and page.first_published_at is not None:
        page.display_date = page.first_published_at
    page.latest_note_at = None


def new_content_page(title: str, slug: str, body: list[dict]) -> ContentPage:
    return ContentPage(title=title, slug=slug, body=body)


def byline_and_tags(
    page: NewsArticlePage, authors: Sequence[Author], tags: Sequence[Tag]
) -> list[models.Model]:
    """After the page's first save: its byline (in the given order) and tag rows, not yet saved.

    The rows stay on the page as its in-memory relations, so its first revision
    is built without reading them back; the caller inserts them with the rest of
    its batch's.
    """
    byline = [
        StoryAuthor(page=page, author=author, sort_order=n) for n, author in enumerate(dict.fromkeys(authors))
    ]
    tagged = [StoryTag(content_object=page, tag=tag) for tag in dict.fromkeys(tags)]
    page.story_authors = byline
    page.tagged_items = tagged
    return [*byline, *tagged]


def get_or_create_tag(name: str) -> Tag:
    """A tag by name (case-insensitive), with a slug the tag page's URL accepts.

    taggit would give a name of only symbols an empty slug, and its tag page
    link would then fail to build.
    """
    name = " ".join(name.split())[:TAG_NAME_MAX_LENGTH]
    base = slugify(name, allow_unicode=True)[: TAG_SLUG_MAX_LENGTH - 8] or "tag"
    # One query answers both questions: is there such a tag, and is its slug free.
    found = list(
        Tag.objects.filter(Q(name__iexact=name) | Q(slug=base))
        .annotate(same_name=Case(When(name__iexact=name, then=Value(True)), default=Value(False)))
        .order_by("-same_name", "pk")
    )
    if found and found[0].same_name:
        return found[0]
    slug, n, taken = base, 1, bool(found)
    while taken:
        n += 1
        slug = f"{base}-{n}"
        taken = Tag.objects.filter(slug=slug).exists()
    return Tag.objects.create(name=name, slug=slug)


def listing_paths(tags: Iterable[Tag], authors: Iterable[Author]) -> list[str]:
    """The tag and author pages, which list stories outside the page tree."""
    return [reverse("tag_index", args=[tag.slug]) for tag in tags] + [
        author.get_absolute_url() for author in authors
    ]


def find_author(slug: str) -> Author | None:
    return Author.objects.filter(slug=slug).first()


def create_author(name: str, slug: str) -> Author:
    return Author.objects.create(name=name[:255], slug=slug)


def author_slug_taken(slug: str) -> bool:
    return Author.objects.filter(slug=slug).exists()


def set_lead_story(home: Page, article: NewsArticlePage) -> bool:
    """Make `article` the front page's lead story; False when it already is."""
    home = home.specific
    if not hasattr(home, "make_lead_story") or not home.make_lead_story(article):
        return False
    home.save_revision().publish()
    return True


def comment_target_models() -> tuple[type[models.Model], ...]:
    """Page types the import gives their WordPress comments: stories, and content pages,
    which keep those of WordPress pages whether or not their type shows them."""
    return (NewsArticlePage, ContentPage)


def shows_reader_comments(page: object) -> bool:
    """Whether readers see the comments of `page`: its type opted in to reader comments."""
    return isinstance(page, ReaderCommentsMixin)
