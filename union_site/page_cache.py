"""The anonymous page cache: every public page, feed, sitemap and robots.txt is rendered once per content generation
and preference, then served from the cache (Redis when REDIS_URL is set, so every app host shares it).

- Key: scheme, host and full URL (query string included), plus the preferences that change the HTML (长者模式 and
  字号 cookies, `preferences.variant`); other cookies and headers play no part.
- Fresh while the content generation (union_site/common/generation.py, bumped by every save of content, 网站设置 and
  友情链接) is the one the page was made under, and never past the next scheduled publish or 下线时间
  (`next_scheduled_change`): a scheduled article appears at its minute without cron and without a stale page.
- Bypassed entirely (nothing read, nothing stored) for the admin, for anyone with a session cookie (staff, and
  their previews of drafts) and for a visitor with a pending message; their pages say `Cache-Control: private`.
- Stored only when the answer is a whole 200 that sets no cookie, used no CSRF token and did not opt out
  (never_cache, private, no-store).
- HTTP: `ETag` (a digest of the body and preference) and `Cache-Control: public, max-age=0, s-maxage=N`. Browsers
  revalidate each time and get a 304 from the cache when nothing changed; that way a change of 长者模式 shows at
  once, which a browser-held copy (it cannot vary on one cookie) would not. Shared caches in front (nginx's
  micro-cache, deploy/nginx.conf, which keys on the two cookies itself) may keep it N seconds.
- `X-Cache: HIT | MISS | BYPASS` tells which happened.
- The cache unreachable: every request is a miss and rendered (union_site/common/cache.py makes errors misses).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from news import listing
from news.models import Article, Column
from union_site import home
from union_site.common import generation, page_parts, preferences

ENTRY_PREFIX = "page:v1:"
ANY_KEY = generation.topic_key(generation.ANY)
NEXT_CHANGE_PREFIX = "page:next-change:v1:"
NAV_PREFIX = "page:nav:v1:"
NO_CHANGE = 0.0  # cached "nothing is scheduled"
# Headers that belong to one answer, not to the page: never stored.
NOT_STORED = {"x-cache", "set-cookie", "date"}
logger = logging.getLogger(__name__)


def next_scheduled_change(token=None):
    """When the public content next changes by the clock alone (a scheduled publish or 下线时间), as a timestamp, or
    None. One query per content generation (`token`, else the current one); cached beside it, and remembered in this
    process (generation.remembered) so that a page rendered under that generation asks the cache nothing for it."""
    token = token or generation.current()
    key = NEXT_CHANGE_PREFIX + token
    now = timezone.now().timestamp()
    known = generation.remembered(token, key, lambda: [cache.get(key)])  # this process's copy, in a box
    cached = known[0]
    if cached is not None and (cached == NO_CHANGE or cached > now):
        return cached or None
    moment = Article.objects.next_visibility_change(timezone.now())
    stamp = moment.timestamp() if moment else NO_CHANGE
    cache.set(key, stamp, settings.PAGE_CACHE_SECONDS)
    known[0] = stamp
    return stamp or None


def navigation(token):
    """The main navigation's columns under generation `token` (Column.objects.in_nav; every page lists them): one
    query per generation and next scheduled change, whose moment can change the list by the clock alone (a column
    gets its first public article at its minute). Kept in the cache for every process and host, and remembered in
    this one; a list shared by the requests, not to be changed."""
    key = f"{NAV_PREFIX}{token}:{next_scheduled_change(token)}"

    def shared():
        return cache.get_or_set(key, lambda: list(Column.objects.in_nav()), settings.PAGE_CACHE_SECONDS)

    return generation.remembered(token, key, shared)


def make_ahead(token, topics):
    """After an editor's save (generation.ahead): what the new generation's first page would otherwise ask the
    database for, made now and put in the cache: the next scheduled change, the navigation, the home page's news
    (union_site/home.py), and the first page's list of the column saved in (news/listing.py)."""
    columns = navigation(token)
    keep = lambda now: lifetime(now, token)  # noqa: E731 - the new generation's pages' lifetime
    home.make_ahead(columns, keep)
    listing.make_ahead(topics, keep)


