"""Files under /media/ as a reader's browser receives them, from local disk: in
production (core.media.LocalMediaMiddleware) and in development (Django's
static serving, the URLs under DEBUG).

No file there can run script in the site's origin, and no document is ever
served there: documents go through Wagtail's document view, which checks who
may read them.
"""

import importlib

import pytest

from django.contrib.auth import get_user_model
from django.urls import clear_url_caches

from wagtail.models import CollectionViewRestriction

import newsroom.urls
from tests.factories import document_in, root_collection

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>document.title = 'owned'</script></svg>"
)
# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def media_on_disk(settings, tmp_path, db):
    """Media on the local disk (as on a one-machine site), in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "drawing.svg").write_bytes(SVG_WITH_SCRIPT)
    (tmp_path / "original_images" / "pixel.png").write_bytes(PNG)
    return tmp_path


@pytest.fixture
def production_media(settings, media_on_disk):
    """The production middleware answering /media/ (settings/production.py without a bucket)."""
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:1],
        "core.media.LocalMediaMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    return media_on_disk


@pytest.fixture
def development_media(settings, media_on_disk):
    """The development URLs, which serve /media/ only under DEBUG."""
    settings.DEBUG = True
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield media_on_disk
    settings.DEBUG = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


@pytest.fixture(params=["production", "development"])
def served_media(request):
    return request.getfixturevalue(f"{request.param}_media")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_sandboxed(response) -> None:
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_never_shared(response) -> None:
    directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_an_svg_with_a_script_is_served_sandboxed(client, served_media):
    response = client.get("/media/original_images/drawing.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert body(response) == SVG_WITH_SCRIPT
    assert_sandboxed(response)


def test_a_picture_is_served_sandboxed_and_cached_for_a_day(client, served_media):
    response = client.get("/media/original_images/pixel.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == PNG
    assert response["Cache-Control"] == "public, max-age=86400"
    assert_sandboxed(response)


def test_a_missing_file_is_a_sandboxed_404_cached_briefly(client, served_media):
    response = client.get("/media/images/none.png")

    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=60"
    assert_sandboxed(response)


@pytest.mark.parametrize(
    "path",
    [
        "documents/minutes.pdf",
        "images/../documents/minutes.pdf",
        "./documents/minutes.pdf",
        "documents//minutes.pdf",
        "Documents/minutes.pdf",
    ],
)
def test_documents_are_never_served_under_media(client, served_media, private_collection, path):
    document = document_in(private_collection)
    assert (served_media / document.file.name).read_bytes() == b"%PDF-1.4 secret minutes"

    response = client.get(f"/media/{path}")

    assert response.status_code == 404
    assert b"secret" not in body(response)


def test_public_documents_are_not_served_under_media_either(client, served_media):
    document = document_in(root_collection(), name="report.pdf", content=b"%PDF-1.4 report")

    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(document.url).status_code == 200


def test_a_private_document_sends_anonymous_readers_to_sign_in(client, media_on_disk, private_collection):
    document = document_in(private_collection)

    response = client.get(document.url)

    assert document.url == f"/documents/{document.pk}/minutes.pdf"
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert_never_shared(response)


def test_a_private_document_reaches_a_signed_in_reader_uncached(client, media_on_disk, private_collection):
    document = document_in(private_collection)
    client.force_login(get_user_model().objects.create_user("reader", password="reader-password"))

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == b"%PDF-1.4 secret minutes"
    assert_never_shared(response)


def test_a_private_document_is_never_kept_even_for_a_request_without_cookies(client, media_on_disk):
    """A password-protected collection answers with its form; no shared cache may keep it either."""
    collection = root_collection().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="embargo"
    )
    document = document_in(collection)

    response = client.get(document.url)

    assert response.status_code == 200
    assert b"secret" not in response.content
    assert_never_shared(response)


def test_a_public_document_may_be_cached(client, media_on_disk):
    document = document_in(root_collection(), name="report.pdf", content=b"%PDF-1.4 report")

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == b"%PDF-1.4 report"
    assert response["Cache-Control"].startswith("public, ")
    assert_sandboxed_document(response)


def assert_sandboxed_document(response) -> None:
    """Wagtail's own headers on the files its view streams."""
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_document_address_with_another_name_is_404(client, media_on_disk):
    document = document_in(root_collection(), name="report.pdf")

    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404
    assert client.get(f"/documents/{document.pk + 1}/report.pdf").status_code == 404


@pytest.mark.parametrize(
    "number", ["0", "99999999999999999999", "9223372036854775808", "00000000000000000000001"]
)
def test_a_document_number_out_of_range_is_404(client, media_on_disk, number):
    assert client.get(f"/documents/{number}/report.pdf").status_code == 404
