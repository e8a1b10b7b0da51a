"""Parts of public pages cached by what they show, so that the first view after a publish costs little (issue #12).

The page cache (union_site/page_cache.py) keeps whole pages per URL under the content generation, which every
publish renews: right after one, every page is a miss. Rendering a page again then costs tens of milliseconds
(its queries and templates), most of it for content that did not change. So the views of the pages a crowd reads
(home, the news centre, a column, an article) keep their rendered HTML here as well, keyed not by the URL and the
generation but by what the page is made of: the view's own values (the article, the column and page number, 字号),
the preferences (长者模式, 字号 cookie), scheme and host, the navigation's columns, and the tokens of the page's
topics (union_site/common/generation.py; news/topics.py): an article's page depends on ANY, itself and its column,
a column's list on its column, the home page on NEWS. Publishing in 工会要闻 thus leaves the pages of 基层动态 and
its articles to be served from here (one small query and two cache reads), while 工会要闻's own pages and the home
page are made again.

- Only on the page cache's miss path for anonymous visitors: the page cache hands the request an `Allowance` (the
  lifetime a page made now may have, and what else the page varies on: the navigation's columns). Staff, previews
  and pages the page cache bypasses are rendered as always, nothing read or stored here.
- What differs per request is left as a hole in the stored HTML and filled on the way out (`hole`, `{% hole %}` in
  templates): the address the 长者模式 link returns to, an article's 阅读数. A hole is a NUL-delimited marker, which
  no text of the site can contain (Django's forms refuse NUL characters).
- Kept at most the page cache's lifetime and never past the next scheduled publish or 下线时间, like the pages
  (page_cache.lifetime); in the shared cache (Redis across hosts) and, for the last LOCAL_MAX parts used, in this
  process, where a part costs no round trip. A cache outage makes every part a miss: the page is rendered.
- Stored only when the render was a 200 that used no CSRF token and did not opt out of caching.
"""

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.template.defaultfilters import urlencode
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from union_site.common import generation, preferences

PREFIX = "part:v2:"  # v2: (expires, html, meta)
HOLE = "\x00hole:{}\x00"
LOCAL_MAX = 200  # parts kept in each process (pages of 20–60 KB: at most about 10 MB)
OPT_OUT = ("private", "no-cache", "no-store")
logger = logging.getLogger(__name__)
_local = OrderedDict()  # key -> (expires, html), least recently used first
_lock = threading.Lock()


@dataclass(frozen=True)
class Allowance:
    """What the page cache (union_site/page_cache.py) gives a request on its miss path: `lifetime(now)`, the seconds
    a page made now may be kept; `vary()`, what every page's HTML depends on besides its topics (the navigation)."""

    lifetime: Callable[[float], int]
    vary: Callable[[], str]


def allowance(request):
    return getattr(request, "page_parts", None)


def making(request):
    """True while a part is being made: what differs per request, or is kept apart, goes in as a hole."""
    return getattr(request, "page_holes", False)


def hole(request, name, value):
    """`value`, or while a part is being made, the marker its fill replaces."""
    if making(request):
        return mark_safe(HOLE.format(name))  # noqa: S308 - a fixed marker, filled with escaped text or a piece
    return value


def fill(html, values):
    """The holes filled: text escaped, a piece's HTML (safe strings) as it is."""
    for name, value in values.items():
        html = html.replace(HOLE.format(name), conditional_escape(value))
    return html


def key_of(request, name, values, topics):
    found = generation.topics_of_request(request, [generation.ANY, *topics])
    parts = [
        name,
        *map(str, values),
        preferences.variant(request),
        request.scheme,
        request.get_host(),
        allowance(request).vary(),
        *(f"{topic}={token}" for topic, token in sorted(found.items())),
    ]
    return PREFIX + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _recall(key, now):
    """(expires, html, meta) of a part held and not expired, else None: this process's copy first."""
    with _lock:
        held = _local.get(key)
        if held and held[0] > now:
            _local.move_to_end(key)
            return held
    try:
        held = cache.get(key)
    except Exception:
        logger.warning("页面片段缓存不可用", exc_info=True)
        return None
    if not held or held[0] <= now:
        return None
    _keep_here(key, held)
    return held


def _recall_many(keys, now):
    """{key: html} of those of `keys` held and not expired: this process's first, the rest in one round trip."""
    found, asked = {}, []
    with _lock:
        for key in keys:
            held = _local.get(key)
            if held and held[0] > now:
                _local.move_to_end(key)
                found[key] = held[1]
            else:
                asked.append(key)
    if asked:
        try:
            shared = cache.get_many(asked)
        except Exception:
            logger.warning("页面片段缓存不可用", exc_info=True)
            shared = {}
        for key, held in shared.items():
            if held and held[0] > now:
                _keep_here(key, held)
                found[key] = held[1]
    return found


def _keep_here(key, held):
    with _lock:
        _local[key] = held
        _local.move_to_end(key)
        while len(_local) > LOCAL_MAX:
            _local.popitem(last=False)


def forget_local():
    """Empty this process's copies (tests, after clearing the cache)."""
    with _lock:
        _local.clear()


def opted_out(response):
    """The answer asked not to be kept (never_cache, private, no-store): for the page cache too."""
    return any(word in response.get("Cache-Control", "") for word in OPT_OUT)


