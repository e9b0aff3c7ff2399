"""What other apps ask of reader accounts: who is signed in, and where to add to the account page.

Newsletters, alerts and the like never import this app's models: they call
`current_reader(request)` and register with the Wagtail hooks below.

- ``reader_account_sections``: ``fn(request, reader) -> str | None``, HTML of
  one section of the account page (rendered with ``render_to_string``); None
  shows nothing.
- ``reader_data_export``: ``fn(reader) -> dict``, merged into "download my data".
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from wagtail import hooks

ACCOUNT_SECTIONS_HOOK = "reader_account_sections"
DATA_EXPORT_HOOK = "reader_data_export"


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
