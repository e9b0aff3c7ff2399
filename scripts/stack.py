"""Process helpers shared by the scripts that start the stack on loopback (bench, scaleout)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    """Return once `url` answers 2xx; fail after `seconds`, or at once if `process` has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def create_database(server: str, name: str, *, if_missing: bool = False) -> bool:
    """CREATE DATABASE `name` on the PostgreSQL at `server` (postgres://user@host:port).

    With `if_missing`, a database of that name is kept as it is. Returns whether one was created.
    """
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        if (
            if_missing
            and connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        ):
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


# Roles whose members may reach the server's files or shell (PostgreSQL 11+).
_SERVER_ACCESS_ROLES = ("pg_execute_server_program", "pg_read_server_files", "pg_write_server_files")


def create_app_database(server: str, name: str, role: str, password: str) -> tuple[str, bool]:
    """Database `name` owned by login role `role`, which is no superuser; the app's DATABASE_URL.

    The app never connects as a superuser: a superuser's session runs shell
    commands (COPY ... TO PROGRAM), and one crafted dump restored through the
    app would do so. `server` (postgres://admin@host:port) creates the role, or
    sets the password and the attributes of an existing one (refused if it is a
    superuser or may reach the server's files or shell), and the database; an
    existing database is handed over with its tables. Returns the URL and
    whether the database was created.
    """
    import psycopg
    from psycopg import sql

    attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {}")
    attributes = attributes.format(sql.Literal(password))
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        existing = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        if existing is None:
            connection.execute(sql.SQL("CREATE ROLE {} ").format(sql.Identifier(role)) + attributes)
        else:
            granted = [
                reach
                for reach in _SERVER_ACCESS_ROLES
                if connection.execute(
                    "SELECT to_regrole(%s) IS NOT NULL AND pg_has_role(%s, to_regrole(%s), 'MEMBER')",
                    [reach, role, reach],
                ).fetchone()[0]
            ]
            if existing[0] or granted:
                what = "a superuser" if existing[0] else f"a member of {', '.join(granted)}"
                raise ValueError(f"PostgreSQL role {role!r} is {what}: the app needs a role of its own")
            connection.execute(sql.SQL("ALTER ROLE {} ").format(sql.Identifier(role)) + attributes)
        created = not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        owner = sql.Identifier(role)
        if created:
            connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), owner))
        else:
            connection.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name), owner))
    if not created:
        _hand_over_tables(f"{server}/{quote(name, safe='')}", role)
    parts = urlsplit(server)
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@{parts.hostname or '127.0.0.1'}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, "/" + quote(name, safe=""), "", "")), created


def _hand_over_tables(database_url: str, role: str) -> None:
    """Make `role` the owner of the public schema and what is in it (a database made by another role)."""
    import psycopg
    from psycopg import sql

    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "S": "SEQUENCE",
        "f": "FOREIGN TABLE",
    }
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(role)))
        # Sequences behind serial and identity columns follow their tables.
        rows = connection.execute(
            """
            SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = ANY(%s) AND c.relowner <> to_regrole(%s)
              AND NOT (c.relkind = 'S' AND EXISTS (
                SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.deptype IN ('a', 'i')))
            """,
            [list(kinds), role],
        ).fetchall()
        for kind, relation in rows:
            connection.execute(
                sql.SQL("ALTER {} public.{} OWNER TO {}").format(
                    sql.SQL(kinds[kind]), sql.Identifier(relation), sql.Identifier(role)
                )
            )


def drop_app_database(server: str, name: str, role: str) -> None:
    """Drop what create_app_database made: the database (its connections closed), then the role."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def purge_secret() -> str:
    """A new secret for Varnish's PURGE: varnishd and the app both get it as VARNISH_PURGE_SECRET."""
    return secrets.token_urlsafe(32)


def public_read_policy(bucket: str) -> str:
    """The bucket policy site/README.md asks for (site/s3-public-read-policy.json), for `bucket`."""
    return (ROOT / "site" / "s3-public-read-policy.json").read_text().replace("BUCKET_NAME", bucket)


def vcl_for_backends(ports: list[int]) -> str:
    """site/varnish/default.vcl with one backend per app server on 127.0.0.1:port, all in its
    round-robin director."""
    vcl = (ROOT / "site" / "varnish" / "default.vcl").read_text()
    backend = re.search(r"^backend app1 \{\n.*?^\}\n", vcl, re.MULTILINE | re.DOTALL)
    if backend is None or "app.add_backend(app1);" not in vcl:
        raise ValueError("site/varnish/default.vcl no longer has backend app1 in a director")
    backends, additions = [], []
    for number, port in enumerate(ports, start=1):
        block = backend.group(0).replace("backend app1", f"backend app{number}")
        block = re.sub(r'\.host = "[^"]*";', '.host = "127.0.0.1";', block)
        backends.append(re.sub(r'\.port = "[^"]*";', f'.port = "{port}";', block))
        additions.append(f"    app.add_backend(app{number});")
    vcl = vcl.replace(backend.group(0), "\n".join(backends))
    return vcl.replace("    app.add_backend(app1);", "\n".join(additions))


def find_varnishd() -> str | None:
    """varnishd's path; Debian installs it in /usr/sbin, often not on a user's PATH."""
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM, then SIGKILL after 10 s; a process started in its own session goes with its children."""
    if process is None or process.poll() is not None:
        return
    leads_its_group = _group_of(process.pid) == process.pid
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if leads_its_group:
        # Workers a killed master left behind (gunicorn's, varnishd's child).
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None
