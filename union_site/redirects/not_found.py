"""The 404 log (NotFoundPath): which missing addresses are asked for, how often, from where, counted in the cache and
written to the database in batches. A request writes nothing to the database, so a scanner trying thousands of
addresses, or a dead link in a WeChat post read by thousands, costs the database one task row a minute.

- `record(request)` counts one 404 (middleware.py calls it when no redirect answered): public GETs only, not the
  admin, static files or uploads. The address is the path without its query string (so ?from=timeline does not make
  a row of its own), percent-encoded as redirects store it, cut at PATH_LENGTH; bots' probes count under their
  kind's name (probes.py).
- Counting, per WINDOW (60 s, by the clock): `hits` keys count each address (`cache.incr`; on Redis INCR + EXPIRE in
  one round trip); the first hit of an address in a window takes a numbered slot (another `incr`) that names it, so
  the write-back can find the window's addresses without listing keys, which Django's cache cannot; a `last` key
  holds the latest time, referrer and full address. At most MAX_PATHS per window get a slot: a scanner inventing
  addresses fills the window, not the database.
- Scheduling: the window's first address (slot 1) enqueues one `write_back_not_found` task to run when the window
  has ended, so whatever the traffic the site writes one task row per window (django-tasks, `manage.py db_worker`).
- `write_back()` (the task, or by hand) adds every finished window still in the cache (the last hour: a window
  whose task could not be queued is taken by the next one) to the table: one SELECT of the rows, one bulk UPDATE
  (hits = hits + n) and one bulk INSERT per window, then the window's keys are deleted. A lock in the cache keeps two
  write-backs apart.

What can be lost: the cache losing its data (a Redis restart, eviction) loses the windows not yet written; a window
left unwritten for over KEY_SECONDS (the worker stopped for an hour) expires; a crash between the commit and the
deletion of the keys counts that window twice. The file-based cache (one host without Redis) counts approximately
when many requests arrive at once, as for 阅读数 (union_site/common/counters.py). A cache outage: 404s are not
counted, pages are served. The log is for finding broken links, not for exact statistics.
"""

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django_tasks import task

from union_site.common.text import strip_controls
from union_site.redirects.models import PATH_LENGTH, NotFoundPath
from union_site.redirects.probes import probe_of

WINDOW = 60  # seconds per window: the write-back runs once a window at most
GRACE = 5  # seconds after a window's end before its write-back runs (clocks of several hosts differ a little)
KEY_SECONDS = 60 * 60  # a window's keys live this long: the longest the worker may be away without losing counts
MAX_PATHS = 500  # addresses counted per window; more are not logged (a scanner inventing addresses)
LOCK_SECONDS = 10 * 60
PREFIX = "notfound:v1"
REFERRER_LENGTH = NotFoundPath._meta.get_field("last_referrer").max_length
FULL_PATH_LENGTH = NotFoundPath._meta.get_field("last_full_path").max_length

logger = logging.getLogger(__name__)


