"""Media on S3-compatible object storage (django-storages), against a real S3 API on loopback.

moto's standalone server stands in for the object store; the test skips, saying
why, only when it cannot start.
"""

import io
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import override_settings

from wagtail.images import get_image_model

BUCKET = "newsroom-media"
# The policy site/README.md asks operators to put on the bucket: readers fetch media anonymously.
PUBLIC_READ_POLICY = (
    (settings.BASE_DIR / "site" / "s3-public-read-policy.json").read_text().replace("BUCKET_NAME", BUCKET)
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    pytest.importorskip("moto.server", reason="moto[server] is not installed (requirements-dev.txt)")
    pytest.importorskip("boto3", reason="boto3 is not installed (django-storages[s3])")
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urlopen(f"{endpoint}/moto-api/", timeout=1).close()  # noqa: S310 - loopback test server
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                stderr = process.stderr.read().decode(errors="replace")[-500:] if process.stderr else ""
                pytest.skip(f"moto's S3 server did not start on {endpoint}: {stderr or 'timed out'}")
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_endpoint, tmp_path):
    import boto3

    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, **credentials)
    s3.create_bucket(Bucket=BUCKET)
    # Readers fetch media anonymously: the bucket policy site/README.md asks for.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=PUBLIC_READ_POLICY)
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "storages.backends.s3.S3Storage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_QUERYSTRING_AUTH=False,
        AWS_S3_FILE_OVERWRITE=False,
    ):
        yield s3_endpoint


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_uploaded_image_and_its_rendition_are_stored_and_read_back_from_s3(s3_storage, db):
    original = png_bytes(640, 480)
    image = get_image_model().objects.create(
        title="Lab bench", file=ImageFile(io.BytesIO(original), name="lab-bench.png")
    )
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert image.file.url.startswith(f"{s3_storage}/{BUCKET}/original_images/")

    with default_storage.open(image.file.name) as stored:
        assert stored.read() == original

    rendition = image.get_rendition("fill-120x90")
    assert rendition.url.startswith(f"{s3_storage}/{BUCKET}/images/")
    with default_storage.open(rendition.file.name) as stored:
        assert PILImage.open(io.BytesIO(stored.read())).size == (120, 90)

    # Readers fetch the plain public URL (no signature that would change per render).
    with urlopen(rendition.url, timeout=5) as response:  # noqa: S310 - loopback test server
        assert PILImage.open(io.BytesIO(response.read())).size == (120, 90)
