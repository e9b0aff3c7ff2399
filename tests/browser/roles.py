"""The desk's roles and review workflow for live-server tests, and signing in through the admin's form.

Live-server tests flush every table after each test, so the groups and the
workflow the migrations made are there for the first test only; these put
them back by running the same migration functions.
"""

import importlib

import pytest

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from desk.roles import EDITORS, READER_COMMENT_MODERATORS, WRITERS

ROLE_MIGRATIONS = [
    ("desk.migrations.0001_roles_and_review", "create_roles"),
    ("discussion.migrations.0002_reader_comment_moderators", "create_moderators"),
]


def run_role_migrations() -> None:
    # The migration functions toggle `models_module` on the app configs they
    # create permissions for; on the live registry it must be put back.
    saved = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        for module, function in ROLE_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = saved[config.label]


@pytest.fixture
def role_accounts(home_page) -> dict:
    """One account per role, password = user name, on the live test server's site."""
    run_role_migrations()
    accounts = {}
    for username, group in (
        ("writer", WRITERS),
        ("news-editor", EDITORS),
        ("moderator", READER_COMMENT_MODERATORS),
    ):
        user = get_user_model().objects.create_user(username, f"{username}@example.org", username)
        user.groups.add(Group.objects.get(name=group))
        accounts[username] = user
    return accounts


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', username)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base_url}/admin/")


def sign_out(page, base_url: str) -> None:
    page.context.clear_cookies()