def window_of(moment=None):
    return int((moment or timezone.now()).timestamp() // WINDOW)


def _key(window, *parts):
    return ":".join([PREFIX, str(window), *parts])


def _digest(path):
    return hashlib.blake2b(path.encode(), digest_size=12).hexdigest()


def not_logged_prefixes():
    return ("/admin/", settings.STATIC_URL, settings.MEDIA_URL)


def is_logged(request):
    return request.method == "GET" and not request.path.startswith(not_logged_prefixes())


def entry_for(request):
    """(path, kind) of the row a 404 of this request counts in."""
    probe = probe_of(request.path)
    if probe:
        return probe, NotFoundPath.Kind.PROBE
    return escape_uri_path(request.path)[:PATH_LENGTH], NotFoundPath.Kind.PAGE


def _incr(key):
    """One more at `key` (made when missing); the new value."""
    if hasattr(cache, "incr_counter"):  # Redis (union_site/common/cache.py): INCR and EXPIRE in one round trip
        return cache.incr_counter(key, KEY_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        return 1 if cache.add(key, 1, KEY_SECONDS) else cache.incr(key)


def record(request):
    """Count one 404 of `request` in the cache. Never raises: a cache outage means the 404 is not counted."""
    if not is_logged(request):
        return
    path, kind = entry_for(request)
    now = timezone.now()
    window, digest = window_of(now), _digest(path)
    referrer = strip_controls(request.META.get("HTTP_REFERER", ""))[:REFERRER_LENGTH]
    full_path = strip_controls(request.get_full_path())[:FULL_PATH_LENGTH]
    try:
        if _incr(_key(window, "hits", digest)) == 1:  # this address's first 404 in the window
            slot = _incr(_key(window, "slots"))
            if slot <= MAX_PATHS:
                cache.set(_key(window, "slot", str(slot)), (path, kind, now.timestamp()), KEY_SECONDS)
            if slot == 1:
                _schedule(window)
        cache.set(_key(window, "last", digest), (now.timestamp(), referrer, full_path), KEY_SECONDS)
    except Exception as error:  # ValueError from a Redis that is down, OSError, …: the page is served regardless
        logger.warning("404 not logged, cache unavailable: %s", type(error).__name__)


def _schedule(window):
    run_after = datetime.fromtimestamp((window + 1) * WINDOW + GRACE, tz=UTC)
    try:
        write_back_not_found.using(run_after=run_after).enqueue(window)
    except Exception as error:  # the database refused the task: the next window's write-back takes this one too
        logger.warning("404 log write-back not scheduled: %s", type(error).__name__)


def write_back(until=None):
    """Write every window up to `until` (a window number; default the current one, so by hand nothing waits) into
    the table. Returns the number of 404s written."""
    lock = f"{PREFIX}:writing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        return 0
    try:
        last = window_of() if until is None else until
        windows = range(last - KEY_SECONDS // WINDOW, last + 1)
        slots = cache.get_many([_key(window, "slots") for window in windows])
        return sum(
            _write_window(window, slots[_key(window, "slots")])
            for window in windows
            if isinstance(slots.get(_key(window, "slots")), int)
        )
    finally:
        cache.delete(lock)


def _write_window(window, slot_count):
    slot_keys = [_key(window, "slot", str(slot)) for slot in range(1, min(slot_count, MAX_PATHS) + 1)]
    entries = {}  # path → [kind, first seen, hits, last seen, referrer, full path]
    named = cache.get_many(slot_keys)
    digests = {_digest(path): (path, kind, first) for path, kind, first in named.values()}
    hits = cache.get_many([_key(window, "hits", digest) for digest in digests])
    lasts = cache.get_many([_key(window, "last", digest) for digest in digests])
    for digest, (path, kind, first) in digests.items():
        count = hits.get(_key(window, "hits", digest))
        if not isinstance(count, int) or count <= 0:
            continue
        seen, referrer, full_path = lasts.get(_key(window, "last", digest), (first, "", ""))
        entries[path] = [kind, _moment(first), count, _moment(seen), referrer, full_path]
    if entries:
        _save(entries)
    keys = [_key(window, "slots"), *slot_keys]
    keys += [_key(window, part, digest) for digest in digests for part in ("hits", "last")]
    cache.delete_many(keys)  # after the commit: a crash before this writes the window twice, never loses it
    return sum(entry[2] for entry in entries.values())


def _moment(timestamp):
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _save(entries):
    with transaction.atomic():
        rows = NotFoundPath.objects.select_for_update().filter(path__in=list(entries))
        existing = {row.path: row for row in rows}
        changed = []
        for path, row in existing.items():
            kind, _, count, seen, referrer, full_path = entries.pop(path)
            row.hits = F("hits") + count
            row.last_seen_at = max(row.last_seen_at, seen)
            row.last_referrer = referrer or row.last_referrer
            row.last_full_path = full_path or row.last_full_path
            changed.append(row)
        NotFoundPath.objects.bulk_update(changed, ["hits", "last_seen_at", "last_referrer", "last_full_path"])
        NotFoundPath.objects.bulk_create(
            [
                NotFoundPath(
                    path=path,
                    kind=kind,
                    hits=count,
                    first_seen_at=first,
                    last_seen_at=seen,
                    last_referrer=referrer,
                    last_full_path=full_path,
                )
                for path, (kind, first, count, seen, referrer, full_path) in entries.items()
            ]
        )


def prune(days):
    """Delete the rows no one has asked for in `days` days; returns how many."""
    deleted, _ = NotFoundPath.objects.filter(last_seen_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


@task()
def write_back_not_found(window):
    """The background task: the 404s counted up to `window` (ended by the time it runs) into the 404 log."""
    return write_back(window)
