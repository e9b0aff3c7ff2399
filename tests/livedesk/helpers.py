from wagtail.test.utils.form_data import rich_text

from news.blocks import RICH_TEXT_FEATURES


def desk(page) -> str:
    return f"/admin/live-desk/{page.pk}/"


def entry_url(page, entry, action: str) -> str:
    return f"/admin/live-desk/{page.pk}/entries/{entry.pk}/{action}/"


def entry_form(html: str = "", headline: str = "", image: str = "", embed_url: str = "") -> dict:
    """The desk's form as the browser posts it: the editor's state as Draftail sends it."""
    return {
        "headline": headline,
        "body": rich_text(html, features=RICH_TEXT_FEATURES) if html else "",
        "image": image,
        "embed_url": embed_url,
    }


def changes(client, page, after: int) -> dict:
    return client.get(f"{page.url}entries/", {"after": after}).json()
