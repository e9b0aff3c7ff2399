"""Moderators review reader comments in the Wagtail admin."""

from urllib.parse import urlencode

import pytest
from django_comments_xtd.models import XtdComment

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from discussion.models import CommentScreening, ReaderComment
from tests.discussion.forms import post_comment
from tests.factories import NewsArticlePageFactory, ReaderCommentFactory


def list_url(**params) -> str:
    url = reverse(ReaderComment.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(params)}" if params else url


def bulk_url(action: str, comments) -> str:
    url = reverse("wagtail_bulk_action", args=("discussion", "readercomment", action))
    return f"{url}?{urlencode([('id', c.pk) for c in comments] + [('next', list_url())])}"


def test_held_comment_appears_only_after_a_moderator_approves_it(client, article, moderator):
    links = " ".join(f"https://spam{n}.example" for n in range(5))
    post_comment(client, article.url, name="Held Reader", comment=f"Look at these {links}")
    held = XtdComment.objects.get()
    assert "Look at these" not in client.get(article.url).text

    client.force_login(moderator)
    listing = client.get(list_url(status="held"))
    assert listing.status_code == 200
    assert "Look at these" in listing.text

    confirm = client.get(bulk_url("approve_reader_comments", [held]))
    assert confirm.status_code == 200
    assert "Approve" in confirm.text
    response = client.post(bulk_url("approve_reader_comments", [held]))
    assert response.status_code == 302

    client.logout()
    assert "Look at these" in client.get(article.url).text


def test_menu_and_listing_name_reader_comments_not_wagtail_comments(client, moderator):
    client.force_login(moderator)
    admin_home = client.get("/admin/")
    assert admin_home.status_code == 200
    assert "Reader comments" in admin_home.text
    assert "<h1" in client.get(list_url()).text


@pytest.fixture
def comments_in_every_state(article):
    public = ReaderCommentFactory(article=article, comment="A public comment")
    held = ReaderCommentFactory(article=article, comment="A held comment", is_public=False)
    removed = ReaderCommentFactory(article=article, comment="A removed comment", is_removed=True)
    spam = ReaderCommentFactory(article=article, comment="A spam comment", is_public=False)
    CommentScreening.objects.create(comment=spam, is_spam=True, reasons="Akismet: spam")
    return {"public": public, "held": held, "removed": removed, "spam": spam}


@pytest.mark.parametrize("status", ["public", "held", "removed", "spam"])
def test_listing_filters_by_status(client, moderator, comments_in_every_state, status):
    client.force_login(moderator)
    html = client.get(list_url(status=status)).text
    for other, comment in comments_in_every_state.items():
        assert (comment.comment in html) is (other == status), other


def test_search_finds_comments_by_text_author_and_article(client, moderator, article, health):
    other = NewsArticlePageFactory(parent=health, title="Elections explained")
    ReaderCommentFactory(article=article, user_name="Ada", comment="About vaccines")
    ReaderCommentFactory(article=other, user_name="Grace", comment="About ballots")
    client.force_login(moderator)
    for query, expected, unexpected in [
        ("vaccines", "About vaccines", "About ballots"),
        ("Grace", "About ballots", "About vaccines"),
        ("Elections", "About ballots", "About vaccines"),
    ]:
        html = client.get(list_url(q=query)).text
        assert expected in html
        assert unexpected not in html


def test_each_row_links_to_the_comment_on_the_article(client, moderator, article):
    comment = ReaderCommentFactory(article=article, comment="Linked comment")
    client.force_login(moderator)
    html = client.get(list_url()).text
    permalink = f"/comments/link/{comment.pk}/"
    assert f'href="{permalink}"' in html
    assert article.title in html
    assert client.get(permalink)["Location"] == f"{article.url}#c{comment.pk}"


def test_remove_takes_a_comment_off_the_site_and_keeps_its_replies(client, moderator, article):
    parent = ReaderCommentFactory(article=article, comment="Rude remark")
    ReaderCommentFactory(parent=parent, comment="Polite answer")
    client.force_login(moderator)
    client.post(bulk_url("remove_reader_comments", [parent]))
    html = client.get(article.url).text
    assert "Rude remark" not in html
    assert "Polite answer" in html
    assert "This comment was removed or is awaiting review." in html
    assert "1 comment" in html


def test_mark_as_spam_hides_the_comment_and_reports_it_to_akismet(client, moderator, article, akismet_client):
    comment = ReaderCommentFactory(article=article, comment="Sneaky advert")
    client.force_login(moderator)
    client.post(bulk_url("mark_reader_comments_spam", [comment]))
    assert "Sneaky advert" not in client.get(article.url).text
    assert ReaderComment.objects.spam().get() == comment
    assert akismet_client.submit_spam.call_args.kwargs["comment_content"] == "Sneaky advert"


def test_not_spam_publishes_the_comment_and_reports_it_to_akismet(client, moderator, article, akismet_client):
    comment = ReaderCommentFactory(article=article, comment="Honest words", is_public=False)
    CommentScreening.objects.create(comment=comment, is_spam=True, reasons="Akismet: spam")
    client.force_login(moderator)
    client.post(bulk_url("not_spam_reader_comments", [comment]))
    assert "Honest words" in client.get(article.url).text
    assert not ReaderComment.objects.spam().exists()
    akismet_client.submit_ham.assert_called_once()


