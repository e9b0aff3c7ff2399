"""A throwaway copy of the demo site on a free loopback port, for tools that load real pages.

Used by scripts/lighthouse.py and scripts/screenshots.py: a fresh SQLite
database and media folder in a temporary folder, migrated and filled by
management commands, served by Django's development server.
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


# The seed article alone: what the HTML checks and a quick look need.
SEEDS_ONLY = [["import_seeds"]]


@dataclass
class DemoSite:
    """A running demo site: its address, and `manage.py` run against its database."""

    base: str
    environment: dict[str, str]

    def manage(self, *command: str) -> str:
        """Runs a management command on this site's database; what it printed."""
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command],
            env=self.environment,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


@contextlib.contextmanager
def demo_site(setup: Sequence[Sequence[str]] = SEEDS_ONLY, verbose: bool = False) -> Iterator[DemoSite]:
    """A demo site built by `setup` (management commands after migrate), served on a free port;
    stopped and removed afterwards.

    Its SQLite database and uploads live in a temporary folder, never the developer's, and
    the views its pages count go nowhere (an unreachable Redis), not into a developer's site.
    """
    with tempfile.TemporaryDirectory(prefix="newsroom-demo-") as tmp:
        port = free_port()
        site = DemoSite(
            base=f"http://127.0.0.1:{port}",
            environment={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
                "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "PORT": str(port),
                "READERSHIP_REDIS_URL": "redis://127.0.0.1:9/0",
            },
        )
        for command in [["migrate", "--noinput"], *setup, ["configure_local_site", "--port", str(port)]]:
            if verbose:
                print("  manage.py", " ".join(command), flush=True)
            site.manage(*command)
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=site.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(site.base + "/")
            yield site
        finally:
            server.terminate()
            server.wait(timeout=10)