def lifetime(now, token=None):
    """Seconds a page made now (under generation `token`) may be served: the configured lifetime, cut at the next
    scheduled change."""
    seconds = settings.PAGE_CACHE_SECONDS
    change = next_scheduled_change(token)
    if change is not None:
        seconds = min(seconds, change - now)
    return int(seconds)


def nav_signature(request):
    """The navigation's columns: every page shows them (union_site/context_processors.py, which imports this module)."""
    from union_site.context_processors import nav_columns

    return ",".join(str(column.pk) for column in nav_columns(request))


def bypasses(request):
    if request.method != "GET" or request.path_info.startswith(settings.PAGE_CACHE_EXEMPT):
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def entry_key(request):
    variant = preferences.variant(request)
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{variant}"
    return ENTRY_PREFIX + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds this visitor's CSRF token
        return False
    return not page_parts.opted_out(response)


def etag_for(content, request):
    digest = hashlib.blake2b(content, digest_size=12)
    digest.update(preferences.variant(request).encode())
    return f'"{digest.hexdigest()}"'


def public_headers(response, etag, seconds):
    """A public page depends on no cookie but the preferences in its key: Django's `Vary: Cookie` (added whenever
    the session or user was looked at) would make every front cache keep one copy per visitor."""
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip() and v.strip().lower() != "cookie"]
    if vary:
        response["Vary"] = ", ".join(vary)
    elif "Vary" in response:
        del response["Vary"]
    response["ETag"] = etag
    shared = min(settings.PAGE_CACHE_SHARED_SECONDS, seconds)
    response["Cache-Control"] = f"public, max-age=0, s-maxage={shared}"


def not_modified(request, etag):
    return etag in parse_etags(request.headers.get("If-None-Match", ""))


def answer(request, status, headers, content, etag, seconds):
    if not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
    public_headers(response, etag, seconds)
    return response


def log_outage():
    logger.warning("页面缓存不可用：本次请求直接生成页面（缓存服务器故障？）", exc_info=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bypasses(request):
            response = self.get_response(request)
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            response["X-Cache"] = "BYPASS"
            return response
        key = entry_key(request)
        try:
            found = cache.get_many([generation.KEY, ANY_KEY, key])
        except Exception:  # the cache is down (any backend): render the page, store nothing
            log_outage()
            response = self.get_response(request)
            response["X-Cache"] = "MISS"
            return response
        now = timezone.now().timestamp()  # Django's clock, the one published() reads
        entry = found.get(key)
        if entry and entry[0] == found.get(generation.KEY) and entry[1] > now:
            _, expires, status, headers, content, etag = entry
            response = answer(request, status, headers, content, etag, int(expires - now))
            response["X-Cache"] = "HIT"
            return response
        # Read before rendering: a change while we render leaves this entry stale. The page's parts use it too.
        token = request.content_generation = found.get(generation.KEY) or generation.current()
        if ANY_KEY in found:  # what the page keeps under ANY (generation.any_of_request): no second round trip
            request.topic_tokens = {generation.ANY: found[ANY_KEY]}
        request.page_parts = page_parts.Allowance(  # the views may serve cached parts (common/page_parts.py)
            lifetime=lambda moment: lifetime(moment, token), vary=lambda: nav_signature(request)
        )
        response = self.get_response(request)
        response["X-Cache"] = "MISS"
        if not storable(request, response):
            return response
        etag = etag_for(response.content, request)
        try:
            seconds = lifetime(now, token)
            if seconds > 0:
                headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
                entry = (token, now + seconds, response.status_code, headers, response.content, etag)
                cache.set(key, entry, seconds)
        except Exception:
            log_outage()
            seconds = 0
        if not_modified(request, etag):  # the browser's copy is still this page
            response = HttpResponseNotModified()
            response["X-Cache"] = "MISS"
        public_headers(response, etag, max(seconds, 0))
        return response
