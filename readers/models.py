"""Reader accounts: a Django user who is never staff, marked by a ReaderProfile."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReaderProfile(models.Model):
    """What makes a user a reader. Editors' accounts have none and cannot sign in here.

    The display name lives on the user's `first_name`, so django_comments names
    the reader's comments with it (`get_full_name()`) without being told.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "reader account"

    def __str__(self) -> str:
        return self.user.email


class SignInRequest(models.Model):
    """One e-mailed sign-in: a link token and a 6-digit code, usable once, until it expires.

    Only digests are stored: a copy of the database signs nobody in.
    """

    email = models.EmailField(max_length=254, db_index=True)
    token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    next_url = models.CharField(max_length=500, blank=True)
    # Indexed for the clean-up of old requests (readers.sign_in.issue).
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"], name="readers_signin_email_created")]

    def __str__(self) -> str:
        return f"{self.email} at {self.created_at:%Y-%m-%d %H:%M}"
