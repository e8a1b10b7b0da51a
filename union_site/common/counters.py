"""Counters kept in the cache and written to the database in batches (阅读数): a public page view writes nothing to
the database.

- `count(model, pk)` adds 1 to the row's counter in the cache (`cache.incr`; `cache.add` when the key is missing)
  and returns the views not yet written; `pending(model, pk)` reads that number, so a page shows the stored value
  plus the pending one (`shown`: the stored value too from the cache, where each write-back leaves a copy of the
  rows' new values for STORED_SECONDS, else from the database). A cache error is logged and the view is simply not
  counted: a cache outage never breaks a page.
- In each process, views are first added up in memory and sent to the cache at most every FLUSH_SECONDS (1 s,
  `DJANGO_COUNTER_FLUSH_SECONDS`; 0 sends each view at once) by one thread of the process, one `incr` per row
  viewed: a crowd on one article costs the cache one round trip a second per process, not one per view, and a
  page served from the page cache asks the cache for nothing but the page. `pending` adds this process's unsent
  views. A process killed outright (SIGKILL, a crash of the machine) loses its unsent views, at most FLUSH_SECONDS
  of them; one that exits normally (gunicorn's restarts, a deploy) sends them first (atexit).
- Pages served from the page cache (union_site/page_cache.py) never reach their view, so a view does not count
  itself: `count_when_served(response, model, pk)` names the counter in a response header, which the page cache
  stores and replays with the page, and `CountersMiddleware` (above the page cache) counts every 200 that carries
  it, from the view or from the cache, then removes the header. A 304 (a browser revalidating its copy) and pages
  served by nginx's 5-second micro-cache are not counted.
- `write_back(model)` moves the pending counts into the database: per chunk of 1000 rows one `get_many`, then one
  `UPDATE … SET field = field + n WHERE pk IN (…)` per distinct n in one transaction, then `cache.decr` of each key
  by exactly the n written (not a delete: views counted meanwhile stay pending for the next write-back). It goes
  through `QuerySet.update`, so no signal fires: counting does not make content stale (union_site/common/generation.py).
- Finding the keys: Django's cache cannot list keys, so the write-back walks every pk of the model in pk order
  (keyset pages of 1000) and asks the cache for those keys. That works on every backend (LocMem, file-based, Redis,
  Memcached) with no index to keep consistent, and costs one cache round trip and one small query per 1000 rows
  per window: 10 of each a minute at 10,000 articles. Walking every row, not only the published ones, also writes
  the views of an article withdrawn after they were counted.
- Scheduling: there is no periodic task in django-tasks, so `count()` enqueues one `write_back_counts` task to run
  WINDOW seconds later, at most once per window per counter, guarded by `cache.add(flag, 1, WINDOW)`: whatever the
  traffic, the site writes one database row (the task) per window and counter, never one per view. Run by
  `manage.py db_worker` (README, Production). A failed enqueue (database down) is logged and leaves the counts in
  the cache; the next window's task writes them.

What can be lost or miscounted:
- The cache losing its data (a restart of Redis without persistence, eviction, a full LocMem/file cache culling
  entries): the views counted since the last write-back, at most WINDOW (60) seconds of views while the worker runs,
  more if the worker has been stopped. A counter key lives COUNTER_SECONDS (a week) and every write-back renews the
  keys it wrote, so keys expire only for rows nobody viewed in a week (or if the worker stays down that long).
- A crash of the worker (or a cache outage) between a chunk's commit and its `decr`: that chunk's pending views are
  written again by the next write-back, counted twice; nothing is lost. Meanwhile a page shows them twice.
- Exact on Redis and Memcached (atomic incr/decr across processes) and on LocMem (one process, locked). The
  file-based cache (the default without REDIS_URL) does incr/decr as a read then a write, so simultaneous views in
  different processes can be counted once, and a view landing inside a write-back's decr can be lost or doubled;
  its incr also resets the key's lifetime to the cache's default (300 s), so counts wait at most that long for a
  stopped worker. Fine for one host and development; Redis for heavy traffic.
- Two write-backs of one counter at once (a backlog run by two workers) would write the same counts twice: a lock in
  the cache (`cache.add`) lets only one run; the other returns 0.
"""

import atexit
import logging
import os
import threading
import time
from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

FIELD = "view_count"
WINDOW = 60  # seconds between write-backs; the most a cache loss costs while the worker runs
CHUNK = 1000  # rows per get_many and per batch of UPDATEs
COUNTER_SECONDS = 7 * 24 * 3600  # a counter key's lifetime, renewed by each write-back that writes it
STORED_SECONDS = 3600  # the stored count's copy in the cache: read again from the database at least this often
LOCK_SECONDS = 10 * 60  # a crashed write-back's lock frees itself after this
PREFIX = "counter:v1"
COUNTER_HEADER = "X-Union-Counter"  # "news.article view_count 12": set by a view, removed by CountersMiddleware


