"""The database role make serve and make scaleout give the app (scripts/stack.py) is no superuser.

A superuser's session runs shell commands (COPY ... TO PROGRAM): one crafted
dump restored through the app would do so. Runs against the PostgreSQL of the
suite's PostgreSQL pass; it makes its own role and database and drops both.
"""

from __future__ import annotations

import importlib.util
import os
import secrets

import pytest

from tests.deploy.helpers import PROJECT_DIR

DATABASE_URL = os.environ.get("DATABASE_URL", "")
SERVER = DATABASE_URL.rsplit("/", 1)[0]

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)


def load_stack():
    spec = importlib.util.spec_from_file_location("stack", PROJECT_DIR / "scripts" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def stack():
    return load_stack()


@pytest.fixture
def names(stack):
    token = secrets.token_hex(4)
    database, role = f"newsroom_roletest_{token}", f"newsroom_roletest_{token}"
    yield database, role
    stack.drop_app_database(SERVER, database, role)


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def test_the_app_connects_as_its_own_role_that_is_no_superuser(stack, names):
    database, role = names
    url, created = stack.create_app_database(SERVER, database, role, secrets.token_urlsafe(24))
    assert created
    with connect(url) as connection:
        user, superuser, owner = connection.execute(
            "SELECT current_user, rolsuper, pg_get_userbyid(datdba) FROM pg_roles, pg_database"
            " WHERE rolname = current_user AND datname = current_database()"
        ).fetchone()
        assert (user, superuser, owner) == (role, False, role)
        # What migrations need: tables of its own.
        connection.execute("CREATE TABLE story (id serial PRIMARY KEY, title text)")


def test_the_apps_role_cannot_run_shell_commands(stack, names):
    import psycopg

    database, role = names
    url, _ = stack.create_app_database(SERVER, database, role, secrets.token_urlsafe(24))
    with connect(url) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute("COPY (SELECT 1) TO PROGRAM 'true'")


def test_an_existing_database_is_handed_over_with_its_tables(stack, names):
    database, role = names
    with connect(f"{SERVER}/postgres") as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    with connect(f"{SERVER}/{database}") as admin:
        admin.execute("CREATE TABLE story (id serial PRIMARY KEY, title text)")
        admin.execute("CREATE VIEW titles AS SELECT title FROM story")
    url, created = stack.create_app_database(SERVER, database, role, secrets.token_urlsafe(24))
    assert not created
    with connect(url) as connection:
        connection.execute("INSERT INTO story (title) VALUES ('kept')")
        connection.execute("ALTER TABLE story ADD COLUMN summary text")
        assert connection.execute("SELECT title FROM titles").fetchall() == [("kept",)]
        assert connection.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)


def test_a_superuser_role_is_refused_and_left_as_it_was(stack, names):
    database, role = names
    with connect(f"{SERVER}/postgres") as admin:
        admin.execute(f'CREATE ROLE "{role}" SUPERUSER')
    with pytest.raises(ValueError, match="is a superuser"):
        stack.create_app_database(SERVER, database, role, secrets.token_urlsafe(24))
    with connect(f"{SERVER}/postgres") as admin:
        assert admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role]).fetchone() == (True,)
        assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is None


def test_a_password_with_any_character_reaches_the_database(stack, names):
    database, role = names
    url, _ = stack.create_app_database(SERVER, database, role, "p@ss:w/rd%?#'\" " + secrets.token_hex(8))
    with connect(url) as connection:
        assert connection.execute("SELECT current_user").fetchone() == (role,)
