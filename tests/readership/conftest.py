import shutil
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
import redis

from django.utils import timezone

from readership import counter
from readership.counter import hour_start
from readership.models import HourlyViews

# Tests of readership count in this Redis database, each under its own key prefix.
TEST_REDIS_URL = "redis://127.0.0.1:6379/10"


@pytest.fixture
def counting_redis(settings):
    """A real Redis for the counts, its keys apart from every other test's; removed afterwards."""
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.READERSHIP_REDIS_URL = TEST_REDIS_URL
    settings.READERSHIP_KEY_PREFIX = f"test-readership-{uuid.uuid4().hex}:"
    yield connection
    keys = list(connection.scan_iter(f"{settings.READERSHIP_KEY_PREFIX}*"))
    if keys:
        connection.delete(*keys)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server of the test's own, on a free port, for tests that stop it."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    connection = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            connection.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    settings.READERSHIP_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.READERSHIP_KEY_PREFIX = "test:"
    yield process
    process.kill()
    process.wait()
    counter._client_for.cache_clear()


def record_views(story, views: int, hours_ago: int = 0) -> HourlyViews:
    """Views already flushed into the database, `hours_ago` hours before the current hour."""
    hour = hour_start(timezone.now()) - timedelta(hours=hours_ago)
    return HourlyViews.objects.create(story=story, hour=hour, views=views)
