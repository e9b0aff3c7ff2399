"""Every channel a reader, crawler or app can find a story through, for "visible nowhere" tests."""

from django.test import Client

from tests.factories import ReaderCommentFactory


def channels_showing(client: Client, story, title: str, neighbour=None) -> list[str]:
    """Names of the channels whose response mentions `title` (or serves the story's URL).

    `neighbour`: a published story of the same section, whose related panel would list it.
    """
    url = story.url_path.removeprefix("/home")
    found = []
    if client.get(url).status_code != 404:
        found.append("its URL")
    for name, path in [
        ("its feed route", f"{url}feed/"),
    ]:
        if client.get(path).status_code != 404:
            found.append(name)
    section_url = url.rsplit("/", 2)[0] + "/"
    for name, path in [
        ("front page", "/"),
        ("section page", section_url),
        ("site RSS feed", "/feed/"),
        ("site Atom feed", "/feed/atom/"),
        ("section feed", f"{section_url}feed/"),
        ("sitemap", "/sitemap.xml"),
        ("news sitemap", "/sitemap-news.xml"),
        ("search", f"/search/?q={title.split()[0]}"),
        ("API listing", "/api/v2/pages/?type=news.StoryPage&limit=100"),
        ("API search", f"/api/v2/pages/?search={title.split()[0]}"),
        ("corrections page", "/corrections/"),
    ]:
        if title in client.get(path).content.decode():
            found.append(name)
    if neighbour is not None and title in client.get(neighbour.url).content.decode():
        found.append("related panel")
    if client.get(f"/api/v2/pages/{story.pk}/").status_code != 404:
        found.append("API detail")
    comment = ReaderCommentFactory(article=story)
    if client.get(f"/comments/reply/{comment.pk}/").status_code == 200:
        found.append("comment reply page")
    if client.get(f"/comments/flag/{comment.pk}/").status_code == 200:
        found.append("comment flag page")
    comment.delete()
    return found
