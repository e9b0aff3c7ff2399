"""The archive of sent issues in the site's sitemap (news.sitemaps' `register_sitemap` hook)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, QuerySet

from .models import Issue


def sent_issues() -> QuerySet:
    issues = Issue.objects.filter(sent_at__isnull=False).select_related("newsletter")
    return issues.order_by("-sent_at", "-pk")


class IssueArchiveSitemap(Sitemap):
    changefreq = "never"

    def items(self) -> QuerySet:
        return sent_issues()

    def lastmod(self, issue: Issue):
        return issue.sent_at

    @classmethod
    def version(cls) -> str:
        stats = sent_issues().aggregate(count=Count("pk"), latest=Max("sent_at"))
        return f"{stats['count']}:{stats['latest']}"
