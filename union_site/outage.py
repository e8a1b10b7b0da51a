"""Database outages: while the database cannot be reached, every page (public and admin) answers 503 with a
standalone Chinese maintenance page and `Retry-After`, instead of the 500 page.

`DatabaseOutageMiddleware.process_exception` catches errors raised by views and by the rendering of their
templates; `union_site.errors.server_error` (handler500) catches the same errors when they escape from anywhere
else (a middleware, the 404 page's own queries). The maintenance page is rendered without a request, so no context
processor runs and nothing on it needs the database. A connection broken by the outage is closed at once, so the
first request after the database is back opens a fresh one (`conn_health_checks` does the same at each request's
start): no restart needed.

Only errors that mean "the database is not answering" count: OperationalError (server down, connection refused or
reset, SQLite's "database is locked"), InterfaceError (connection already closed) and a bare DatabaseError (how
psycopg2 reports some broken connections). IntegrityError, DataError, ProgrammingError and the like are bugs and
stay 500s with their traceback in the log.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

RETRY_AFTER = 60  # seconds; also what the page tells the visitor
TEMPLATE = "503.html"

logger = logging.getLogger(__name__)


def is_outage(error):
    return isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError


def discard_broken_connections():
    """Closes the connections the error left unusable. Connections inside an atomic block are left to it: the
    block rolls back and closes them on exit (outside tests no block is open by the time a view's error is here)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def one_line(error):
    """The error as one log line (psycopg2's messages run over several)."""
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def logged_already(response):
    """Django logs every 5xx response once more ("Service Unavailable: /"): not those whose error we logged."""
    response._has_been_logged = True  # the flag Django's own log_response sets and reads
    return response


def maintenance_response(request, error):
    """The 503 page for a request that met a database outage; the error is logged once, as a warning."""
    logger.warning("database unavailable, answered 503: %s %s (%s)", request.method, request.path, one_line(error))
    discard_broken_connections()
    page = loader.render_to_string(TEMPLATE, {"site_name": settings.SITE_NAME, "retry_minutes": RETRY_AFTER // 60})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return logged_already(response)


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return maintenance_response(request, exception)
        return None
