"""A throwaway copy of the demo site on a free loopback port, for tools that load real pages.

Used by scripts/lighthouse.py: a fresh SQLite database in a temporary folder,
migrated and filled from seeds/, served by Django's development server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


@contextlib.contextmanager
def demo_site(articles: int = 0) -> Iterator[str]:
    """Yields the base URL of a running demo site; stops it and removes its data afterwards.

    `articles`: generated stories (with pictures, comments and live blogs) beside the seed article.
    """
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        setup = [["migrate", "--noinput"], ["import_seeds"], ["configure_local_site", "--port", str(port)]]
        if articles:
            setup.insert(
                2, ["generate_demo_content", "--articles", str(articles), "--comments", str(articles * 5)]
            )
        for command in setup:
            subprocess.run([*manage, *command], env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)
