"""django.contrib.sites' Site follows the default Wagtail site, for links in emails."""

from django.contrib.sites.models import Site as DjangoSite
from django.core import mail

from tests.discussion.forms import post_comment
from tests.factories import ReaderCommentFactory


def test_django_site_has_the_wagtail_site_hostname_after_migrating(site):
    django_site = DjangoSite.objects.get(pk=1)
    assert django_site.domain == site.hostname
    assert django_site.name == site.site_name


def test_django_site_follows_changes_to_the_default_wagtail_site(site):
    site.hostname = "news.example.org"
    site.port = 8443
    site.save()
    assert DjangoSite.objects.get_current().domain == "news.example.org:8443"
    site.port = 443
    site.save()
    assert DjangoSite.objects.get_current().domain == "news.example.org"


def test_follow_up_email_links_to_the_article_on_the_real_site(client, site, article):
    site.hostname = "news.example.org"
    site.save()
    ReaderCommentFactory(article=article, user_email="first@example.org", followup=True)
    mail.outbox.clear()
    response = post_comment(client, article.url, comment="A new reply")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["first@example.org"]
    assert f"news.example.org{article.get_absolute_url()}" in message.body
    assert "news.example.org/comments/mute/" in message.body


def test_email_links_use_https_when_the_site_is_served_over_https(client, site, article):
    site.hostname, site.port = "news.example.org", 443
    site.save()
    ReaderCommentFactory(article=article, user_email="first@example.org", followup=True)
    mail.outbox.clear()
    assert post_comment(client, article.url, comment="Another reply").status_code == 302
    message = mail.outbox[0]
    assert f"https://news.example.org{article.get_absolute_url()}" in message.body
    assert "https://news.example.org/comments/mute/" in message.body
    assert "http://news.example.org" not in message.body
    html = message.alternatives[0][0]
    assert f'href="https://news.example.org{article.get_absolute_url()}"' in html
