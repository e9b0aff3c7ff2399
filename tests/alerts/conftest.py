import pytest

from alerts.push import generate_vapid_keys
from tests.alerts.push_service import PushService


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def alerts_on(db, settings, push_service):
    """Push keys set, and the local push service allowed as browsers' push services are."""
    keys = generate_vapid_keys()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = keys.public_key
    settings.WEBPUSH_VAPID_PRIVATE_KEY = keys.private_key
    settings.ALERTS_PUSH_SERVICE_HOSTS = ("127.0.0.1",)
    settings.ALERTS_PUSH_OVER_PLAIN_HTTP = True
    return keys
