"""Documents and pictures on S3-compatible storage (core.storage.MediaStorage), against
moto's S3 server on loopback, with the bucket policy site/README.md asks for.

Pictures are public objects at plain addresses; documents are private objects that
a reader reaches only through Wagtail's document view, which redirects to a signed
address once it has checked the reader may have the document.
"""

import time
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
import wagtail_factories

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.core.test_s3_media import BUCKET, PUBLIC_READ_POLICY, s3_endpoint  # noqa: F401 - a fixture
from tests.factories import document_in, root_collection

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}


@pytest.fixture
def s3(s3_endpoint):  # noqa: F811 - the fixture imported above
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=PUBLIC_READ_POLICY)
    return client


@pytest.fixture
def media_bucket(s3, s3_endpoint, settings, db):  # noqa: F811
    """Production's media settings with a bucket named (newsroom/settings/production.py)."""
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=86400"}
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "core.storage.MediaStorage"}}
    return f"{s3_endpoint}/{BUCKET}"


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url, timeout=5) as response:  # noqa: S310 - loopback test server
            return response.status, response.read()
    except HTTPError as error:
        return error.code, b""


def test_a_private_document_is_no_public_object(media_bucket, private_collection):
    document = document_in(private_collection)

    status, body = anonymous_get(f"{media_bucket}/{document.file.name}")

    assert document.file.name.startswith("documents/")
    assert status == 403
    assert b"secret" not in body


def test_every_document_is_a_private_object_while_pictures_are_public(media_bucket):
    document = document_in(root_collection(), name="report.pdf", content=b"%PDF-1.4 report")
    image = wagtail_factories.ImageFactory(title="Lab bench")
    rendition = image.get_rendition("fill-120x90")

    assert anonymous_get(f"{media_bucket}/{document.file.name}")[0] == 403
    # Pictures keep plain, unsigned addresses, the same on every render.
    assert image.file.url == f"{media_bucket}/{image.file.name}"
    assert anonymous_get(image.file.url)[0] == 200
    assert anonymous_get(rendition.url)[0] == 200


def test_anonymous_readers_of_a_private_document_are_sent_to_sign_in(
    client, media_bucket, private_collection
):
    document = document_in(private_collection)

    response = client.get(document.url)

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert BUCKET not in response["Location"]


def test_a_signed_in_reader_is_redirected_to_a_signed_address_that_works(
    client, media_bucket, private_collection
):
    document = document_in(private_collection)
    client.force_login(get_user_model().objects.create_user("reader", password="reader-password"))

    response = client.get(document.url)

    assert response.status_code == 302
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    signed = response["Location"]
    assert signed.startswith(f"{media_bucket}/{document.file.name}?")
    with urlopen(signed, timeout=5) as stored:  # noqa: S310 - loopback test server
        assert stored.read() == b"%PDF-1.4 secret minutes"
        assert stored.headers["Cache-Control"] == "private, no-store"
        assert stored.headers["Content-Type"] == "application/pdf"


def test_a_signed_address_expires_within_a_minute(media_bucket, private_collection):
    document = document_in(private_collection)
    before = time.time()

    query = parse_qs(urlsplit(document.file.url).query)

    if "X-Amz-Expires" in query:  # Signature Version 4
        assert int(query["X-Amz-Expires"][0]) == 60
    else:
        assert before + 55 <= int(query["Expires"][0]) <= time.time() + 65


def test_stored_files_are_typed_by_their_name_never_by_the_uploader(s3, media_bucket):
    """A browser declares any type it likes for an upload: a picture declared text/html
    would open as a web page from the bucket."""
    upload = ContentFile(b"\x89PNG not really", name="shot.png")
    upload.content_type = "text/html"
    name = default_storage.save("original_images/shot.png", upload)
    drawing = default_storage.save("original_images/drawing.svg", ContentFile(b"<svg/>"))
    sheet = default_storage.save("documents/budget.xlsx", ContentFile(b"PK"))

    def metadata(key: str) -> dict:
        return s3.head_object(Bucket=BUCKET, Key=key)

    assert metadata(name)["ContentType"] == "image/png"
    assert metadata(name)["CacheControl"] == "public, max-age=86400"
    # Shown by an <img>, downloaded when opened on its own: its scripts never run from the bucket.
    assert metadata(drawing)["ContentType"] == "image/svg+xml"
    assert metadata(drawing)["ContentDisposition"] == "attachment"
    assert metadata(sheet)["ContentType"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert metadata(sheet)["ContentDisposition"] == "attachment"
    assert metadata(sheet)["CacheControl"] == "private, no-store"
