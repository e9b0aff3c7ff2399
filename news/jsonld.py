"""schema.org data for stories and authors: NewsArticle, LiveBlogPosting, ProfilePage.

Built from the objects' own methods, so this module needs none of the models.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags

from core.images import JSON_LD_IMAGE_RENDITIONS, get_rendition, get_renditions, is_stand_in, rendition_spec
from core.jsonld import image_objects_json_ld, image_rights_json_ld, publisher_json_ld
from core.sites import absolute_url, default_share_image, site_name

# Live blogs list at most this many updates in their JSON-LD, newest first.
LIVE_BLOG_UPDATES_IN_JSON_LD = 50


def story_json_ld(story, request: HttpRequest | None) -> dict[str, Any]:
    """schema.org data for search engines and aggregators; `story.json_ld_type` names the type."""
    url = story.get_full_url(request)
    publisher_name = site_name(request)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": story.json_ld_type,
        "headline": story.title,
        "description": story.get_meta_description(),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": story.date.isoformat(),
        "dateModified": story.updated.isoformat(),
        "publisher": publisher_json_ld(request, publisher_name),
    }
    category = story.get_category()
    if category is not None:
        data["articleSection"] = category.title
    image = story.get_social_image() or default_share_image(request)
    if image is not None:
        renditions = get_renditions(image, [rendition_spec(name) for name in JSON_LD_IMAGE_RENDITIONS])
        shown = [r for r in renditions.values() if not is_stand_in(r)]
        if shown:
            # The story's own credit for its lead image wins over the image library's.
            own_credit = story.lead_image_credit if image.pk == story.lead_image_id else ""
            data["image"] = image_objects_json_ld(request, shown, image_rights_json_ld(image, own_credit))
    authors = story.get_authors()
    data["author"] = (
        [person_json_ld(author, request) for author in authors]
        if authors
        else [{"@type": "Organization", "name": publisher_name, "url": absolute_url(request, "/")}]
    )
    tags = story.get_tags()
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    corrections = [note for note in story.get_corrections() if note.is_correction]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": note.date.isoformat()}
            for note in corrections
        ]
    citations = [citation_json_ld(citation) for citation in story.get_citations()]
    if citations:
        data["citation"] = citations
    return data


def live_blog_json_ld(live_blog, entries, request: HttpRequest | None) -> dict[str, Any]:
    """A `LiveBlogPosting`: the story's data, its coverage times and its newest updates."""
    data = story_json_ld(live_blog, request)
    data["coverageStartTime"] = live_blog.coverage_start.isoformat()
    if live_blog.coverage_end is not None:
        data["coverageEndTime"] = live_blog.coverage_end.isoformat()
    url = data["url"]
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.headline or live_blog.title,
            "url": f"{url}#{entry.anchor}",
            "datePublished": entry.posted_at.isoformat(),
            "articleBody": strip_tags(entry.body).strip(),
            **({"author": person_json_ld(entry.author, request)} if entry.author is not None else {}),
        }
        for entry in entries[:LIVE_BLOG_UPDATES_IN_JSON_LD]
    ]
    return data


def person_json_ld(author, request: HttpRequest | None) -> dict[str, Any]:
    """An author of the site, linked to their page."""
    return {"@type": "Person", "name": author.name, "url": absolute_url(request, author.get_absolute_url())}


# Words that mark a citation's author as a group, not a person.
ORGANISATION_WORDS = re.compile(
    r"\b(?:group|consortium|collaboration|committee|organi[sz]ation|institute|association|society|"
    r"council|agency|network|investigators|foundation|university|centre|center)\b",
    re.IGNORECASE,
)
ET_AL = re.compile(r"^et\.? al\.?$", re.IGNORECASE)


def cited_authors_json_ld(authors: str) -> list[dict[str, str]]:
    """Cited authors ("Chia SB, Johnson BJ, et al.") as Persons, or Organizations for groups."""
    names = [name.strip() for name in re.split(r",|;|\band\b|&", authors)]
    return [
        {"@type": "Organization" if ORGANISATION_WORDS.search(name) else "Person", "name": name}
        for name in names
        if name and not ET_AL.match(name)
    ]


def citation_json_ld(citation) -> dict[str, Any]:
    """A citation block as a schema.org ScholarlyArticle, named by its DOI when it has one."""
    data: dict[str, Any] = {"@type": "ScholarlyArticle", "name": citation.get("title", "")}
    authors = cited_authors_json_ld(citation.get("authors") or "")
    if authors:
        data["author"] = authors
    if citation.get("journal"):
        data["isPartOf"] = {"@type": "Periodical", "name": citation["journal"]}
    if citation.get("year"):
        data["datePublished"] = str(citation["year"])
    if citation.get("doi"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": citation["doi"]}
        data["sameAs"] = citation.doi_url
    return data


def author_profile_json_ld(author, request: HttpRequest) -> dict[str, Any]:
    """An author's page as a schema.org ProfilePage about a Person."""
    url = request.build_absolute_uri(author.get_absolute_url())
    person: dict[str, Any] = {"@type": "Person", "name": author.name, "url": url}
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    photo = get_rendition(author.photo, "portrait") if author.photo is not None else None
    if photo is not None and not is_stand_in(photo):
        person["image"] = absolute_url(request, photo.url)
    return {"@context": "https://schema.org", "@type": "ProfilePage", "url": url, "mainEntity": person}
