import pytest

from tests.alerts.push_service import PushService, turn_alerts_on


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def alerts_on(db, settings, push_service):
    return turn_alerts_on(settings)
