"""Task queue benchmark: no-op tasks per second, and enqueue-to-start latency at rest.

    python -m scripts.bench_queue       # make bench-queue

Two queues, each with one worker process (`manage.py run_worker`, as `make run`
and production start it):

- the database queue (django-tasks-db) on a throwaway SQLite file, as in development;
- RQ on Redis database 14 of 127.0.0.1:6379 (BENCH_QUEUE_REDIS_URL for another;
  its RQ keys are deleted before and after), as in production.

Throughput: TASKS no-op tasks enqueued first, then a burst worker runs them all
(the worker's start-up is timed apart). Latency: a waiting worker, one task at
a time, the time from enqueue to the worker starting it, as each queue records.
Prints a Markdown table and writes bench/queue.json.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
TASKS = int(os.environ.get("BENCH_QUEUE_TASKS", "1000"))
SAMPLES = int(os.environ.get("BENCH_QUEUE_SAMPLES", "30"))
REDIS_URL = os.environ.get("BENCH_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/14")


def environment(queue: str, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scripts.bench_queue.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "BENCH_QUEUE": queue,
        "BENCH_QUEUE_REDIS_URL": REDIS_URL,
    }


def manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, **kwargs)


def clear_rq() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match="rq:*", count=1000))
    if keys:
        client.delete(*keys)


def measure(queue: str, database: Path) -> dict[str, float]:
    env = environment(queue, database)
    os.environ.update(env)
    import django

    django.setup()
    from scripts.bench_queue.tasks import nothing

    if queue == "rq":
        clear_rq()

    # A burst worker with nothing to do: its start-up cost, taken off the run below.
    idle = burst_seconds(env)
    started = time.perf_counter()
    results = [nothing.enqueue() for _ in range(TASKS)]
    enqueue_seconds = time.perf_counter() - started
    busy = burst_seconds(env)
    run_seconds = max(busy - idle, 1e-6)
    if not all(result_done(result) for result in results[-5:]):
        raise RuntimeError("the burst worker left tasks undone")

    worker = manage(env, "run_worker", "--verbosity", "0")
    try:
        latency(nothing, within=300)  # The worker is up once it has taken a first task.
        latencies = [latency(nothing) for _ in range(SAMPLES)]
    finally:
        worker.terminate()
        try:
            worker.wait(120)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    if queue == "rq":
        clear_rq()
    return {
        "enqueue_per_second": TASKS / enqueue_seconds,
        "run_per_second": TASKS / run_seconds,
        "latency_median_ms": statistics.median(latencies) * 1000,
        "latency_max_ms": max(latencies) * 1000,
    }


def burst_seconds(env: dict[str, str]) -> float:
    started = time.perf_counter()
    manage(env, "run_worker", "--burst", "--verbosity", "0").wait(600)
    return time.perf_counter() - started


def result_done(result) -> bool:
    result.refresh()
    return result.is_finished


def latency(task, within: float = 30) -> float:
    result = task.enqueue()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        result.refresh()
        if result.started_at is not None:
            return (result.started_at - result.enqueued_at).total_seconds()
        time.sleep(0.02)
    raise RuntimeError(f"the worker did not start a task within {within:.0f} s")


def main() -> int:
    queue = sys.argv[1] if len(sys.argv) > 1 else ""
    if not queue:
        # Each queue in a process of its own: Django is set up once per process.
        rows = {}
        for name in ("database", "rq"):
            out = subprocess.run(
                [sys.executable, "-m", "scripts.bench_queue", name],
                cwd=BASE_DIR,
                capture_output=True,
                text=True,
                check=True,
            )
            rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| queue ({TASKS} no-op tasks, 1 worker) | enqueue/s | run/s | start latency median | max |")
        print("|---|---:|---:|---:|---:|")
        for name, row in rows.items():
            print(
                f"| {name} | {row['enqueue_per_second']:.0f} | {row['run_per_second']:.0f} "
                f"| {row['latency_median_ms']:.0f} ms | {row['latency_max_ms']:.0f} ms |"
            )
        (BASE_DIR / "bench" / "queue.json").write_text(json.dumps(rows, indent=2) + "\n")
        return 0
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-queue-") as folder:
        database = Path(folder) / "queue.sqlite3"
        env = environment(queue, database)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "django_tasks_database", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        print(json.dumps(measure("rq" if queue == "rq" else "db", database)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main())
