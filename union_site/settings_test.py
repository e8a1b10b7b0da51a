"""Settings for the test suite: production settings (DEBUG off) fed a test environment, over plain HTTP,
with media in a throwaway folder. The suite's own tests of production settings use union_site.settings."""

import os
import tempfile

os.environ.update(
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_SECURE_COOKIES="0",
    DJANGO_MANIFEST_STATIC="0",
    DJANGO_SERVE_MEDIA="1",
    DJANGO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
)
os.environ.setdefault("DJANGO_MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "union-site-test-media"))

from union_site.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# One process, emptied before each test (tests/conftest.py); with REDIS_URL set (.ci/run's PostgreSQL run) the suite
# runs on that Redis instead, as the hosts of a shared deployment do.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each view counted in the cache at once, so a test reads it back at once; tests/test_news_view_counts.py turns the
# per-process batching on where it tests it.
COUNTER_FLUSH_SECONDS = 0
