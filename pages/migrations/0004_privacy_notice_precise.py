"""The privacy notice says precisely what is stored: accounts, newsletters, alerts, page views, comments.

0003 made the page before newsletters, alerts and page views existed, and said
nothing of how long things are kept. This replaces its text only while the
page still holds exactly what 0003 wrote (in its live version and in its
latest revision, if an editor ever opened and saved it): a page an editor
changed is left alone, to be brought up to date by hand.
"""

import importlib
import json
import uuid

from django.db import migrations

original = importlib.import_module("pages.migrations.0003_privacy_notice")

SLUG = original.SLUG
PARAGRAPHS = [
    (
        "paragraph",
        "<p>This page says what the site keeps about its readers, why, for how long, and how to get a "
        "copy of it or have it deleted. Reading stories needs no account and sets no cookie.</p>",
    ),
    ("heading", "Reader accounts"),
    (
        "paragraph",
        "<p>Signing in needs no password: we e-mail you a link and a 6-digit code. For your account we keep "
        "your e-mail address, the display name you choose (shown with your comments), when the account was "
        "made and when you last signed in.</p>"
        "<p>Each sign-in e-mail is recorded (the address, the page to return to, when it was sent and used, "
        "and a keyed fingerprint of its link and code, never the link or code themselves) and deleted after "
        "a day. To stop abuse, sign-in e-mails and codes are counted per address and per IP address for 15 "
        "minutes in temporary memory, then forgotten.</p>"
        "<p>While you are signed in, a session record says which account is signed in, and nothing else "
        "about you. It ends when you sign out, and after two weeks at most.</p>",
    ),
    ("heading", "Newsletters"),
    (
        "paragraph",
        "<p>For each address signed up to a newsletter we keep the address, the lists it asked for, when it "
        "asked, when it confirmed (at once for a signed-in reader, whose address is already confirmed) and "
        "when it left a list, and a keyed hash of the IP address the sign-up came from (to limit sign-ups "
        "per network; never the address itself).</p>"
        "<p>For each issue sent we keep a delivery record: the issue, whether it was sent, refused or failed, "
        "when, and the mail server's error if there was one. If your mail server refuses our mail for good, "
        "we note it and send nothing more. We record no opens or clicks: there is no tracking pixel and "
        "links are not rewritten.</p>"
        "<p>All this stays after you leave a list (with the date you left) until you delete your account, "
        "which erases the address from the newsletters, or ask us to erase it.</p>",
    ),
    ("heading", "Alerts"),
    (
        "paragraph",
        "<p>Alerts go to a browser, not to a person. For each browser that asks for them we keep its push "
        "address (an opaque address at the push service of the browser's maker, through which alerts travel "
        "encrypted), the two public keys the browser gave to encrypt them, the topics it follows, when it "
        "subscribed, and for each alert whether it reached the browser. No name, e-mail address, account, "
        "IP address or cookie goes with it.</p>"
        "<p><strong>Stop alerts</strong> on any story, or on your account page, deletes the browser's "
        "subscription; one that the push service reports as gone is deleted at the next alert.</p>",
    ),
    ("heading", "Page views"),
    (
        "paragraph",
        "<p>To show the most read stories and tell editors what is read, we count views: for each story and "
        "each hour, a number. No IP address, identifier or cookie is kept with it, and nothing about your "
        "browser; known robots are left out by the name their browser gives.</p>",
    ),
    ("heading", "Comments"),
    (
        "paragraph",
        "<p>With each comment we keep the text, the name shown with it, your e-mail address (never "
        "published), the website you give, if any (published with your name), whether you asked to be "
        "e-mailed about replies, the time and the IP address it came from. The IP address is shown to "
        "moderators and used to limit how often one address may post; it is kept as long as the comment, "
        "and erased from your comments when you delete your account.</p>"
        "<p>If this site uses the Akismet spam filter, each new comment's text, name, e-mail address, "
        "website, IP address, browser name and the page it was sent from are sent to Akismet (Automattic) "
        "to be checked, and again when a moderator marks it as spam or not. When you report a comment, we "
        "keep your account's number, or a keyed hash of your IP address (never the address), so that each "
        "reader reports a comment once.</p>",
    ),
    ("heading", "Cookies"),
    (
        "paragraph",
        "<p><code>reader_session</code> keeps you signed in; <code>csrftoken</code> protects the forms "
        "you send. Neither is used to follow you, and signing out removes both. Alerts and page views use "
        "no cookie.</p>",
    ),
    ("heading", "Server logs and backups"),
    (
        "paragraph",
        "<p>Like any web server, ours writes a technical log of the requests that reach it (the IP address, "
        "the page asked for, the time, the answer and the browser's name) to find faults and attacks. It "
        "is kept in the server's system log, not in the site's database, for as long as that log is kept "
        "before it is rotated. Backups of the database hold what was in it when they were made, until they "
        "are replaced.</p>",
    ),
    ("heading", "Your choices"),
    (
        "paragraph",
        '<p>Your <a href="/account/">account page</a> lets you change your display name and your '
        "newsletters, see and stop the alerts of the browser you are using, download your data (your "
        "account, your comments and your newsletter subscriptions, as JSON) and delete your account. When "
        "you delete your account, choose to remove your comments or keep them shown as written by a former "
        "reader; either way your e-mail address and display name go, the IP addresses of your comments are "
        "erased, and so are the newsletter subscriptions at your address.</p>"
        "<p>Without an account: leave a newsletter with the link at the bottom of every issue, or choose "
        "your lists with <strong>Choose your newsletters</strong>; stop a browser's alerts with "
        "<strong>Stop alerts</strong> on any story. For anything else, such as a comment posted without an "
        "account, reply to any e-mail we sent you.</p>",
    ),
]


