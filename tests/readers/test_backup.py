"""Backups copy the whole database: reader accounts and sign-ins come back with a restore."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from readers import sign_in
from readers.models import ReaderProfile, SignInRequest
from tests.factories import ReaderFactory


def readers_snapshot() -> dict:
    return {
        "readers": list(
            get_user_model()
            .objects.filter(reader_profile__isnull=False)
            .order_by("pk")
            .values_list("pk", "email", "first_name", "is_staff")
        ),
        "profiles": list(ReaderProfile.objects.order_by("pk").values_list("user_id", "created_at")),
        "sign_ins": list(
            SignInRequest.objects.order_by("pk").values_list("email", "token_digest", "used_at")
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_reader_accounts_survive_a_backup_and_restore(tmp_path):
    reader = ReaderFactory(email="kept@example.org", first_name="Kept")
    issued = sign_in.issue(reader.email)
    before = readers_snapshot()
    assert before["readers"] and before["sign_ins"]
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive))

    reader.delete()
    SignInRequest.objects.all().delete()
    assert readers_snapshot() != before

    call_command("restore", str(archive))
    assert readers_snapshot() == before
    assert sign_in.find_by_token(issued.token).email == "kept@example.org"