def _storable(request, response):
    if response.status_code != 200 or response.streaming or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    return not opted_out(response)


def _store(request, key, html, now, meta=None):
    try:
        seconds = allowance(request).lifetime(now)
    except Exception:
        logger.warning("页面片段缓存不可用", exc_info=True)
        return
    _keep(key, html, now, seconds, meta)


def _keep(key, html, now, seconds, meta=None):
    """Kept `seconds` from `now` in the cache and in this process."""
    if seconds <= 0:
        return
    held = (now + seconds, html, meta)
    try:
        cache.set(key, held, seconds)
    except Exception:
        logger.warning("页面片段缓存不可用", exc_info=True)
        return
    _keep_here(key, held)


def html_of(request, name, values, topics, render, fills, meta=None):
    """The page's HTML with `fills(meta)` (and the 长者模式 link's address) in its holes: from the part cache, else
    made by `render()` (a response; a TemplateResponse is rendered here) with holes as markers, and stored with
    `meta()` (what the view keeps beside the part, read after render; None without it)."""
    key = key_of(request, name, values, topics)
    now = timezone.now().timestamp()  # Django's clock, the one published() reads
    held = _recall(key, now)
    if held is None:
        request.page_holes = True
        try:
            response = render()
            if hasattr(response, "render"):
                response.render()
        finally:
            request.page_holes = False
        html, kept = response.content.decode(response.charset), meta() if meta else None
        if _storable(request, response):
            _store(request, key, html, now, kept)
    else:
        html, kept = held[1], held[2]
    return fill(html, {"path": urlencode(request.get_full_path()), **fills(kept)})


def pieces(request, wanted, make):
    """The HTML of each piece in `wanted`, a list of (name, values, topics) like a part's, in order. A piece is a
    block of a page that depends on fewer topics than the page (the home page's list of one column): kept like the
    parts, so that when the page is made again after a publish, only the pieces whose topics were renewed are made.
    `make(indexes)` returns the HTML of the pieces at those indexes, all the missing ones in one go (so one query
    can fetch what they show). A piece may also fill a hole of its page's part (`fill`), which then need not depend
    on the piece's topics. Only where parts are (anonymous visitors): for staff and previews, all are made."""
    if allowance(request) is None:
        return list(make(range(len(wanted))))
    generation.topics_of_request(request, {generation.ANY, *(t for _, _, topics in wanted for t in topics)})
    keys = [key_of(request, name, values, topics) for name, values, topics in wanted]
    now = timezone.now().timestamp()
    found = _recall_many(keys, now)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        for index, html in zip(missing, make(missing), strict=True):
            found[keys[index]] = html
            _store(request, keys[index], html, now)
    return [found[key] for key in keys]


def common_key(name, values, tokens):
    """The key of a common piece: its name and values and its topics' `tokens` ({topic: token}, ANY's included)."""
    parts = [name, *map(str, values), *(f"{topic}={token}" for topic, token in sorted(tokens.items()))]
    return PREFIX + "common:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def common_piece(request, name, values, topics, make):
    """The HTML `make()` returns for a piece that is the same for every request (no address, host, scheme,
    preference or navigation in it: a column's list), kept like the others by its topics; as it needs no request,
    the editor's save can make it ahead (`make_common_piece`) and every host and variant shares it."""
    if allowance(request) is None:
        return make()
    key = common_key(name, values, generation.topics_of_request(request, [generation.ANY, *topics]))
    now = timezone.now().timestamp()
    held = _recall(key, now)
    if held is not None:
        return held[1]
    html = make()
    _store(request, key, html, now)
    return html


def make_common_piece(name, values, topics, make, lifetime):
    """A common piece made now and kept under its topics' current tokens, for `lifetime(now)` seconds (the pages'
    lifetime: page_cache.lifetime): by the writer, after its save has committed (generation.ahead)."""
    key = common_key(name, values, generation.tokens([generation.ANY, *topics]))
    now = timezone.now().timestamp()
    _keep(key, make(), now, lifetime(now))


class PartCachedView:
    """A view whose anonymous GET is served from a part when `part()` names one: (name, values, topics), or None to
    render as always. `part_reads()`: other cache keys to read in the round trip of the topics' tokens, found in
    `self.part_read` ({key: value}); `part_meta()`: what to keep beside a part the view has just made (after its
    get); `part_fills(meta)`: the holes' values besides the address, given that; `finish(response)`: what the view
    adds to every answer (cookies, headers)."""

    part_read = None

    def part(self):
        return None

    def part_reads(self):
        return ()

    def part_meta(self):
        return None

    def part_fills(self, meta):
        return {}

    def finish(self, response):
        return response

    def get(self, request, *args, **kwargs):
        named = self.part() if allowance(request) else None
        if named is None:
            return super().get(request, *args, **kwargs)
        name, values, topics = named
        reads = self.part_reads()
        if reads:
            _, self.part_read = generation.topics_of_request(request, [generation.ANY, *topics], also=reads)

        def render():
            return super(PartCachedView, self).get(request, *args, **kwargs)

        html = html_of(request, name, values, topics, render, self.part_fills, self.part_meta)
        return self.finish(HttpResponse(html))
