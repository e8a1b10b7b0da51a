"""The task worker in the test's process: `manage.py db_worker --batch` runs every queued task that is due
(django-tasks' database backend, the queue in the test database), then returns."""

import signal
from unittest import mock

from django.core.management import call_command


def run_worker():
    """Run the queued tasks. The worker installs its own SIGINT/SIGTERM handlers; the test run gets its own back."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = [signal.getsignal(number) for number in signals]
    try:
        # The worker calls close_old_connections() between tasks, as a request does; inside a test's transaction
        # that closes the test's own connection on PostgreSQL (SQLite's in-memory one ignores it). Django's tests
        # keep it from requests the same way.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in zip(signals, saved, strict=True):
            signal.signal(number, handler)
