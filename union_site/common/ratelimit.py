"""A per-key rate limit counted in the shared cache (Redis in production, so every host counts together).

`allow(scope, key, limit, seconds)` counts one more hit of `key` in the current window of `seconds` and says whether
it is still within `limit`. Fixed windows (the key names the window), so at a window's edge up to twice the limit can
pass in a short time; enough for abuse of public forms, and one cache round trip per hit. Keys are digests: a phone
number or an address is not stored in the cache as it is. A cache error lets the hit through and is logged: a cache
outage must not close a public form (the login lockout, django-axes, keeps its own records in the database)."""

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
PREFIX = "ratelimit:v1"


def window_key(scope, key, seconds, now=None):
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    window = int((now if now is not None else time.time()) // seconds)
    return f"{PREFIX}:{scope}:{digest}:{window}"


def count(scope, key, seconds):
    """The hits of `key` in this window so far, without adding one (0 when the cache failed)."""
    try:
        return cache.get(window_key(scope, key, seconds)) or 0
    except Exception:
        logger.exception("限流计数读取失败：%s", scope)
        return 0


def hit(scope, key, seconds):
    """One more hit; returns the hits in this window, this one included (0 when the cache failed)."""
    name = window_key(scope, key, seconds)
    try:
        cache.add(name, 0, seconds + 1)
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds + 1)
        return 1
    except Exception:
        logger.exception("限流计数失败：%s", scope)
        return 0


def allow(scope, key, limit, seconds):
    return hit(scope, key, seconds) <= limit
