#!/usr/bin/env python
"""Benchmark: one newsletter issue to 100,000 subscribers; never part of `make test`.

    python scripts/bench_newsletter.py                      # make bench-newsletter
    python scripts/bench_newsletter.py --subscribers 10000  # a shorter run

On a PostgreSQL database of its own (dropped and made again each run), it
makes demo stories (with pictures) for an issue of 8 stories, as the daily
briefing has (`--stories 0` for an issue with none), stores the subscribers,
starts a local SMTP sink (aiosmtpd, discarding what it receives), queues the
issue as the scheduler would and runs one task worker (`run_worker --burst`)
until the queue is empty. It reports messages per second, the worker's peak
resident memory (VmHWM), the size of one message and the machine's load
average before and after, and writes bench/newsletter.json. `--profile FILE`
runs the worker under cProfile. Targets: under 10 minutes and under 300 MB for
100,000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stack import create_database, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "newsroom_bench_newsletter"

SETTINGS = """
from newsroom.settings.dev import *  # noqa: F403

DEBUG = False
NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["BENCH_SMTP_PORT"])  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
"""

SEED = """
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from newsletters.models import Issue, IssueStory, Newsletter, Subscriber, Subscription
from newsletters.ranking import ranking
from newsletters.tasks import start_sending

count = int({count})
daily = Newsletter.objects.get(slug="daily-briefing")
now = timezone.now()
stories = ranking()(daily, now - timedelta(days=3650), int({stories})) if int({stories}) else []
chunk = 5000
for start in range(0, count, chunk):
    made = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{{n}}@bench.example") for n in range(start, min(start + chunk, count))]
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, newsletter=daily, confirmed_at=now) for s in made]
    )
with connection.cursor() as cursor:  # Fresh planner statistics, as a database in use has.
    cursor.execute("ANALYZE")
issue = Issue.objects.create(
    newsletter=daily, subject="Benchmark briefing", intro="Hello.", status="scheduled"
)
IssueStory.objects.bulk_create(
    [IssueStory(issue=issue, page_id=story.pk, sort_order=order) for order, story in enumerate(stories)]
)
start_sending(issue)
print(issue.pk)
"""

REPORT = """
from newsletters.messages import IssueMail, issue_message
from newsletters.models import Delivery, Issue
issue = Issue.objects.get(pk={pk})
one = IssueMail(issue_message(issue.pk)).message(1, "reader1@bench.example")
size = len(one.message().as_bytes(linesep="\\r\\n"))
print(issue.status, Delivery.objects.filter(issue=issue, status="sent").count(), issue.stories.count(), size)
"""


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident set size so far (Linux: VmHWM), in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """A running process's user and system CPU time so far (Linux: /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=8, help="Stories in the issue (default 8).")
    parser.add_argument("--profile", metavar="FILE", help="Run the worker under cProfile, its stats to FILE.")
    options = parser.parse_args()

    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    create_database(PG, DATABASE)

    smtp_port = free_port()
    settings_dir = Path(tempfile.mkdtemp(prefix="bench-newsletter-"))
    (settings_dir / "bench_newsletter_settings.py").write_text(SETTINGS)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{DATABASE}",
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_SETTINGS_MODULE="bench_newsletter_settings",
        PYTHONPATH=f"{settings_dir}{os.pathsep}{ROOT}",
        SECRET_KEY=secrets.token_urlsafe(40),
        BENCH_SMTP_PORT=str(smtp_port),
    )
    sink = worker = None
    try:
        print(f"Migrating {DATABASE} …", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        sink = subprocess.Popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{smtp_port}"],
            env=env,
        )
        if options.stories:
            print("Making demo stories for the issue …", flush=True)
            manage(
                env,
                "generate_demo_content",
                "--articles=20",
                "--comments=0",
                "--seed=1",
                "--allow-production",
            )
            # The stories' pictures are made by tasks: done now, not in the timed run.
            manage(env, "run_worker", "--burst", "-v", "0")
        print(f"Storing {options.subscribers:,} confirmed subscribers and queueing the issue …", flush=True)
        seed = SEED.format(count=options.subscribers, stories=options.stories)
        issue_pk = int(manage(env, "shell", "-c", seed, capture=True).strip().splitlines()[-1])

        load_before = os.getloadavg()
        sink_cpu_before = cpu_seconds(sink.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        profiler = ["-m", "cProfile", "-o", options.profile] if options.profile else []
        worker = subprocess.Popen(
            [PYTHON, *profiler, "manage.py", "run_worker", "--burst", "-v", "0"], cwd=ROOT, env=env
        )
        peak = 0.0
        while worker.poll() is None:
            peak = max(peak, peak_memory_mb(worker.pid))
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        # The worker is the only child reaped meanwhile: its CPU time is the difference.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = (children.ru_utime - children_before.ru_utime) + (
            children.ru_stime - children_before.ru_stime
        )
        sink_cpu = cpu_seconds(sink.pid) - sink_cpu_before
        report = manage(env, "shell", "-c", REPORT.format(pk=issue_pk), capture=True)
        # The last line is the report's; anything before it is the shell's own output.
        status, sent, stories, message_bytes = report.strip().splitlines()[-1].split()
    finally:
        stop(worker)
        stop(sink)

    result = {
        "subscribers": options.subscribers,
        "sent": int(sent),
        "issue_status": status,
        "seconds": round(elapsed, 1),
        "messages_per_second": round(int(sent) / elapsed, 1) if elapsed else None,
        "worker_peak_memory_mb": round(peak, 1),
        # CPU time per message: the worker's (Python, from planning to the last batch) and the SMTP
        # sink's. With the machine to themselves, their sum and the round trips are the time per message.
        "worker_cpu_ms_per_message": round(worker_cpu * 1000 / max(int(sent), 1), 2),
        "sink_cpu_ms_per_message": round(sink_cpu * 1000 / max(int(sent), 1), 2),
        "stories": int(stories),
        "message_bytes": int(message_bytes),
        "load_average_before": [round(load, 2) for load in load_before],
        "load_average_after": [round(load, 2) for load in load_after],
        "workers": 1,
        "database": "PostgreSQL",
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "newsletter.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    ok = int(sent) == options.subscribers and status == "sent" and elapsed < 600 and peak < 300
    print(f"{'PASS' if ok else 'FAIL'}: targets are every message sent, under 600 s and under 300 MB.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
