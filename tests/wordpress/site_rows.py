"""Every row an import writes, in a form two imports of the same export can be compared by.

Database ids differ from one import to the next (PostgreSQL does not give back the
ids of a rolled-back import), so each row names what it points to by something
the export decides: a page by its URL path, a comment by its WordPress id. What
is random or read from the clock is left out or rounded to "now": block ids,
translation keys, the time of the import.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from django_comments_xtd.models import XtdComment

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, PageViewRestriction, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from discussion.models import CommentScreening
from news.models import Author, NewsArticlePage, StoryAuthor, StoryTag
from pages.models import ContentPage
from wordpress.models import WordPressItem, WordPressKind

# Keys of serialised pages and blocks whose values are ids or random.
VOLATILE_KEYS = {
    "pk",
    "id",
    "content_object",
    "translation_key",
    "latest_revision",
    "live_revision",
    "content_type",
}


# Keys of serialised pages and blocks whose values are ids of pages, authors or tags.
PAGE_KEYS = {"story", "section", "page"}


def _when(value):
    """A datetime, or "now" for one the import read from its clock."""
    if value is None or not hasattr(value, "tzinfo"):
        return value
    return "now" if abs(timezone.now() - value) < timedelta(hours=1) else value.isoformat()


def _clean(value, names: dict[str, dict[int, str]]):
    """Serialised content without ids: pages it names by their URL paths (a front page's
    layout names its stories), authors and tags by their slugs; the import's own times as "now"."""
    if isinstance(value, dict):
        return {
            key: names[key].get(item, item) if key in names and isinstance(item, int) else _clean(item, names)
            for key, item in sorted(value.items())
            if key not in VOLATILE_KEYS
        }
    if isinstance(value, list):
        return [_clean(item, names) for item in value]
    if isinstance(value, str) and value[:2] in ("[{", '{"'):
        try:
            return _clean(json.loads(value), names)
        except ValueError:
            return value
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return _when(datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def site_rows() -> dict[str, list]:
    """Each table the import writes, as sorted comparable rows."""
    pages = {page.pk: page for page in Page.objects.all()}
    url = {pk: page.url_path for pk, page in pages.items()}
    comment_ids = {
        int(object_id): wordpress_id
        for object_id, wordpress_id in WordPressItem.objects.filter(kind=WordPressKind.COMMENT).values_list(
            "object_id", "wordpress_id"
        )
    }
    model_of = {ct.pk: ct.model for ct in ContentType.objects.all()}
    names = dict.fromkeys(PAGE_KEYS, url) | {
        "author": dict(Author.objects.values_list("pk", "slug")),
        "tag": dict(Tag.objects.values_list("pk", "slug")),
    }

    page_types = {page.content_type_id for page in pages.values()}

    def named(content_type_id: int, object_id) -> object:
        """A page by its URL path, an author or tag by its slug, a comment by its WordPress id."""
        if not str(object_id).isdigit():
            return object_id
        if content_type_id in page_types:
            return url.get(int(object_id), object_id)
        model = model_of[content_type_id]
        if model in names:
            return names[model].get(int(object_id), object_id)
        if model in ("comment", "xtdcomment"):
            return comment_ids.get(int(object_id), object_id)
        return object_id

    rows: dict[str, list] = {}
    rows["pages"] = sorted(
        (
            page.url_path,
            page.path,
            page.depth,
            page.numchild,
            page.title,
            page.draft_title,
            page.slug,
            model_of[page.content_type_id],
            page.live,
            page.has_unpublished_changes,
            _when(page.first_published_at),
            _when(page.last_published_at),
            _when(page.go_live_at),
            _when(page.latest_revision_created_at),
            page.latest_revision_id is not None,
            page.live_revision_id is not None,
            page.live_revision_id == page.latest_revision_id,
            page.show_in_menus,
            page.locale_id,
        )
        for page in pages.values()
    )
    rows["articles"] = sorted(
        (
            url[article.pk],
            article.standfirst,
            _clean(list(article.body.raw_data), names),
            _when(article.display_date),
            article.lead_image_id,
            article.lead_image_alt_text,
            article.reader_comments,
        )
        for article in NewsArticlePage.objects.all()
    )
    rows["content pages"] = sorted(
        (url[page.pk], _clean(list(page.body.raw_data), names)) for page in ContentPage.objects.all()
    )
    rows["revisions"] = sorted(
        (
            url.get(int(revision.object_id)),
            model_of[revision.content_type_id],
            model_of[revision.base_content_type_id],
            revision.object_str,
            _when(revision.created_at),
            _when(revision.approved_go_live_at),
            repr(_clean(revision.content, names)),
            pages[int(revision.object_id)].latest_revision_id == revision.pk,
        )
        for revision in Revision.objects.all()
    )
    rows["history"] = sorted(
        (
            url.get(entry.page_id),
            entry.action,
            entry.label,
            model_of[entry.content_type_id],
            entry.revision_id is not None,
            entry.content_changed,
        )
        for entry in PageLogEntry.objects.all()
    )
    rows["redirects"] = sorted(
        (redirect.old_path, url.get(redirect.redirect_page_id), redirect.is_permanent, redirect.site_id)
        for redirect in Redirect.objects.all()
    )
    rows["bylines"] = sorted(
        (url[row.page_id], row.author.slug, row.sort_order)
        for row in StoryAuthor.objects.select_related("author")
    )
    rows["tags"] = sorted(
        (url[row.content_object_id], row.tag.name) for row in StoryTag.objects.select_related("tag")
    )
    rows["tag names"] = sorted(Tag.objects.values_list("name", "slug"))
    rows["restrictions"] = sorted(
        (url[row.page_id], row.restriction_type, row.password) for row in PageViewRestriction.objects.all()
    )
    threads = {comment.pk: comment for comment in XtdComment.objects.all()}
    rows["comments"] = sorted(
        (
            comment_ids.get(comment.pk),
            model_of[comment.content_type_id],
            url.get(int(comment.object_pk)),
            comment.user_name,
            comment.user_email,
            comment.user_url,
            comment.comment,
            _when(comment.submit_date),
            comment.is_public,
            comment.is_removed,
            comment_ids.get(comment.thread_id),
            comment_ids.get(comment.parent_id),
            comment.level,
            comment.order,
            comment.nested_count,
            comment.followup,
        )
        for comment in threads.values()
    )
    rows["screening"] = sorted(
        (comment_ids.get(row.comment_id), row.is_spam, row.reasons) for row in CommentScreening.objects.all()
    )
    rows["records"] = sorted(
        (
            record.kind,
            record.wordpress_id,
            model_of[record.content_type_id],
            named(record.content_type_id, record.object_id),
        )
        for record in WordPressItem.objects.all()
    )
    rows["references"] = sorted(
        (
            model_of[row.content_type_id],
            named(row.content_type_id, row.object_id),
            model_of[row.to_content_type_id],
            row.model_path,
            # Block ids are random and child rows' ids differ: both left as "*".
            re.sub(r"(?<=\.)(\d+|[0-9a-f-]{36})(?=\.|$)", "*", row.content_path),
        )
        for row in ReferenceIndex.objects.all()
    )
    rows["search"] = sorted(
        (
            model_of[entry.content_type_id],
            named(entry.content_type_id, entry.object_id),
            entry.title,
            entry.autocomplete,
            str(entry.body),
        )
        for entry in IndexEntry.objects.all()
    )
    return rows
