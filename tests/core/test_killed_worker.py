"""A worker killed (SIGKILL) in the middle of sending an e-mail: the mail is sent later, once.

A real SMTP server (aiosmtpd) and real worker processes (`manage.py run_worker`)
on the test database: the first worker is killed while the server holds its
message unanswered, so nothing was delivered; the next worker finds the task
its dead predecessor left running, runs it again, and the message arrives
exactly once. The same on RQ, production's queue: RQ would give the task up as
failed once its time limit passed; the next worker puts it back at once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

from django.core.mail import send_mail
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_SECONDS = 180


class HoldingSink:
    """Accepts messages, except the `held`-th (counting from 1), which it holds unanswered
    until told its sender is dead."""

    def __init__(self, held: int = 1) -> None:
        self.held = held
        self.accepted: list[bytes] = []
        self.held_arrived = threading.Event()
        self.sender_killed = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        if len(self.accepted) == self.held - 1 and not self.held_arrived.is_set():
            self.held_arrived.set()
            while not self.sender_killed.is_set():
                await asyncio.sleep(0.05)
            return "451 The sender went away before the message was accepted"
        self.accepted.append(envelope.original_content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def holding_smtp_server(held: int = 1) -> Iterator[tuple[HoldingSink, int]]:
    """A real SMTP server on loopback that holds its `held`-th message: the sink and its port."""
    sink = HoldingSink(held)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        sink.sender_killed.set()
        controller.stop()


@pytest.fixture
def smtp_sink():
    with holding_smtp_server() as served:
        yield served


def worker_database_url(tmp_path: Path) -> str:
    """The test database, as a worker process reaches it (SQLite's in-memory one copied to a file)."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "worker.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def worker_environment(database_url: str, smtp_port: int, rq_url: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.core.killed_worker_settings",
        "TEST_SMTP_PORT": str(smtp_port),
        "TEST_RQ_URL": rq_url,
    }


WORKER = [sys.executable, "manage.py", "run_worker", "--verbosity", "0"]


def kill_with_children(pid: int) -> None:
    """SIGKILL a process's children (Linux's /proc lists them), then the process."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        os.kill(int(child), signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)


def killed_when(
    process: subprocess.Popen,
    ready: Callable[[], object],
    kill: Callable[[int], None] = lambda pid: os.kill(pid, signal.SIGKILL),
) -> None:
    """SIGKILL the process once `ready()` returns (it fails the test if that moment never
    comes), with no chance to clean up; it is killed anyway if anything goes wrong."""
    try:
        ready()
        kill(process.pid)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL


def wait_for_first_message(sink: HoldingSink, worker: subprocess.Popen) -> None:
    """Until the worker's message reaches the sink; a worker that exits first fails the test at once."""
    deadline = time.monotonic() + WORKER_SECONDS
    while not sink.held_arrived.wait(0.2):
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"no message from the worker: {worker.stdout.read().decode(errors='replace')}")


def task_statuses(database_url: str) -> list[str]:
    return first_column(database_url, f"SELECT status FROM {DBTaskResult._meta.db_table}")  # noqa: S608


def first_column(database_url: str, query: str) -> list:
    """The first column of `query`'s rows, read where the workers wrote them (the copy, on SQLite)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return [row[0] for row in db.execute(query)]
    with connection.cursor() as cursor:
        cursor.execute(query)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_a_mail_whose_worker_is_killed_mid_send_is_sent_once_by_the_next_worker(
    settings, smtp_sink, tmp_path
):
    sink, smtp_port = smtp_sink
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    send_mail("Your comment", "Please confirm it.", "desk@example.org", ["reader@example.org"])
    database_url = worker_database_url(tmp_path)

    first = subprocess.Popen(  # noqa: S603
        WORKER,
        cwd=BASE_DIR,
        env=worker_environment(database_url, smtp_port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    killed_when(first, lambda: wait_for_first_message(sink, first))
    sink.sender_killed.set()
    assert sink.accepted == []
    assert task_statuses(database_url) == ["RUNNING"]  # Left running by the dead worker.

    for _ in range(2):  # The second run finds nothing more to do.
        second = subprocess.run(  # noqa: S603
            [*WORKER, "--burst"],
            cwd=BASE_DIR,
            env=worker_environment(database_url, smtp_port),
            capture_output=True,
            timeout=WORKER_SECONDS,
        )
        assert second.returncode == 0, second.stderr.decode(errors="replace")

    assert len(sink.accepted) == 1
    assert b"Subject: Your comment" in sink.accepted[0]
    assert task_statuses(database_url) == ["SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)  # The worker copies the test database: nothing held open.
def test_an_rq_task_whose_worker_is_killed_mid_send_is_sent_once_by_the_next_worker(
    rq_queue, smtp_sink, tmp_path
):
    sink, smtp_port = smtp_sink
    rq_url = rq_queue.connection_pool.connection_kwargs
    rq_url = f"redis://{rq_url['host']}:{rq_url['port']}/{rq_url['db']}"
    send_mail("Your comment", "Please confirm it.", "desk@example.org", ["reader@example.org"])
    queue = Queue("default", connection=rq_queue)
    assert queue.count == 1
    database_url = worker_database_url(tmp_path)
    environment = worker_environment(database_url, smtp_port, rq_url)

    first = subprocess.Popen(  # noqa: S603
        WORKER, cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    # RQ runs each task in a work horse it forks in a session of its own: the kill takes
    # both, as an out-of-memory kill or a lost machine would.
    killed_when(first, lambda: wait_for_first_message(sink, first), kill=kill_with_children)
    sink.sender_killed.set()
    assert sink.accepted == []
    (job_id,) = StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)  # Left running by the dead worker.
    assert Job.fetch(job_id, connection=rq_queue).get_status() == JobStatus.STARTED

    for _ in range(2):  # The second run finds nothing more to do.
        second = subprocess.run(  # noqa: S603
            [*WORKER, "--burst"], cwd=BASE_DIR, env=environment, capture_output=True, timeout=WORKER_SECONDS
        )
        assert second.returncode == 0, second.stderr.decode(errors="replace")

    assert len(sink.accepted) == 1
    assert b"Subject: Your comment" in sink.accepted[0]
    assert Job.fetch(job_id, connection=rq_queue).get_status() == JobStatus.FINISHED
    assert FinishedJobRegistry(queue=queue).get_job_ids() == [job_id]
    assert FailedJobRegistry(queue=queue).count == 0
