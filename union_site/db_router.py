"""Reads from a read replica (settings: DATABASE_REPLICA_URL → DATABASES["replica"]), writes to the primary.

A replica lags behind its primary, so whoever might have just written reads the primary for the whole request:

- a request carrying the session cookie (staff: the public site gives visitors no session), a request that is not
  GET/HEAD/OPTIONS (a form sent, a login), and everything under /admin/: `ReadPrimaryMiddleware` decides when the
  request begins, so the session and the user are read from the primary too;
- anything inside a transaction (`transaction.atomic()` on the primary), and every read after a write, for the
  rest of the same request (or, outside a request, of the same thread: a command, a task);
- the bookkeeping apps whatever the request (PRIMARY_APPS): the task queue the worker polls, sessions, the login
  lockout records.

What is left for the replica is an anonymous visitor's GET: every public page, feed and sitemap. Migrations run on
the primary only; the replica gets its tables by replication.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PRIMARY_APPS = {"django_tasks_db", "sessions", "axes"}

_read_primary = ContextVar("read_primary", default=False)


def reading_primary():
    """True when reads of this request (or thread) go to the primary."""
    return _read_primary.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_APPS or reading_primary():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        _read_primary.set(True)  # what was just written is read back from where it was written
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def needs_primary(request):
    return (
        request.method not in SAFE_METHODS
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.path_info.startswith(settings.CSP_ADMIN_PREFIX)
    )


def _primary_while_streaming(content):
    token = _read_primary.set(True)
    try:
        yield from content
    finally:
        try:
            _read_primary.reset(token)
        except ValueError:  # closed from another context: nothing of ours to undo there
            pass


class ReadPrimaryMiddleware:
    """Before the session middleware: decides, for the whole request, whether it reads the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary = needs_primary(request)
        token = _read_primary.set(primary)
        try:
            response = self.get_response(request)
        finally:
            _read_primary.reset(token)
        if primary and response.streaming and not getattr(response, "is_async", False):
            # a streamed export reads as it is sent, after this has returned
            response.streaming_content = _primary_while_streaming(response.streaming_content)
        return response
