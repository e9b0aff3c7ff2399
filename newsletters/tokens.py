"""Signed links in e-mails: confirm (48 hours), unsubscribe and preferences (no expiry).

Nothing secret is stored: the link carries the subscriber's id, signed with the
site's SECRET_KEY under a salt per purpose, so a link made for one purpose is
refused by the others, and an edited one is refused by all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

CONFIRM_VALID_FOR = timedelta(hours=48)
_CONFIRM_SALT = "newsletters.confirm"
_UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
_PREFERENCES_SALT = "newsletters.preferences"


class BadLink(Exception):
    """A link that was edited, made for something else, or is too old."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class ConfirmRequest:
    subscriber_id: int
    newsletter_ids: tuple[int, ...]


def confirm_token(subscriber_id: int, newsletter_ids: list[int]) -> str:
    return signing.dumps({"s": subscriber_id, "n": sorted(newsletter_ids)}, salt=_CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> ConfirmRequest:
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_VALID_FOR)
    except signing.SignatureExpired as exc:
        raise BadLink(expired=True) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadLink from exc
    try:
        return ConfirmRequest(int(data["s"]), tuple(int(pk) for pk in data["n"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadLink from exc


def unsubscribe_token(subscriber_id: int, newsletter_id: int) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(f"{subscriber_id}.{newsletter_id}")


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    try:
        subscriber_id, newsletter_id = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token).split(".")
        return int(subscriber_id), int(newsletter_id)
    except (signing.BadSignature, ValueError) as exc:
        raise BadLink from exc


def preferences_token(subscriber_id: int) -> str:
    return signing.Signer(salt=_PREFERENCES_SALT).sign(str(subscriber_id))


def read_preferences_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=_PREFERENCES_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise BadLink from exc
