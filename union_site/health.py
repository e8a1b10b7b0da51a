"""What /healthz checks, each in well under a second and writing nothing to the database: the database answers a
query, the default cache keeps a value (set, get, delete of a short key), the default file storage takes a file
(exists, save, delete of a two-byte probe). Each check is "ok" or "error: <kind of error>"; the details go to the
log, not to whoever asks (the address is public)."""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import Error, connection

from union_site.outage import discard_broken_connections, one_line

logger = logging.getLogger(__name__)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        discard_broken_connections()
        raise


def check_cache():
    key, token = f"healthz:{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    read = cache.get(key)
    cache.delete(key)
    if read != token:
        raise LookupError("value not read back")


def check_storage():
    name = f"healthz-{uuid.uuid4().hex[:12]}.txt"
    default_storage.exists(name)
    stored = default_storage.save(name, ContentFile(b"ok"))
    default_storage.delete(stored)


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


def run_checks():
    """{"database": "ok" | "error: …", "cache": …, "storage": …}"""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("healthz: %s check failed (%s)", name, one_line(error))
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results


def health():
    """The /healthz answer and its HTTP status: 503 (unavailable) when the database is down, since no page can be
    served; a failing cache or storage leaves pages working (the cache degrades to misses), so it is 200, degraded."""
    checks = run_checks()
    if checks["database"] != "ok":
        return {"status": "unavailable", "checks": checks}, 503
    status = "ok" if all(result == "ok" for result in checks.values()) else "degraded"
    return {"status": status, "checks": checks}, 200