def _label(model_or_label):
    if isinstance(model_or_label, str):
        return apps.get_model(model_or_label)._meta.label_lower
    return model_or_label._meta.label_lower


def counter_key(model_or_label, pk, field=FIELD):
    return f"{PREFIX}:{_label(model_or_label)}:{field}:{pk}"


def count(model_or_label, pk, field=FIELD):
    """One more view of row `pk`: added up in this process and sent to the cache within FLUSH_SECONDS (returns
    None: nothing is asked of the cache), or at once when that is 0 (then returns the views now pending in the
    cache; 0 when the cache failed)."""
    if settings.COUNTER_FLUSH_SECONDS <= 0:
        return send(model_or_label, pk, field)
    with _unsent_lock:
        _unsent[(_label(model_or_label), field, str(pk))] += 1
    _sender.start_once()
    return None


# This process's views not yet sent: {(label, field, pk): n}.
_unsent = defaultdict(int)
_unsent_lock = threading.Lock()


def flush():
    """Send this process's unsent views to the cache (one `incr` per row); what fails to go is kept for the next."""
    with _unsent_lock:
        taken = dict(_unsent)
        _unsent.clear()
    for (label, field, pk), n in taken.items():
        if send(label, pk, field, n) == 0:
            with _unsent_lock:
                _unsent[(label, field, pk)] += n


class _Sender:
    """The one thread per process that flushes every FLUSH_SECONDS (started by the first view; again after a fork)."""

    def __init__(self):
        self.pid, self.lock = None, threading.Lock()

    def start_once(self):
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid != os.getpid():
                self.pid = os.getpid()
                threading.Thread(target=self.run, name="counters-flush", daemon=True).start()

    def run(self):
        while True:
            time.sleep(settings.COUNTER_FLUSH_SECONDS)
            try:
                close_old_connections()  # this thread's database connection (the enqueue), checked as a request's is
                flush()
            except Exception:  # never let the thread die: the next round tries again
                logger.warning("views not sent to the cache", exc_info=True)


_sender = _Sender()
atexit.register(flush)


def send(model_or_label, pk, field=FIELD, n=1):
    """Add `n` views of row `pk` to the cache; schedules the write-back. Returns the views now pending there (0 when
    the cache failed and they were not counted)."""
    key = counter_key(model_or_label, pk, field)
    try:
        if hasattr(cache, "incr_counter"):  # Redis (union_site/common/cache.py): one round trip
            pending_now = cache.incr_counter(key, COUNTER_SECONDS, n)
        else:
            pending_now = _incr_or_add(key, n)
    except ValueError:  # neither found nor added: a cache answering as an empty one (ForgivingRedisCache, down)
        return 0
    except Exception as error:  # any other backend's outage (Redis ConnectionError, OSError, …): the page is served
        logger.warning("view not counted, cache unavailable: %s", type(error).__name__)
        return 0
    schedule_write_back(model_or_label, field)
    return pending_now


def _incr_or_add(key, n=1):
    """Django's portable way: incr, else add the key; another process may add it first, then incr that one."""
    try:
        return cache.incr(key, n)
    except ValueError:
        return n if cache.add(key, n, COUNTER_SECONDS) else cache.incr(key, n)


def count_when_served(response, model_or_label, pk, field=FIELD):
    """Have CountersMiddleware count one view of row `pk` each time this response is served (cached copies too)."""
    response[COUNTER_HEADER] = f"{_label(model_or_label)} {field} {pk}"
    return response


