"""Settings of the server `make bench` starts (bench/http_pages.py): the site's own settings, read from the
environment as in production, plus the bench's reference pages (bench/urls.py). The site itself is unchanged."""

from union_site.settings import *  # noqa: F403
from union_site.settings import BASE_DIR, PAGE_CACHE_EXEMPT, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
PAGE_CACHE_EXEMPT = (*PAGE_CACHE_EXEMPT, "/bench/")  # the reference pages render every time, as their name says
