"""Counting in Redis: one hash per hour, story id to views, until the flush moves it to the database.

Every call here gives up quietly when Redis is unreachable: a reader's page
view is never worth an error, and a view not counted is the only loss.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import redis
from redis.commands.core import Script
from redis.exceptions import RedisError

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# An hour's counts wait this long for a flush before Redis drops them.
HOUR_KEY_LIFETIME = timedelta(hours=48)
# The countable stories are looked up again at least this often (publishing clears them at once).
COUNTABLE_LIFETIME = timedelta(minutes=5)
# Only one process rebuilds the countable set at a time; views meanwhile ask the database.
REBUILD_LOCK_SECONDS = 10
# A set member that marks the set as built even when no story is countable (ids start at 1).
BUILT_MARK = "0"

# Subtracts what a flush wrote to the database, field by field, and drops
# fields that reach zero: views counted meanwhile stay for the next flush.
_SUBTRACT = """
for i = 1, #ARGV, 2 do
    local left = redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1]))
    if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1
"""

# One round trip per view: whether the countable set is built, whether the
# story is in it, and the count itself. Answers -1 when the set must be built
# first, 0 for a story not counted, 1 once counted.
_COUNT_IF_COUNTABLE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""
NOT_BUILT = -1


@functools.cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=settings.READERSHIP_REDIS_TIMEOUT,
        socket_timeout=settings.READERSHIP_REDIS_TIMEOUT,
    )


def client() -> redis.Redis | None:
    url = settings.READERSHIP_REDIS_URL
    return _client_for(url) if url else None


def _key(name: str) -> str:
    return f"{settings.READERSHIP_KEY_PREFIX}{name}"


def hour_start(moment: datetime) -> datetime:
    return moment.astimezone(dt_timezone.utc).replace(minute=0, second=0, microsecond=0)


def hour_key(hour: datetime) -> str:
    return _key(f"hour:{hour:%Y%m%d%H}")


def countable_key() -> str:
    return _key("countable")


def record_view(
    story_id: int, countable_ids: Callable[[], Iterable[int]], is_countable: Callable[[int], bool]
) -> bool:
    """Count one view of `story_id` in the current hour if it is countable; False when not counted.

    `countable_ids()` gives the ids of the stories that may be counted, asked
    only when Redis holds no current copy of them; while another process
    rebuilds that copy, `is_countable(story_id)` answers for this one story.
    """
    connection = client()
    if connection is None:
        return False
    try:
        count = _count_script(connection)
        keys = [countable_key(), hour_key(hour_start(timezone.now()))]
        arguments = [story_id, int(HOUR_KEY_LIFETIME.total_seconds())]
        counted = count(keys=keys, args=arguments)
        if counted == NOT_BUILT:
            if _rebuild_countable(connection, countable_ids):
                counted = count(keys=keys, args=arguments)
            elif is_countable(story_id):
                # Another process is building the set: count this view without it.
                pipe = connection.pipeline(transaction=False)
                pipe.hincrby(keys[1], str(story_id), 1)
                pipe.expire(keys[1], arguments[1])
                pipe.execute()
                counted = 1
        return counted == 1
    except (RedisError, OSError):
        logger.warning("Readership: Redis is unreachable, a view was not counted", exc_info=True)
        return False


# Registered once per connection: redis-py sends the script's SHA and loads
# the script again only when the server answers that it does not know it.
@functools.cache
def _count_script(connection: redis.Redis) -> Script:
    return connection.register_script(_COUNT_IF_COUNTABLE)


def _rebuild_countable(connection: redis.Redis, countable_ids: Callable[[], Iterable[int]]) -> bool:
    lock = _key("countable:rebuilding")
    if not connection.set(lock, "1", nx=True, ex=REBUILD_LOCK_SECONDS):
        return False
    try:
        store_countable(connection, countable_ids())
    finally:
        connection.delete(lock)
    return True


def store_countable(connection: redis.Redis, ids: Iterable[int]) -> None:
    """Replace the countable set at once (readers never see it half built)."""
    building = _key("countable:building")
    pipe = connection.pipeline(transaction=True)
    pipe.delete(building)
    pipe.sadd(building, BUILT_MARK)
    batch: list[int] = []
    for story_id in ids:
        batch.append(story_id)
        if len(batch) == 1000:
            pipe.sadd(building, *batch)
            batch = []
    if batch:
        pipe.sadd(building, *batch)
    pipe.rename(building, countable_key())
    pipe.expire(countable_key(), int(COUNTABLE_LIFETIME.total_seconds()))
    pipe.execute()


def forget_countable() -> None:
    """Drop the countable set, so the next view looks up the stories again (after a publish)."""
    connection = client()
    if connection is None:
        return
    try:
        connection.delete(countable_key())
    except (RedisError, OSError):
        logger.warning("Readership: Redis is unreachable, the countable stories were not refreshed")


def pending_counts(now: datetime) -> dict[datetime, dict[int, int]]:
    """Views counted in Redis and not yet flushed, by hour then story, for every hour still kept."""
    connection = client()
    if connection is None:
        return {}
    newest = hour_start(now)
    hours = [newest - timedelta(hours=n) for n in range(int(HOUR_KEY_LIFETIME.total_seconds() // 3600) + 1)]
    pipe = connection.pipeline(transaction=False)
    for hour in hours:
        pipe.hgetall(hour_key(hour))
    counts: dict[datetime, dict[int, int]] = {}
    for hour, fields in zip(hours, pipe.execute(), strict=True):
        by_story = {int(story): int(views) for story, views in fields.items() if int(views) > 0}
        if by_story:
            counts[hour] = by_story
    return counts


def subtract_counts(counts: dict[datetime, dict[int, int]]) -> None:
    """Take out of Redis the views a flush has written to the database."""
    connection = client()
    if connection is None or not counts:
        return
    subtract = connection.register_script(_SUBTRACT)
    pipe = connection.pipeline(transaction=False)
    for hour, by_story in counts.items():
        arguments = [value for story, views in by_story.items() for value in (story, views)]
        subtract(keys=[hour_key(hour)], args=arguments, client=pipe)
    pipe.execute()


def flush_lock(seconds: int) -> bool:
    """Whether this process may flush now: one flush at a time, even with several schedulers."""
    connection = client()
    if connection is None:
        return False
    return bool(connection.set(_key("flushing"), "1", nx=True, ex=seconds))


def release_flush_lock() -> None:
    connection = client()
    if connection is not None:
        connection.delete(_key("flushing"))
