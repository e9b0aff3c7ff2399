"""The privacy notice page (/privacy/): what the site stores about readers.

A plain ContentPage that editors keep up to date; each feature that stores
something about readers adds its paragraph.
"""

import json
import uuid

from django.db import migrations
from django.db.models import F
from django.utils import timezone

SLUG = "privacy"
TITLE = "Privacy notice"
PARAGRAPHS = [
    ("heading", "Reader accounts"),
    (
        "paragraph",
        "<p>Signing in needs no password: we e-mail you a link and a code. For your account we keep your "
        "e-mail address, the display name you choose (shown with your comments), when the account was "
        "made and when you last signed in. Each sign-in e-mail is recorded (the address and when it was "
        "sent and used) and deleted after a day.</p>",
    ),
    ("heading", "Comments"),
    (
        "paragraph",
        "<p>With each comment we keep the text, the name shown with it, your e-mail address (never "
        "published), the website you give, if any, the time and the IP address it came from, for "
        "moderation and spam checks.</p>",
    ),
    ("heading", "Cookies"),
    (
        "paragraph",
        "<p><code>reader_session</code> keeps you signed in; <code>csrftoken</code> protects the forms "
        "you send. Neither is used to follow you, and signing out removes both.</p>",
    ),
    ("heading", "Your choices"),
    (
        "paragraph",
        '<p>Your <a href="/account/">account page</a> lets you download your data (your account and your '
        "comments, as JSON) and delete your account, either removing your comments or keeping them "
        "without your name.</p>",
    ),
]


def body() -> str:
    blocks = []
    for kind, value in PARAGRAPHS:
        if kind == "heading":
            value = {"text": value, "level": "h2", "anchor": ""}
        blocks.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(blocks)


def base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text or "0"


def create_privacy_notice(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    ContentPage = apps.get_model("pages.ContentPage")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    home = Page.objects.get(pk=site.root_page_id)
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    if children.filter(slug=SLUG).exists():
        return
    last = children.order_by("-path").first()
    number = int(last.path[-4:], 36) + 1 if last else 1
    now = timezone.now()
    ContentPage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug=SLUG,
        content_type=ContentType.objects.get_or_create(app_label="pages", model="contentpage")[0],
        path=home.path + base36(number).rjust(4, "0"),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{SLUG}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        locale_id=home.locale_id,
        body=body(),
    )
    Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)


def remove_privacy_notice(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    ContentPage = apps.get_model("pages.ContentPage")
    for page in ContentPage.objects.filter(slug=SLUG, depth=3):
        Page.objects.filter(path=page.path[:-4]).update(numchild=F("numchild") - 1)
        page.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_article_body_blocks"),
        ("home", "0002_create_homepage"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_privacy_notice, remove_privacy_notice)]
