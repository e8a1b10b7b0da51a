"""The task worker in the test's process: `manage.py db_worker --batch` runs every queued task that is due
(django-tasks' database backend, the queue in the test database), then returns."""

import signal

from django.core.management import call_command


def run_worker():
    """Run the queued tasks. The worker installs its own SIGINT/SIGTERM handlers; the test run gets its own back."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = [signal.getsignal(number) for number in signals]
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in zip(signals, saved, strict=True):
            signal.signal(number, handler)