class CountersMiddleware:
    """Counts the view a 200 response names in COUNTER_HEADER, whether the view or the page cache made it; the header
    never leaves the site. Goes above union_site.page_cache.PageCacheMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        named = response.get(COUNTER_HEADER)
        if named is not None:
            del response[COUNTER_HEADER]
            if response.status_code == 200:
                label, field, pk = named.split(" ")
                count(label, pk, field)
        return response


def stored_key(model_or_label, pk, field=FIELD):
    return f"{PREFIX}:{_label(model_or_label)}:{field}:stored:{pk}"


def shown(model_or_label, pk, field=FIELD, found=None):
    """The count a page shows: the stored one plus the pending ones. The stored one is kept in the cache too (each
    write-back puts the rows' new values there), so a page made from cached parts asks the database nothing; when
    the cache has not got it, it is read from the database and kept. `found` as for `pending`."""
    key = stored_key(model_or_label, pk, field)
    try:
        stored = found.get(key) if found is not None else cache.get(key)
    except Exception:
        stored = None
    if not isinstance(stored, int):
        model = apps.get_model(_label(model_or_label))
        stored = model._base_manager.filter(pk=pk).values_list(field, flat=True).first() or 0
        try:
            cache.add(key, stored, STORED_SECONDS)  # add: never over a newer value a write-back has just put
        except Exception:
            logger.warning("stored count not kept, cache unavailable", exc_info=True)
    return stored + pending(model_or_label, pk, field, found)


def pending(model_or_label, pk, field=FIELD, found=None):
    """The views of row `pk` counted and not yet written to the database (this process's unsent ones included); only
    those unsent when the cache fails. `found`: what was read of the cache already ({key: value}, in the round trip
    of a page's part: union_site/common/page_parts.py), where counter_key's value is taken from if there."""
    unsent = _unsent.get((_label(model_or_label), field, str(pk)), 0)
    key = counter_key(model_or_label, pk, field)
    try:
        value = found.get(key) if found is not None else cache.get(key)
    except Exception:
        return unsent
    return (value if isinstance(value, int) and value > 0 else 0) + unsent


# Per process: until when a write-back is known to be scheduled (this process or another saw the flag), so a busy
# page asks the cache about the flag once per window, not once per view.
_known_scheduled = {}


def forget_scheduled():
    """Forget what this process knows of scheduled write-backs, and its unsent views (after the cache was cleared)."""
    _known_scheduled.clear()
    with _unsent_lock:
        _unsent.clear()


def schedule_write_back(model_or_label, field=FIELD):
    """Enqueue one write-back WINDOW seconds from now, unless one is already due in this window."""
    label = _label(model_or_label)
    now = time.monotonic()
    if _known_scheduled.get((label, field), 0) > now:
        return
    try:
        added = cache.add(f"{PREFIX}:{label}:{field}:scheduled", 1, WINDOW)
        # Seen someone else's flag: its time left is unknown, so look again in half a window (a write-back is then
        # at most 1.5 windows late).
        _known_scheduled[(label, field)] = now + (WINDOW if added else WINDOW / 2)
        if not added:
            return
        write_back_counts.using(run_after=timezone.now() + timedelta(seconds=WINDOW)).enqueue(label, field)
    except Exception as error:  # database or cache down: the counts wait in the cache for the next window
        logger.warning("counter write-back not scheduled: %s", type(error).__name__)


def write_back(model_or_label, field=FIELD):
    """Move the pending counts of every row of the model into the database. Returns how many views it wrote."""
    model = apps.get_model(model_or_label) if isinstance(model_or_label, str) else model_or_label
    label = _label(model)
    lock = f"{PREFIX}:{label}:{field}:writing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        return 0
    try:
        return sum(_write_chunk(model, field, pks) for pks in _pk_chunks(model))
    finally:
        cache.delete(lock)


def _pk_chunks(model):
    rows, last = model._base_manager.order_by("pk").values_list("pk", flat=True), None
    while True:
        pks = list((rows if last is None else rows.filter(pk__gt=last))[:CHUNK])
        if pks:
            yield pks
        if len(pks) < CHUNK:
            return
        last = pks[-1]


def _write_chunk(model, field, pks):
    keys = {counter_key(model, pk, field): pk for pk in pks}
    counts = {key: n for key, n in cache.get_many(keys).items() if isinstance(n, int) and n > 0}
    if not counts:
        return 0
    by_count = defaultdict(list)
    for key, n in counts.items():
        by_count[n].append(keys[key])
    with transaction.atomic(using=model._base_manager.db):
        for n, same in by_count.items():
            model._base_manager.filter(pk__in=same).update(**{field: F(field) + n})
    # The new stored values for the pages (`shown`), then the pending ones taken off: in between a page counts the
    # written views twice, never none.
    written = model._base_manager.filter(pk__in=[keys[key] for key in counts]).values_list("pk", field)
    try:
        cache.set_many({stored_key(model, pk, field): n for pk, n in written}, STORED_SECONDS)
    except Exception:  # the pages read the database instead until the copies are back
        logger.warning("stored counts not kept, cache unavailable", exc_info=True)
    for key, n in counts.items():  # after the commit: a crash here counts these twice rather than losing them
        try:
            cache.decr(key, n)
        except ValueError:  # evicted meanwhile: nothing left to take the written views from
            continue
        cache.touch(key, COUNTER_SECONDS)
    return sum(counts.values())


@task()
def write_back_counts(label, field=FIELD):
    """The background task (django-tasks): `write_back` of one model's counter; returns the views written."""
    return write_back(label, field)
