"""A realistic, reproducible newsroom at any size, for the local site and for benchmarks.

Sections nest, authors sign stories, tags follow a long tail, pictures are
real photographs under free terms (news/demo_photos, credited), one live blog
is running and a few have ended, and readers argue in threads. The
same seed gives the same site. Stories and comments are written in bulk
(tree paths computed here rather than by `add_child` one at a time; comment
thread fields computed as django-comments-xtd would), so ten thousand stories
and a hundred thousand comments take minutes, not hours.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from core.image_credits import save_credit

from .demo_photos import PHOTOS, DemoPhoto
from .models import (
    Author,
    CategoryIndexPage,
    LiveBlogEntry,
    LiveBlogPage,
    NewsArticlePage,
    StoryAuthor,
    StoryPage,
    StoryTag,
)

# Top-level sections with their sub-sections and their share of the stories.
# News carries most, as on a real site, so its listing runs hundreds of pages deep.
SECTIONS: list[tuple[str, float, list[str]]] = [
    ("News", 0.45, ["World", "Politics", "Business"]),
    ("Science", 0.2, ["Health", "Climate", "Space"]),
    ("Culture", 0.15, ["Books", "Film"]),
    ("Sport", 0.2, ["Football", "Tennis"]),
]
# Who acts in a headline, and whether the verb agrees in the plural ("Researchers warn")
# or the singular ("A startup warns").
SUBJECTS: list[tuple[str, bool]] = [
    ("Researchers", True),
    ("The council", False),
    ("Ministers", True),
    ("A new study", False),
    ("Farmers", True),
    ("Engineers", True),
    ("Doctors", True),
    ("Voters", True),
    ("The central bank", False),
    ("Astronomers", True),
    ("Teachers", True),
    ("Regulators", True),
    ("Local residents", True),
    ("The coach", False),
    ("A startup", False),
    ("Climate scientists", True),
    ("The museum", False),
    ("Nurses", True),
    ("Economists", True),
    ("Pilots", True),
]
# Each verb in the plural and in the singular.
VERBS: list[tuple[str, str]] = [
    ("warn about", "warns about"),
    ("celebrate", "celebrates"),
    ("question", "questions"),
    ("uncover", "uncovers"),
    ("rethink", "rethinks"),
    ("plan for", "plans for"),
    ("push back on", "pushes back on"),
    ("map", "maps"),
    ("test", "tests"),
    ("measure", "measures"),
    ("debate", "debates"),
    ("prepare for", "prepares for"),
    ("report on", "reports on"),
    ("bet on", "bets on"),
    ("look into", "looks into"),
]
OBJECTS = [
    "rising sea levels",
    "the housing shortage",
    "a forgotten vaccine",
    "night trains",
    "the city budget",
    "a comet's return",
    "four-day weeks",
    "heat waves",
    "river pollution",
    "the transfer window",
    "reading habits",
    "quantum sensors",
    "water prices",
    "rare birds",
    "the election map",
    "school meals",
    "wind farms",
    "an ancient shipwreck",
    "antibiotic resistance",
    "the final set",
    "grain exports",
    "urban forests",
    "sleep and memory",
    "battery recycling",
]
TAGS = [
    "research",
    "climate",
    "health",
    "economy",
    "elections",
    "europe",
    "asia",
    "africa",
    "americas",
    "energy",
    "transport",
    "education",
    "housing",
    "technology",
    "space",
    "oceans",
    "football",
    "tennis",
    "books",
    "film",
    "music",
    "agriculture",
    "water",
    "cities",
    "law",
    "labour",
    "trade",
    "medicine",
    "vaccines",
    "cancer",
    "ai",
    "privacy",
    "wildlife",
    "weather",
    "history",
    "archaeology",
    "budget",
    "tax",
    "pensions",
    "migration",
    "defence",
    "diplomacy",
    "startups",
    "banks",
    "inflation",
    "jobs",
    "schools",
    "universities",
    "sleep",
    "nutrition",
]
FIRST_NAMES = ["Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kofi", "Lena"]
LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Patel", "Yilmaz", "Nakamura", "García", "Novak", "Reyes"]
SENTENCES = [
    "The findings were published on Tuesday after two years of work.",
    "Officials said the plan would be reviewed again in the spring.",
    "Critics argue that the figures leave out the smallest towns.",
    "Early results suggest the effect is larger than expected.",
    "The team now wants to repeat the measurements elsewhere.",
    "Several groups have already asked to see the raw data.",
    "Nobody expects a quick answer, the report's authors said.",
    "The cost is shared between the region and private partners.",
    "Similar trials abroad have had mixed results.",
    "Residents will be able to comment on the proposal until June.",
]
COMMENTS = [
    "Interesting read, thanks.",
    "I am not convinced by the numbers here.",
    "Does anyone have a link to the original report?",
    "This happened in my town too.",
    "Great reporting, as usual.",
    "The headline oversells it a little.",
    "Finally someone asks the right question.",
    "What about the long-term costs?",
]
LIVE_BLOGS = 3
LIVE_BLOG_ENTRIES = 40
# Stories and comments are written this many rows at a time.
BATCH = 1000
# A standfirst says a little more than its headline, in one sentence: `{subject}` and
# `{Subject}` are the headline's subject, `{say}` agrees with it, `{object}` is what it is about.
STANDFIRSTS = [
    "{Subject} {say} the debate over {object} is far from settled.",
    "Nobody expects a quick answer on {object}, {subject} {say}.",
    "Critics say the figures on {object} leave out the smallest towns.",
    "Officials said plans for {object} would be reviewed again in the spring.",
    "Similar efforts on {object} abroad have had mixed results.",
    "Residents can comment on the proposals for {object} until June.",
    "Here is what the new findings on {object} mean, and what happens next.",
    "The question of {object} is back on the agenda, and {subject} {say} it will not go away.",
]


@dataclass(frozen=True)
class HeadlineParts:
    subject: str
    plural: bool
    verb: str
    object: str


def headline_text(parts: HeadlineParts) -> str:
    return f"{parts.subject} {parts.verb} {parts.object}"


def lowercase_subject(subject: str) -> str:
    """The subject as it reads inside a sentence ("the council"): every subject here is a common noun."""
    return subject[0].lower() + subject[1:]


class DemoContent:
    """Builds the dataset; `run()` returns what it created (counts by kind)."""

    def __init__(
        self,
        articles: int,
        comments: int,
        seed: int = 1,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.articles, self.comments, self.seed = articles, comments, seed
        # Not for secrets: a seeded generator makes the same site twice.
        self.random = random.Random(seed)  # noqa: S311
        self.progress = progress or (lambda label, done, total: None)
        self.now = timezone.now().replace(microsecond=0)
        self.alt_texts: dict[int, str] = {}

    # -- the whole run --------------------------------------------------------

    def run(self, home: Page) -> dict[str, int]:
        with transaction.atomic():
            sections = self.make_sections(home)
            images = self.make_images()
            authors = self.make_authors()
            tags = self.make_tags()
            stories = self.make_articles(sections, images, authors, tags)
            live_blogs = self.make_live_blogs(sections, images, authors)
            comment_total = self.make_comments(stories + live_blogs)
        self.index(stories + live_blogs)
        return {
            "sections": len(sections),
            "articles": len(stories),
            "live_blogs": len(live_blogs),
            "comments": comment_total,
            "images": len(images),
        }

    # -- sections, people, pictures, tags --------------------------------------

    def make_sections(self, home: Page) -> list[tuple[CategoryIndexPage, float]]:
        """(leaf section, share of stories); sections that exist (by slug) are reused."""
        leaves = []
        for title, share, children in SECTIONS:
            top = self._section(home, home, title)
            for child in children:
                leaves.append((self._section(home, top, child), share / len(children)))
        return leaves

    def _section(self, home: Page, parent: Page, title: str) -> CategoryIndexPage:
        existing = CategoryIndexPage.objects.child_of(parent).filter(slug=slugify(title)).first()
        # A section of that name elsewhere (the seed article's Health, at the top)
        # takes the stories: readers never see two sections called the same.
        existing = existing or (
            CategoryIndexPage.objects.descendant_of(home).filter(title__iexact=title).order_by("path").first()
        )
        if existing is not None:
            return existing
        section = CategoryIndexPage(
            title=title,
            slug=slugify(title),
            intro=f"<p>The latest from {title}.</p>",
            show_in_menus=True,
            live=True,
            first_published_at=self.now,
            last_published_at=self.now,
        )
        parent.add_child(instance=section)
        return section

    def make_images(self) -> list:
        """The demo photographs in the image library, each once, with its credit and focal point.

        Made on the first run and found again on later ones, so ten thousand stories share ten files.
        """
        images = [demo_photo_image(photo) for photo in PHOTOS]
        # What each picture shows, for readers who cannot see it, wherever a story uses it.
        self.alt_texts = {image.pk: photo.alt_text for image, photo in zip(images, PHOTOS, strict=True)}
        return images

    def make_authors(self) -> list[Author]:
        names = sorted({f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES})
        names = self.random.sample(names, 24)
        # Drawn for every name, so a second run with the same seed stays in step.
        roles = [self.random.choice(["Reporter", "Editor", "Correspondent"]) for _ in names]
        existing = set(Author.objects.filter(slug__in=map(slugify, names)).values_list("slug", flat=True))
        new = [
            Author(name=name, slug=slugify(name), role=role)
            for name, role in zip(names, roles, strict=True)
            if slugify(name) not in existing
        ]
        Author.objects.bulk_create(new)
        return list(Author.objects.filter(slug__in=[slugify(name) for name in names]).order_by("slug"))

    def make_tags(self) -> list[Tag]:
        for name in TAGS:
            Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        by_slug = {tag.slug: tag for tag in Tag.objects.filter(slug__in=[slugify(name) for name in TAGS])}
        return [by_slug[slugify(name)] for name in TAGS]

    # -- stories ---------------------------------------------------------------

    def make_articles(self, sections, images, authors, tags) -> list[int]:
        """News articles spread over the last two years, newest today; their ids."""
        rng = self.random
        content_type = ContentType.objects.get_for_model(NewsArticlePage)
        leaves = [section for section, _ in sections]
        weights = [share for _, share in sections]
        placements = rng.choices(range(len(leaves)), weights=weights, k=self.articles)
        # Newest first in creation order is irrelevant; dates are what listings sort by.
        span = timedelta(days=730)
        dates = sorted(
            (
                self.now - timedelta(seconds=rng.randrange(int(span.total_seconds())))
                for _ in range(self.articles)
            ),
            reverse=True,
        )
        if dates:
            dates[0] = self.now - timedelta(minutes=5)
        ids: list[int] = []
        next_step = {section.pk: self._next_step(section) for section in leaves}
        taken = {
            section.pk: set(Page.objects.child_of(section).values_list("slug", flat=True))
            for section in leaves
        }
        locale_id = Locale.get_default().pk
        for start in range(0, self.articles, BATCH):
            chunk = range(start, min(start + BATCH, self.articles))
            pages, stories, articles, links, tag_links = [], [], [], [], []
            standfirsts = []
            for n in chunk:
                section = leaves[placements[n]]
                parts = self._headline_parts()
                headline = headline_text(parts)
                standfirsts.append(self._standfirst(parts))
                slug = free_slug(headline, taken[section.pk])
                step = next_step[section.pk]
                next_step[section.pk] += 1
                when = dates[n]
                pages.append(
                    Page(
                        title=headline,
                        draft_title=headline,
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(section.path, section.depth + 1, step),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=when,
                        last_published_at=when,
                        locale_id=locale_id,
                        translation_key=uuid.UUID(int=rng.getrandbits(128)),
                    )
                )
            Page.objects.bulk_create(pages)
            for page, standfirst in zip(pages, standfirsts, strict=True):
                image = images[rng.randrange(len(images))] if rng.random() < 0.9 else None
                story = StoryPage(
                    page_ptr_id=page.pk,
                    subheadline=rng.choice(["", "Analysis", "Explainer", "Interview", "Exclusive"]),
                    standfirst=standfirst,
                    display_date=page.first_published_at,
                    lead_image=image,
                    # Caption and credit left empty: the photograph's own show under it.
                    lead_image_alt_text=self._alt_text(image),
                    reader_comments="open",
                )
                stories.append(story)
                articles.append(
                    NewsArticlePage(storypage_ptr_id=page.pk, page_ptr_id=page.pk, body=self._body(images))
                )
                for order, author in enumerate(rng.sample(authors, rng.choice([1, 1, 1, 2, 2, 3]))):
                    links.append(StoryAuthor(page_id=page.pk, author=author, sort_order=order))
                # A long tail: a few tags are on many stories, most on few.
                count = rng.choice([1, 2, 2, 3, 3, 4])
                chosen = {tags[min(int(rng.paretovariate(1.1)) - 1, len(tags) - 1)] for _ in range(count)}
                tag_links.extend(StoryTag(content_object_id=page.pk, tag=tag) for tag in chosen)
                ids.append(page.pk)
            insert_rows(StoryPage, stories)
            insert_rows(NewsArticlePage, articles)
            StoryAuthor.objects.bulk_create(links)
            StoryTag.objects.bulk_create(tag_links)
            self.progress("Articles", len(ids), self.articles)
        for section in leaves:
            Page.objects.filter(pk=section.pk).update(numchild=Page.objects.child_of(section).count())
        return ids

    def _next_step(self, parent: Page) -> int:
        last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
        return Page._str2int(last[-Page.steplen :]) + 1 if last else 1

    def _headline_parts(self) -> HeadlineParts:
        rng = self.random
        subject, plural = rng.choice(SUBJECTS)
        return HeadlineParts(subject, plural, rng.choice(VERBS)[0 if plural else 1], rng.choice(OBJECTS))

    def _headline(self) -> str:
        return headline_text(self._headline_parts())

    def _standfirst(self, parts: HeadlineParts) -> str:
        """One sentence about the headline's subject or object, the verb agreeing with the subject."""
        template = self.random.choice(STANDFIRSTS)
        return template.format(
            Subject=parts.subject,
            subject=lowercase_subject(parts.subject),
            say="say" if parts.plural else "says",
            object=parts.object,
        )

    def _alt_text(self, image) -> str:
        return self.alt_texts.get(image.pk, "") if image is not None else ""

    def _sentence(self) -> str:
        return self.random.choice(SENTENCES)

    def _body(self, images: Sequence) -> str:
        """A body of 4 to 14 blocks: paragraphs, headings, now and then a picture, quote or fact box."""
        rng = self.random
        blocks = []
        for n in range(rng.randrange(4, 15)):
            kind = rng.choices(["paragraph", "heading", "image", "quote", "fact_box"], [70, 12, 8, 5, 5])[0]
            if n == 0:
                kind = "paragraph"
            if kind == "paragraph":
                value = "<p>" + " ".join(rng.choice(SENTENCES) for _ in range(rng.randrange(2, 6))) + "</p>"
            elif kind == "heading":
                value = {"text": rng.choice(OBJECTS).capitalize(), "level": "h2", "anchor": ""}
            elif kind == "image":
                image = images[rng.randrange(len(images))]
                value = {
                    "image": image.pk,
                    "alt_text": self._alt_text(image),
                    "caption": "",
                    "credit": "",
                }
            elif kind == "quote":
                value = {"text": rng.choice(SENTENCES), "attribution": rng.choice(SUBJECTS)[0], "role": ""}
            else:
                items = "".join(f"<li>{rng.choice(SENTENCES)}</li>" for _ in range(3))
                value = {"title": "Key facts", "body": f"<ul>{items}</ul>"}
            blocks.append({"type": kind, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128)))})
        return NewsArticlePage._meta.get_field("body").to_python(json.dumps(blocks))

    def make_live_blogs(self, sections, images, authors) -> list[int]:
        """A few live blogs, made the ordinary way (they are few), each with its entries.

        The first is still running: an entry every few minutes over the last hours, the
        newest a moment ago, as a reader opening the demo would find one. The others have ended.
        """
        rng = self.random
        ids = []
        top_news = sections[0][0]
        taken: set[str] = set()
        for n in range(LIVE_BLOGS if self.articles >= 20 else 0):
            title = f"Live: {self._headline().lower()}"
            # A blog of this title from an earlier run is kept, not made twice.
            slug = free_slug(title, taken)
            if LiveBlogPage.objects.filter(slug=slug).exists():
                ids.append(LiveBlogPage.objects.get(slug=slug).pk)
                continue
            running = n == 0
            times = self._entry_times(running)
            opened = times[0] - timedelta(minutes=rng.randrange(5, 20))
            image = images[rng.randrange(len(images))]
            blog = LiveBlogPage(
                title=title,
                slug=slug,
                standfirst="Follow the latest as it happens." if running else "Our coverage as it happened.",
                lead_image=image,
                lead_image_alt_text=self._alt_text(image),
                live=True,
                first_published_at=opened,
                last_published_at=opened,
                display_date=opened,
                status="live" if running else "ended",
                coverage_end=None if running else times[-1] + timedelta(minutes=rng.randrange(5, 30)),
            )
            top_news.add_child(instance=blog)
            # Entries are rows of their own, each with its first revision, as the live desk posts them.
            for m, posted_at in enumerate(times):
                LiveBlogEntry(
                    page=blog,
                    posted_at=posted_at,
                    headline=self._headline() if m % 3 == 0 else "",
                    body=f"<p>{self._sentence()}</p>",
                    image=images[rng.randrange(len(images))] if m % 8 == 5 else None,
                    author=rng.choice(authors),
                ).save_change()
            ids.append(blog.pk)
        return ids

    def _entry_times(self, running: bool) -> list[datetime]:
        """When a blog's entries were posted, oldest first: a few minutes apart, never in the future.

        A running blog's newest entry is one to four minutes old; an ended blog's coverage
        stopped between eight hours and three days ago.
        """
        rng = self.random
        newest = self.now - (
            timedelta(minutes=rng.randrange(1, 5)) if running else timedelta(hours=rng.randrange(8, 72))
        )
        times = [newest]
        for _ in range(LIVE_BLOG_ENTRIES - 1):
            times.append(times[-1] - timedelta(minutes=rng.randrange(2, 9), seconds=rng.randrange(60)))
        return times[::-1]

    # -- reader comments ------------------------------------------------------

    def make_comments(self, story_ids: list[int]) -> int:
        """Threads of comments, a few stories drawing most of them, as on a real site."""
        if not story_ids or not self.comments:
            return 0
        rng = self.random
        weights = [rng.paretovariate(1.0) for _ in story_ids]
        per_story: dict[int, int] = {}
        for pk in rng.choices(story_ids, weights=weights, k=self.comments):
            per_story[pk] = per_story.get(pk, 0) + 1
        kinds = dict(Page.objects.filter(pk__in=list(per_story)).values_list("pk", "content_type_id"))
        dates = dict(StoryPage.objects.filter(pk__in=list(per_story)).values_list("pk", "display_date"))
        pending: list[tuple[Comment, dict]] = []
        done = 0
        for pk, count in per_story.items():
            for comment, thread_fields in self._threads(pk, kinds[pk], dates[pk], count):
                pending.append((comment, thread_fields))
            if len(pending) >= BATCH:
                done += self._write_comments(pending)
                pending = []
                self.progress("Comments", done, self.comments)
        done += self._write_comments(pending)
        self.progress("Comments", done, self.comments)
        return done

    def _threads(self, story_id: int, content_type_id: int, published: datetime, count: int):
        """(comment, thread shape) in django-comments-xtd's order: thread by thread, depth first."""
        rng = self.random
        made = 0
        while made < count:
            size = min(count - made, 1 + int(rng.paretovariate(1.3)) - 1 + rng.randrange(0, 4))
            # A tree of `size` nodes: each reply picks an earlier comment of the thread, depth at most 3.
            parents = [-1]
            levels = [0]
            for i in range(1, size):
                parent = rng.randrange(i)
                if levels[parent] >= 3:
                    parent = 0
                parents.append(parent)
                levels.append(levels[parent] + 1)
            children: dict[int, list[int]] = {}
            for i in range(1, size):
                children.setdefault(parents[i], []).append(i)
            order: list[int] = []

            def walk(node: int, order: list[int] = order, children: dict = children) -> None:
                order.append(node)
                for child in children.get(node, []):
                    walk(child)

            walk(0)
            descendants = [0] * size
            for node in reversed(order):
                if parents[node] >= 0:
                    descendants[parents[node]] += descendants[node] + 1
            start = published + timedelta(minutes=rng.randrange(1, 600))
            for position, node in enumerate(order):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}."
                comment = Comment(
                    content_type_id=content_type_id,
                    object_pk=str(story_id),
                    site_id=1,
                    user_name=name,
                    user_email=f"reader{rng.randrange(10**6)}@example.org",
                    user_url="",
                    comment=rng.choice(COMMENTS),
                    submit_date=min(start + timedelta(minutes=7 * node), self.now),
                    ip_address="127.0.0.1",
                    is_public=rng.random() > 0.02,
                    is_removed=False,
                )
                yield (
                    comment,
                    {
                        "node": node,
                        "parent": parents[node],
                        "level": levels[node],
                        "order": position + 1,
                        "nested_count": descendants[node],
                        "first": position == 0,
                    },
                )
            made += size

    def _write_comments(self, pending: list[tuple[Comment, dict]]) -> int:
        if not pending:
            return 0
        Comment.objects.bulk_create([comment for comment, _ in pending])
        rows = []
        thread_root = None
        node_ids: dict[int, int] = {}
        for comment, shape in pending:
            if shape["first"]:
                thread_root = comment.pk
                node_ids = {}
            node_ids[shape["node"]] = comment.pk
            parent_id = node_ids[shape["parent"]] if shape["parent"] >= 0 else comment.pk
            rows.append(
                XtdComment(
                    comment_ptr_id=comment.pk,
                    thread_id=thread_root,
                    parent_id=parent_id,
                    level=shape["level"],
                    order=shape["order"],
                    followup=False,
                    nested_count=shape["nested_count"],
                )
            )
        insert_rows(XtdComment, rows)
        return len(rows)

    # -- search ----------------------------------------------------------------

    def index(self, story_ids: list[int]) -> None:
        """Add the stories to the search index, a batch at a time."""
        backend = get_search_backend()
        for model in (NewsArticlePage, LiveBlogPage):
            pks = list(model.objects.filter(pk__in=story_ids).values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                batch = model.objects.filter(pk__in=pks[start : start + BATCH])
                backend.add_bulk(model, list(batch))
                self.progress(f"Search index ({model._meta.verbose_name_plural})", start + BATCH, len(pks))


def demo_photo_image(photo: DemoPhoto) -> AbstractImage:
    """The image of `photo` in the library, made with its credit and focal point if missing.

    Found again by title, so `make run` and the seed import share one copy of each photograph.
    """
    Image = get_image_model()
    image = Image.objects.filter(title=photo.title).order_by("pk").first()
    if image is not None:
        return image
    focal = {}
    if photo.focal_point is not None:
        x, y, width, height = photo.focal_point
        focal = {
            "focal_point_x": x,
            "focal_point_y": y,
            "focal_point_width": width,
            "focal_point_height": height,
        }
    with photo.path.open("rb") as file:
        image = Image.objects.create(
            title=photo.title,
            description=photo.alt_text,
            file=ImageFile(file, name=f"demo-{photo.file}"),
            **focal,
        )
    save_credit(
        image,
        {
            "caption": photo.caption,
            "credit": photo.credit,
            "source_url": photo.source_url,
            "licence_url": photo.licence_url,
        },
    )
    return image


def free_slug(title: str, taken: set[str]) -> str:
    """The title's slug, numbered from 2 when `taken` (its siblings' slugs) has it; then taken.

    No run number or seed in it: "live-live-…-1-1" read as a stutter.
    """
    base = slugify(title)[:60].rstrip("-")
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def insert_rows(model: type[models.Model], objects: Iterable[models.Model]) -> None:
    """Insert rows of one table of a multi-table model, whose parent rows exist already.

    Django's `bulk_create` refuses models with concrete parents; each table of
    such a model can still be written in bulk, one table at a time.
    """
    objects = list(objects)
    fields = model._meta.local_concrete_fields
    queryset = model._base_manager.using(connection.alias).all()
    for start in range(0, len(objects), BATCH):
        queryset._insert(objects[start : start + BATCH], fields=fields)


def terminal_progress(stream=sys.stderr) -> Callable[[str, int, int], None]:
    """A one-line progress bar, drawn only on a terminal."""
    if not stream.isatty():
        return lambda label, done, total: None

    def show(label: str, done: int, total: int) -> None:
        done = min(done, total)
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r{label:<34} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
