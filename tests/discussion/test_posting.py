import re

from django_comments_xtd.models import XtdComment

from tests.discussion.forms import fill_comment_form, post_comment, read_comment_form


def comment_texts_in_order(html: str) -> list[str]:
    return re.findall(r'<div class="comment__text" dir="auto"><p>(.*?)</p>', html)


def test_comment_reply_and_reply_to_reply_show_nested_in_order(client, article):
    response = post_comment(client, article.url, name="Ada", comment="First comment")
    assert response.status_code == 302
    first = XtdComment.objects.get(comment="First comment")
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == f"{article.url}#c{first.pk}"

    reply_page = client.get(f"/comments/reply/{first.pk}/")
    assert reply_page.status_code == 200
    action, data = read_comment_form(reply_page.text)
    data.update(name="Grace", email="grace@example.org", comment="A reply")
    assert client.post(action, data).status_code == 302
    reply = XtdComment.objects.get(comment="A reply")

    action, data = read_comment_form(client.get(f"/comments/reply/{reply.pk}/").text)
    data.update(name="Linus", email="linus@example.org", comment="A reply to the reply")
    assert client.post(action, data).status_code == 302

    html = client.get(article.url).text
    assert comment_texts_in_order(html) == ["First comment", "A reply", "A reply to the reply"]
    nested = re.search(
        rf'id="c{first.pk}".*?<ol class="comment-thread">.*?id="c{reply.pk}".*?<ol class="comment-thread">'
        r".*?A reply to the reply",
        html,
        re.DOTALL,
    )
    assert nested, "replies are not nested under their parents"
    assert "3 comments" in html


def test_reader_email_is_never_shown(client, article):
    post_comment(client, article.url, name="Ada", email="secret.address@example.org")
    html = client.get(article.url).text
    assert "Ada" in html
    assert "secret.address" not in html


def test_website_links_the_name_for_humans_only(client, article):
    post_comment(client, article.url, name="Ada", url="https://ada.example.org/")
    html = client.get(article.url).text
    assert '<a href="https://ada.example.org/" rel="nofollow ugc noopener">Ada</a>' in html


def test_signed_in_reader_finds_name_and_email_filled_in(client, article, django_user_model):
    user = django_user_model.objects.create_user(
        "grace", email="grace@example.org", password="pw", first_name="Grace", last_name="Hopper"
    )
    client.force_login(user)
    action, fields = fill_comment_form(client, article.url)
    html = client.get(article.url).text
    assert 'value="Grace Hopper"' in html
    assert 'value="grace@example.org"' in html
    response = client.post(action, {**fields, "name": "", "email": "", "comment": "Signed in"})
    assert response.status_code == 302
    assert XtdComment.objects.get(comment="Signed in").user == user


def test_unicode_right_to_left_and_emoji_are_kept_intact(client, article):
    text = "Ça marche 👍🏽 — שלום עולם — مرحبا — 漢字"
    response = post_comment(client, article.url, name="Zoë 🌍", comment=text)
    assert response.status_code == 302
    stored = XtdComment.objects.get()
    assert stored.comment == text
    assert stored.user_name == "Zoë 🌍"
    html = client.get(article.url).text
    assert f'<div class="comment__text" dir="auto"><p>{text}</p></div>' in html
    assert "Zoë 🌍" in html


def test_html_and_script_are_shown_as_typed_not_run(client, article):
    payload = '<script>alert("x")</script><b onmouseover="steal()">bold</b>'
    post_comment(client, article.url, name="<i>Mallory</i>", comment=payload)
    html = client.get(article.url).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b onmouseover" not in html
    assert "&lt;i&gt;Mallory&lt;/i&gt;" in html


def test_links_become_clickable_with_nofollow_and_line_breaks_are_kept(client, article):
    post_comment(client, article.url, comment="See https://example.org/study\nsecond line\n\nnew paragraph")
    html = client.get(article.url).text
    assert (
        '<a href="https://example.org/study" rel="nofollow ugc noopener">https://example.org/study</a>'
        "<br>second line</p><p>new paragraph</p>"
    ) in html


def test_comment_of_exactly_3000_characters_is_accepted(client, article):
    response = post_comment(client, article.url, comment="x" * 3000)
    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "x" * 3000
