"""The Redis cache (settings: REDIS_URL) as a cache should fail: an outage is a miss, never a 500.

`ForgivingRedisCache` is Django's own RedisCache whose every call that reaches Redis catches a connection or
timeout error and answers as an empty cache would:

    get → the default        get_many → {}            has_key → False
    add → False              set, set_many, delete_many → nothing stored (set_many names every key as failed)
    delete, touch → False    clear → False
    incr, decr → ValueError, as for a missing key (Django's contract; callers that count already handle it)

One warning goes to the log (`union_site.cache`) at most once a minute, with how many calls failed meanwhile.
After a failure the cache is skipped for `UNAVAILABLE_SECONDS`, so a Redis that no longer answers at all (a host
gone, packets dropped) costs a page one socket timeout, not one per cache call; then it is tried again.
`redis_cache(url)` is the settings entry, with short socket timeouts (0.25 s to connect and to read).

Each pool's client (redis.Redis, thread-safe) is made once and reused: Django makes a new one for every call, which
costs more than the call's round trip to a local Redis.

Anything else (a value that cannot be pickled, a wrong command) is a bug and still raises.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("union_site.cache")

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60
UNAVAILABLE_SECONDS = 2.0
SOCKET_TIMEOUT = 0.25  # seconds to connect, and to wait for an answer: Redis answers in well under a millisecond


class _Outage:
    """When Redis last failed, and the throttled warning about it; one per process, shared by every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failed_at = None  # time.monotonic() of the last failure; None while Redis answers
        self.warned_at = None
        self.unreported = 0

    def skipping(self):
        failed_at = self.failed_at
        return failed_at is not None and time.monotonic() - failed_at < UNAVAILABLE_SECONDS

    def failed(self, operation, error):
        now = time.monotonic()
        with self.lock:
            self.failed_at = now
            self.unreported += 1
            if self.warned_at is not None and now - self.warned_at < WARN_EVERY_SECONDS:
                return
            self.warned_at, count, self.unreported = now, self.unreported, 0
        logger.warning(
            "cache unavailable, answering as a miss: %s on %s (%d failed call(s) since the last warning)",
            type(error).__name__,
            operation,
            count,
        )

    def recovered(self):
        if self.failed_at is not None:
            self.failed_at = None


outage = _Outage()


class CacheUnavailable(Exception):
    """Raised inside this module only: Redis was skipped or failed; the public method answers its fallback."""


def redis_cache(url):
    """settings.CACHES["default"] for the Redis at `url` (REDIS_URL): forgiving, with short timeouts."""
    return {
        "BACKEND": "union_site.common.cache.ForgivingRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT},
    }


class ReusedClients(RedisCacheClient):
    """Django's Redis client maker, keeping one client per connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def _call(self, operation, *args, **kwargs):
        if outage.skipping():
            raise CacheUnavailable
        try:
            method = getattr(self, operation) if operation.startswith("_") else getattr(super(), operation)
            result = method(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            outage.failed(operation, error)
            raise CacheUnavailable from error
        outage.recovered()
        return result

    def get(self, key, default=None, version=None):
        try:
            return self._call("get", key, default, version=version)
        except CacheUnavailable:
            return default

    def get_many(self, keys, version=None):
        try:
            return self._call("get_many", keys, version=version)
        except CacheUnavailable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call("has_key", key, version=version)
        except CacheUnavailable:
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("add", key, value, timeout, version=version)
        except CacheUnavailable:
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            self._call("set", key, value, timeout, version=version)
        except CacheUnavailable:
            pass

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set_many", data, timeout, version=version)
        except CacheUnavailable:
            return list(data)  # Django's contract: the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("touch", key, timeout, version=version)
        except CacheUnavailable:
            return False

    def delete(self, key, version=None):
        try:
            return self._call("delete", key, version=version)
        except CacheUnavailable:
            return False

    def delete_many(self, keys, version=None):
        try:
            self._call("delete_many", keys, version=version)
        except CacheUnavailable:
            pass

    def incr(self, key, delta=1, version=None):
        """decr() is incr() with -delta (BaseCache), so both raise ValueError when Redis is unavailable."""
        try:
            return self._call("incr", key, delta, version=version)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from None

    def incr_counter(self, key, timeout, delta=1):
        """Add `delta` (1) to the integer at `key`, creating it (lifetime `timeout`) when missing; the new value. One
        round trip (INCR, then EXPIRE NX in the same pipeline) where Django's incr/add take two or three. ValueError
        when Redis is unavailable, as incr."""
        try:
            return self._call("_incr_counter", key, timeout, delta)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from None

    def _incr_counter(self, key, timeout, delta):
        pipe = self._cache.get_client(key, write=True).pipeline(transaction=False)
        name = self.make_key(key)
        pipe.incr(name, delta)
        pipe.expire(name, int(timeout), nx=True)
        return pipe.execute()[0]

    def clear(self):
        try:
            return self._call("clear")
        except CacheUnavailable:
            return False