def test_dashboard_counts_comments_awaiting_moderation(client, moderator, article):
    ReaderCommentFactory.create_batch(2, article=article, is_public=False)
    ReaderCommentFactory(article=article)
    client.force_login(moderator)
    html = client.get("/admin/").text
    assert "2 reader comments awaiting moderation" in html
    assert list_url(status="held").replace("&", "&amp;") in html or list_url(status="held") in html


def test_reader_comment_moderators_may_moderate_and_nothing_else(client, moderator, article):
    group = Group.objects.get(name="Reader comment moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", "view_readercomment", "change_readercomment"}
    client.force_login(moderator)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code in (302, 403)
    add_url = reverse(ReaderComment.snippet_viewset.get_url_name("add"))
    assert client.get(add_url).status_code in (302, 403)
    assert not moderator.has_perm("wagtailcore.change_page")


def test_readers_without_the_permission_cannot_moderate(client, django_user_model, article):
    comment = ReaderCommentFactory(article=article, is_public=False)
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(list_url()).status_code == 302
    client.post(bulk_url("approve_reader_comments", [comment]))
    comment.refresh_from_db()
    assert not comment.is_public


def test_moderator_can_open_a_comment_and_unpublish_it(client, moderator, article):
    comment = ReaderCommentFactory(article=article, comment="Open me", user_email="private@example.org")
    client.force_login(moderator)
    viewset = ReaderComment.snippet_viewset
    inspect = client.get(reverse(viewset.get_url_name("inspect"), args=[comment.pk]))
    assert inspect.status_code == 200
    assert "private@example.org" in inspect.text
    edit_url = reverse(viewset.get_url_name("edit"), args=[comment.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"is_removed": "on", "is_public": "on"})
    assert response.status_code == 302
    assert "Open me" not in client.get(article.url).text


def test_listing_tells_why_a_comment_was_held(client, moderator, article, comment_settings):
    comment_settings.blocklist = "lottery"
    comment_settings.save()
    post_comment(client, article.url, comment="Win the lottery")
    client.force_login(moderator)
    assert "blocklisted: lottery" in client.get(list_url(status="held")).text


def test_listing_offers_no_way_to_add_a_comment(client, moderator):
    client.force_login(moderator)
    html = client.get(list_url()).text
    assert reverse(ReaderComment.snippet_viewset.get_url_name("add")) not in html


def test_row_link_of_a_held_comment_takes_moderators_to_its_article(client, moderator, article):
    held = ReaderCommentFactory(article=article, is_public=False)
    assert client.get(f"/comments/link/{held.pk}/").status_code == 404
    client.force_login(moderator)
    assert client.get(f"/comments/link/{held.pk}/")["Location"] == f"{article.url}#c{held.pk}"


def test_removing_a_comment_in_its_edit_form_leaves_its_replies_public(client, moderator, article):
    parent = ReaderCommentFactory(article=article, comment="Off-topic rant")
    reply = ReaderCommentFactory(parent=parent, comment="Useful correction")
    client.force_login(moderator)
    edit_url = reverse(ReaderComment.snippet_viewset.get_url_name("edit"), args=[parent.pk])
    client.post(edit_url, {"is_public": "on", "is_removed": "on"})
    reply.refresh_from_db()
    assert reply.is_public
    html = client.get(article.url).text
    assert "Off-topic rant" not in html
    assert "Useful correction" in html


def test_approving_a_held_reply_emails_the_readers_following_the_thread(
    client, article, moderator, django_capture_on_commit_callbacks
):
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    links = " ".join(f"https://spam{n}.example" for n in range(5))
    post_comment(client, article.url, name="Held Reader", email="held@example.org", comment=f"See {links}")
    held = XtdComment.objects.get(user_email="held@example.org")
    assert not held.is_public
    mail.outbox.clear()

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("approve_reader_comments", [held]))
    assert response.status_code == 302

    assert [message.to for message in mail.outbox] == [["follower@example.org"]]
    assert "See https://spam0.example" in mail.outbox[0].body


def test_approving_an_already_public_comment_sends_no_email(
    client, article, moderator, django_capture_on_commit_callbacks
):
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    public = ReaderCommentFactory(article=article, user_email="other@example.org")
    mail.outbox.clear()
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk_url("approve_reader_comments", [public]))
    assert mail.outbox == []


def test_a_held_comment_emails_no_follower_before_it_is_approved(client, article):
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    mail.outbox.clear()
    links = " ".join(f"https://spam{n}.example" for n in range(5))
    post_comment(client, article.url, email="held@example.org", comment=f"See {links}")
    assert not XtdComment.objects.get(user_email="held@example.org").is_public
    assert mail.outbox == []


def test_a_mail_server_failure_does_not_undo_an_approval(
    client, article, moderator, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "tests.discussion.mail_backends.DisconnectingBackend"
    ReaderCommentFactory(article=article, user_email="follower@example.org", followup=True)
    held = ReaderCommentFactory(article=article, is_public=False, comment="Waiting for review")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("approve_reader_comments", [held]))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.is_public
    client.logout()
    assert "Waiting for review" in client.get(article.url).text
