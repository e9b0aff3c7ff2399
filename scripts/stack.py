"""Process helpers shared by the scripts that start the stack on loopback (bench, scaleout)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

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
