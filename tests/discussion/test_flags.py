"""Readers flag comments; enough flags hide one until a moderator reviews it."""

from django_comments_xtd.models import XtdComment

from discussion.models import ReaderComment, ReaderFlag
from tests.discussion.forms import FormParser
from tests.factories import ReaderCommentFactory


def flag_from(client, comment, address: str):
    return client.post(f"/comments/flag/{comment.pk}/", REMOTE_ADDR=address)


def test_reader_can_report_a_comment_from_the_article_page(client, article):
    comment = ReaderCommentFactory(article=article, comment="Buy cheap pills")
    report_link = f'<a class="comment__flag" href="/comments/flag/{comment.pk}/" rel="nofollow">Report</a>'
    assert report_link in client.get(article.url).text

    confirm = client.get(f"/comments/flag/{comment.pk}/")
    assert confirm.status_code == 200
    assert "Report this comment?" in confirm.text
    assert "Buy cheap pills" in confirm.text
    assert not ReaderFlag.objects.exists()

    parser = FormParser(form_class="comment__flag-confirm")
    parser.feed(confirm.text)
    assert parser.action == f"/comments/flag/{comment.pk}/"
    response = client.post(parser.action, parser.fields)
    assert response.status_code == 200
    assert "Thank you for your report" in response.text
    assert ReaderFlag.objects.filter(comment=comment).count() == 1


def test_comment_is_hidden_pending_review_once_flags_reach_the_threshold(client, article, comment_settings):
    comment_settings.flags_to_hide = 3
    comment_settings.save()
    comment = ReaderCommentFactory(article=article, comment="Questionable remark")
    flag_from(client, comment, "198.51.100.1")
    flag_from(client, comment, "198.51.100.2")
    assert "Questionable remark" in client.get(article.url).text
    flag_from(client, comment, "198.51.100.3")
    assert "Questionable remark" not in client.get(article.url).text
    assert ReaderComment.objects.held().get() == comment


def test_one_reader_flagging_again_counts_once(client, article, comment_settings):
    comment_settings.flags_to_hide = 2
    comment_settings.save()
    comment = ReaderCommentFactory(article=article)
    for _ in range(3):
        flag_from(client, comment, "198.51.100.7")
    assert ReaderFlag.objects.filter(comment=comment).count() == 1
    assert XtdComment.objects.get(pk=comment.pk).is_public


def test_flags_store_no_ip_address(client, article):
    comment = ReaderCommentFactory(article=article)
    flag_from(client, comment, "198.51.100.9")
    assert "198.51.100.9" not in ReaderFlag.objects.get().reporter


def test_flagging_needs_a_public_comment_and_get_or_post(client, article):
    hidden = ReaderCommentFactory(article=article, is_public=False)
    assert client.get(f"/comments/flag/{hidden.pk}/").status_code == 404
    assert client.post(f"/comments/flag/{hidden.pk}/").status_code == 404
    public = ReaderCommentFactory(article=article)
    assert client.put(f"/comments/flag/{public.pk}/").status_code == 405
    assert not ReaderFlag.objects.exists()


def test_moderators_see_how_many_readers_reported_a_hidden_comment(
    client, article, comment_settings, moderator
):
    comment_settings.flags_to_hide = 2
    comment_settings.save()
    comment = ReaderCommentFactory(article=article)
    flag_from(client, comment, "198.51.100.1")
    flag_from(client, comment, "198.51.100.2")
    client.force_login(moderator)
    assert "reported by 2 readers" in client.get("/admin/snippets/discussion/readercomment/?status=held").text
