"""Behind Varnish every reader arrives from the proxy's address; comments still tell readers apart."""

import pytest
from django_comments_xtd.models import XtdComment

from discussion.models import ReaderFlag
from tests.discussion.forms import fill_comment_form
from tests.factories import ReaderCommentFactory

PROXY = "127.0.0.1"


def post_from(client, article, remote_addr: str, forwarded_for: str | None = None, **values):
    action, data = fill_comment_form(client, article.url, **values)
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(action, data, **headers)


def test_two_readers_behind_the_same_proxy_are_rate_limited_apart(client, article, comment_settings):
    comment_settings.rate_limit_posts = 1
    comment_settings.save()
    assert post_from(client, article, PROXY, "198.51.100.1", comment="First").status_code == 302
    assert post_from(client, article, PROXY, "198.51.100.1", comment="Again").status_code == 429
    assert post_from(client, article, PROXY, "198.51.100.2", comment="Someone else").status_code == 302


def test_forged_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_limit(
    client, article, comment_settings
):
    comment_settings.rate_limit_posts = 1
    comment_settings.save()
    assert post_from(client, article, "203.0.113.9", "198.51.100.1", comment="First").status_code == 302
    assert post_from(client, article, "203.0.113.9", "198.51.100.2", comment="Forged").status_code == 429
    assert XtdComment.objects.get().ip_address == "203.0.113.9"


def test_stored_comment_keeps_the_readers_address_not_the_proxys(client, article):
    post_from(client, article, PROXY, "6.6.6.6, 198.51.100.7, 127.0.0.1", comment="From behind two proxies")
    assert XtdComment.objects.get().ip_address == "198.51.100.7"


def test_akismet_is_told_the_readers_address(client, article, akismet_client):
    post_from(client, article, PROXY, "198.51.100.7")
    assert akismet_client.comment_check.call_args.kwargs["user_ip"] == "198.51.100.7"


def test_two_readers_behind_one_proxy_flag_separately(client, article):
    comment = ReaderCommentFactory(article=article)

    def flag_from(reader: str):
        return client.post(f"/comments/flag/{comment.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=reader)

    assert flag_from("198.51.100.1").status_code == 200
    assert flag_from("198.51.100.2").status_code == 200
    assert flag_from("198.51.100.2").status_code == 200
    assert ReaderFlag.objects.filter(comment=comment).count() == 2


HOSTILE = [
    "",
    "garbage",
    ",,,",
    "198.51.100.7:4711",
    "[2001:db8::7]:443",
    "fe80::1%eth0",
    "198.51.100.7\x00",
    "x" * 8000,
    ", ".join(["127.0.0.1"] * 2000),
]


@pytest.mark.parametrize("header", HOSTILE)
def test_hostile_forwarded_for_never_breaks_posting(client, article, header):
    response = post_from(client, article, PROXY, header, comment="Still fine")
    assert response.status_code == 302
    assert XtdComment.objects.get().ip_address == PROXY


@pytest.mark.parametrize("header", HOSTILE)
def test_hostile_forwarded_for_never_breaks_flagging(client, article, header):
    comment = ReaderCommentFactory(article=article)
    response = client.post(f"/comments/flag/{comment.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert response.status_code == 200
    assert ReaderFlag.objects.filter(comment=comment).count() == 1