def blocks_of(paragraphs) -> list:
    blocks = []
    for kind, value in paragraphs:
        if kind == "heading":
            value = {"text": value, "level": "h2", "anchor": ""}
        blocks.append({"type": kind, "value": value})
    return blocks


def without_ids(body) -> list | None:
    """The body's blocks without their ids (random per block), or None if it is not a block list.

    `body` is the page's StreamValue, or a revision's JSON text.
    """
    if hasattr(body, "raw_data"):
        body = [dict(block) for block in body.raw_data]
    elif isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    if not isinstance(body, list) or not all(isinstance(block, dict) for block in body):
        return None
    return [{"type": block.get("type"), "value": block.get("value")} for block in body]


def body_json(paragraphs) -> str:
    return json.dumps([{**block, "id": str(uuid.uuid4())} for block in blocks_of(paragraphs)])


def replace_text(apps, old_paragraphs, new_paragraphs) -> None:
    Site = apps.get_model("wagtailcore.Site")
    Revision = apps.get_model("wagtailcore.Revision")
    ContentPage = apps.get_model("pages.ContentPage")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    home = site.root_page
    page = ContentPage.objects.filter(slug=SLUG, path__startswith=home.path, depth=home.depth + 1).first()
    if page is None or without_ids(page.body) != blocks_of(old_paragraphs):
        return
    latest = Revision.objects.filter(pk=page.latest_revision_id).first() if page.latest_revision_id else None
    if latest is not None and without_ids(latest.content.get("body")) != blocks_of(old_paragraphs):
        return  # an editor's draft differs: theirs to publish or discard
    if page.has_unpublished_changes and latest is None:
        return
    new_body = body_json(new_paragraphs)
    page.body = new_body
    fields = ["body"]
    if latest is not None:
        # The page editor opens the latest revision: it must hold the new text, or saving brings back the old.
        content = dict(latest.content, body=new_body)
        revision = Revision.objects.create(
            content_type_id=latest.content_type_id,
            base_content_type_id=latest.base_content_type_id,
            object_id=latest.object_id,
            content=content,
            object_str=latest.object_str,
        )
        page.latest_revision_id = revision.pk
        fields.append("latest_revision")
        if page.live_revision_id == latest.pk:
            page.live_revision_id = revision.pk
            fields.append("live_revision")
    page.save(update_fields=fields)


def forward(apps, schema_editor):
    replace_text(apps, original.PARAGRAPHS, PARAGRAPHS)


def backward(apps, schema_editor):
    replace_text(apps, PARAGRAPHS, original.PARAGRAPHS)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_privacy_notice"),
    ]

    operations = [migrations.RunPython(forward, backward)]
