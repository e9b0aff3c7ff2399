"""`make scaleout` end to end: two app servers behind Varnish on one PostgreSQL, Redis and bucket.

The script makes its own PostgreSQL database, so it runs only in the suite's
PostgreSQL pass (running it in the SQLite pass too would prove nothing more);
it is skipped, saying why, without varnishd or moto.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.deploy.helpers import PROJECT_DIR

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://...)",
    ),
    # The script would install it as root; a test run only says it is missing.
    pytest.mark.skipif(
        (shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")) is None,
        reason="varnishd is not installed (apt-get install varnish)",
    ),
]


def run_scaleout() -> str:
    pytest.importorskip("moto.server", reason="moto[server] is not installed (requirements-dev.txt)")
    result = subprocess.run(
        [sys.executable, "scripts/scaleout.py", "--timeout", "240"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    skipped = re.search(r"^skipped: (.+)$", result.stdout, re.MULTILINE)
    if skipped:
        pytest.skip(skipped.group(1))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result.stdout


# One test, not one per check: the run takes half a minute, and test workers
# would each start their own.
def test_two_app_servers_behind_varnish_act_as_one_site():
    output = run_scaleout()

    # A headline published in A's admin is fresh through Varnish within a second, listings included.
    assert re.search(
        r"ok: published on A .* through Varnish the article had the new headline 0\.\d+ s later "
        r"\(X-Cache MISS\), and so had its section and the home page",
        output,
    )
    # An image uploaded to A: stored once in the bucket, the same files rendered by A and B.
    stored = re.search(r"ok: image \d+ uploaded to A's admin: (\d+) objects in the bucket", output)
    assert stored and int(stored.group(1)) >= 2
    assert "A and B render the same" in output
    # A comment on B's form, posted to A and confirmed there, shows on B and through Varnish.
    assert (
        "ok: B's comment form posted to A, confirmed by the emailed link on A; "
        "on B's article and through Varnish" in output
    )
    # Varnish sends requests to both app servers.
    balanced = re.search(r"ok: 10 uncached requests through Varnish: (\d+) on A, (\d+) on B", output)
    assert balanced and int(balanced.group(1)) > 0 and int(balanced.group(2)) > 0

    # Nothing is left behind: the database is dropped, the run's Redis keys (written under
    # its own prefix: Wagtail's site paths, renditions, the comment rate limit) deleted.
    import psycopg

    name = re.search(r"database (newsroom_scaleout_\w+);", output).group(1)
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=5) as connection:
        left = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    assert left is None
    deleted = re.search(r"(\d+) Redis keys of this run and (\d+) task queue keys deleted", output)
    assert deleted and int(deleted.group(1)) > 0
