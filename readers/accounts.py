"""What other apps ask of reader accounts: who is signed in, and where to add to the account page.

Newsletters, alerts and the like never import this app's models: they call
`current_reader(request)` and register with the Wagtail hooks below.

- ``reader_account_sections``: ``fn(request, reader) -> str | None``, HTML of
  one section of the account page (rendered with ``render_to_string``); None
  shows nothing.
- ``reader_data_export``: ``fn(reader) -> dict``, merged into "download my data".
- ``reader_me_json``: ``fn(request, reader) -> dict``, merged into the signed-in
  reader's `/account/me.json` (what the scripts of cached pages need to know).
- ``reader_account_urls``: ``fn() -> list`` of URL patterns, served under
  `/account/`, where the reader's session is read (readers.sessions): an app's
  views for signed-in readers live there. Their names are inside the
  ``readers`` namespace (``readers:<your namespace>:<name>``).
- ``reader_account_deleted``: ``fn(reader) -> None``, called in the transaction
  that deletes the account, before the user row goes: an app erases what it
  keeps under the reader's address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from wagtail import hooks

ACCOUNT_SECTIONS_HOOK = "reader_account_sections"
DATA_EXPORT_HOOK = "reader_data_export"
ME_JSON_HOOK = "reader_me_json"
ACCOUNT_URLS_HOOK = "reader_account_urls"
ACCOUNT_DELETED_HOOK = "reader_account_deleted"


def is_reader(user: AbstractBaseUser | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and not user.is_staff
        and not user.is_superuser
        and hasattr(user, "reader_profile")
    )


def current_reader(request: HttpRequest) -> AbstractBaseUser | None:
    """The signed-in reader, or None (anonymous, or an editor's session).

    Readers are known only on the account pages, /account/me.json and comment
    posts: on cacheable pages every reader is anonymous to the app (readers.sessions).
    """
    user = getattr(request, "user", None)
    return user if is_reader(user) else None


def display_name(reader: AbstractBaseUser) -> str:
    return reader.get_full_name() or reader.get_username()


def account_sections(request: HttpRequest, reader: AbstractBaseUser) -> list[SafeString]:
    """The sections other apps add to the account page, in hook order."""
    sections = (hook(request, reader) for hook in hooks.get_hooks(ACCOUNT_SECTIONS_HOOK))
    # Each hook renders its own template, which escaped what it shows.
    return [mark_safe(section) for section in sections if section]  # noqa: S308


def exported_data(reader: AbstractBaseUser) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in hooks.get_hooks(DATA_EXPORT_HOOK):
        extra.update(hook(reader) or {})
    return extra


def me_json_extras(request: HttpRequest, reader: AbstractBaseUser) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in hooks.get_hooks(ME_JSON_HOOK):
        extra.update(hook(request, reader) or {})
    return extra


def account_urls() -> list:
    """Other apps' views for signed-in readers, mounted under /account/ by readers.urls."""
    patterns: list = []
    for hook in hooks.get_hooks(ACCOUNT_URLS_HOOK):
        patterns.extend(hook())
    return patterns


def account_deleted(reader: AbstractBaseUser) -> None:
    for hook in hooks.get_hooks(ACCOUNT_DELETED_HOOK):
        hook(reader)
