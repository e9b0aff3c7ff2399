"""Factories for the site's pages; tests build what they need, no JSON fixtures."""

import factory
import wagtail_factories
from django_comments_xtd.models import XtdComment

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from core import fragments
from home.models import HomePage
from news.models import Author, CategoryIndexPage, LiveBlogEntry, LiveBlogPage, NewsArticlePage
from newsletters.models import Issue, IssueStory, Newsletter, Subscriber, Subscription
from pages.models import ContentPage


def root_collection() -> Collection:
    """The root collection; live-server tests flush the one the migrations made, so make it again then."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def document_in(
    collection: Collection, name: str = "minutes.pdf", content: bytes = b"%PDF-1.4 secret minutes"
):
    return get_document_model().objects.create(
        title="Minutes", file=ContentFile(content, name=name), collection=collection
    )


def paragraphs(count: int) -> list[tuple[str, object]]:
    return [("paragraph", RichText(f"<p>Paragraph number {n}.</p>")) for n in range(1, count + 1)]


class LivePageFactory(wagtail_factories.PageFactory):
    """A page saved live, as if published: kept fragments that could show it are
    dropped as a publish drops them (the publish signal is not sent)."""

    live = True

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def published(page, create, extracted, **kwargs):
        if create and page.live:
            fragments.page_changed(type(page), page)


class CategoryIndexPageFactory(LivePageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    live = True
    show_in_menus = True

    class Meta:
        model = CategoryIndexPage


class NewsArticlePageFactory(LivePageFactory):
    title = factory.Sequence(lambda n: f"Article headline {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    subheadline = "A subheadline"
    standfirst = "A one-sentence standfirst."
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    display_date = factory.LazyAttribute(lambda page: page.first_published_at)
    body = factory.LazyFunction(lambda: paragraphs(3))

    class Meta:
        model = NewsArticlePage


class LiveBlogPageFactory(LivePageFactory):
    title = factory.Sequence(lambda n: f"Live: event {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    standfirst = "Follow the latest as it happens."
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    display_date = factory.LazyAttribute(lambda page: page.first_published_at)

    class Meta:
        model = LiveBlogPage


class LiveBlogEntryFactory(factory.django.DjangoModelFactory):
    """An entry as the live desk posts it: a row with its first revision (its change number)."""

    page = None
    headline = factory.Sequence(lambda n: f"Update {n}")
    body = "<p>Paragraph number 1.</p>"
    posted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = LiveBlogEntry

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        entry = model_class(*args, **kwargs)
        entry.save_change(user=kwargs.get("posted_by"))
        return entry


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda author: slugify(author.name))
    role = "Reporter"

    class Meta:
        model = Author


class ReaderCommentFactory(factory.django.DjangoModelFactory):
    """A reader comment on an article; pass `parent` for a reply.

    Saved through django-comments-xtd's model, which places it in its thread.
    """

    article = None
    parent = None
    user_name = factory.Sequence(lambda n: f"Reader {n}")
    user_email = factory.LazyAttribute(lambda c: f"{c.user_name.lower().replace(' ', '.')}@example.org")
    comment = factory.Sequence(lambda n: f"Comment number {n}.")
    submit_date = factory.LazyFunction(timezone.now)
    site_id = 1
    is_public = True
    is_removed = False

    class Meta:
        model = XtdComment

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        article = kwargs.pop("article", None)
        parent = kwargs.pop("parent", None)
        if parent is not None:
            article = article or parent.content_object
            kwargs["parent_id"] = parent.pk
        kwargs["content_type"] = ContentType.objects.get_for_model(article)
        kwargs["object_pk"] = str(article.pk)
        return super()._create(model_class, *args, **kwargs)


class ContentPageFactory(LivePageFactory):
    title = factory.Sequence(lambda n: f"Content page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    live = True
    body = factory.LazyFunction(lambda: paragraphs(2))

    class Meta:
        model = ContentPage


class ReaderFactory(factory.django.DjangoModelFactory):
    """A reader account (readers app): a user who is never staff, with a ReaderProfile."""

    username = factory.Sequence(lambda n: f"reader-{n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Reader {n}")

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create:
            from readers.models import ReaderProfile

            self.set_unusable_password()
            self.save()
            ReaderProfile.objects.create(user=self)


class NewsletterFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Newsletter {n}")
    slug = factory.LazyAttribute(lambda newsletter: slugify(newsletter.name))
    kind = "daily"

    class Meta:
        model = Newsletter


class SubscriberFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"reader{n}@example.org")

    class Meta:
        model = Subscriber


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription; pass `confirmed_at=None` for one waiting for its link."""

    subscriber = factory.SubFactory(SubscriberFactory)
    newsletter = factory.SubFactory(NewsletterFactory)
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscription


class IssueFactory(factory.django.DjangoModelFactory):
    """An issue; pass `stories=[page, ...]` for its stories, in that order."""

    newsletter = factory.SubFactory(NewsletterFactory)
    subject = factory.Sequence(lambda n: f"Issue number {n}")
    status = "scheduled"

    class Meta:
        model = Issue
        skip_postgeneration_save = True

    @factory.post_generation
    def stories(issue, create, pages, **kwargs):
        for order, page in enumerate(pages or []):
            IssueStory.objects.create(issue=issue, page=page, sort_order=order)


def home_page_with_site(slug: str) -> HomePage:
    """A home page, the default site on it, and the locale, for `transaction=True` tests:
    an earlier one may have flushed the ones migrations make."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Home", slug=slug))
    Site.objects.update_or_create(
        hostname="localhost", defaults={"root_page": home, "is_default_site": True, "port": 80}
    )
    return home
