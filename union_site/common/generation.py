"""The content generation: one token in the cache that changes whenever anything a public page shows changes.

Whatever is cached because of content (whole pages: union_site/page_cache.py) keeps the token it was made under
and counts as gone once the token differs, so one write makes every such entry stale on every host sharing the
cache. (Charts are keyed by a digest of what they are drawn from instead: achievements/chart_cache.py.) Saves and
deletes of the watched models bump it through signals (`watch`); code that changes content without signals
(`QuerySet.update`, `bulk_create`) calls `bump()` itself.

A token is new on every bump and never reused, so an entry made under an old one can't come back to life. When
the cache is unreachable, `current()` returns a fresh token each time (everything is a miss) and `bump()` does
nothing: there is nothing cached to invalidate.

What a page's parts are made from is also kept in each process while its token lasts (`remembered`, at most
REMEMBER_SECONDS): the navigation (which lists the columns that have a public article) under the generation,
网站设置 and the rendered pieces of base.html under ANY (`any_of_request`), so a page render reads the tokens once
and asks the cache and the database nothing more for them; a bump is seen by every process of every host at its
next read of the token. What every page of a new generation needs from the database is made by the writer once its
bump has committed (`ahead`), not by the first visitor after it.

Topics: a part of a page that shows only some of the content (one article, one column's list) is cached by the
tokens of its topics instead (`tokens`; union_site/common/page_parts.py), so that publishing in one column leaves every
other column's pages and articles to be served from their parts. Every bump renews the generation and the topics it
names; a bump that names none (any other model, `bump()` in code) renews ANY, which every part depends on. Article
saves name their own topics (news/topics.py): NEWS, their column (the old one too, when it moves) and themselves.

A change of many rows at once (a bulk photo upload) runs inside `deferred()`: the bumps its saves ask for are held
back and made once at the end, so the cached pages go stale once per batch, not once per row. Meanwhile visitors
keep getting the pages as they were before the batch; the batch shows as a whole when it ends.
"""

import contextlib
import contextvars
import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "content:generation:v1"
TOPIC_PREFIX = "content:topic:v1:"
ANY = "any"  # renewed by every bump that names no topic; every part depends on it
LIFETIME = 30 * 24 * 3600  # long enough; if it is evicted, a new token is made and old entries are simply missed


def _new_token():
    return uuid.uuid4().hex[:16]


logger = logging.getLogger(__name__)


def current():
    try:
        token = cache.get(KEY)
        if token is None:
            token = _new_token()
            cache.add(KEY, token, LIFETIME)  # two processes racing here: the first one's token wins
            token = cache.get(KEY) or token
        return token
    except Exception:  # the cache is down: a token nothing was cached under
        logger.warning("缓存不可用：内容版本号无法读取", exc_info=True)
        return _new_token()


def of_request(request):
    """The generation this request renders under: the one the page cache read before rendering (it sets
    `request.content_generation`), else read now, once per request."""
    token = getattr(request, "content_generation", None)
    if token is None:
        token = request.content_generation = current()
    return token


def topics_of_request(request, names, also=()):
    """{name: token} of the topics `names` as this request renders under them: each read once per request (the
    first read, before rendering, is the one its parts are keyed by), the missing ones in one round trip. With
    `also`, other keys read in that round trip: returns ({name: token}, {key: value} of those found)."""
    held = request.__dict__.setdefault("topic_tokens", {})
    missing = [name for name in names if name not in held]
    others = {}
    if missing and also:
        found, others = tokens(missing, also)
        held.update(found)
    elif missing:
        held.update(tokens(missing))
    elif also:
        try:
            others = cache.get_many(list(also))
        except Exception:
            logger.warning("缓存不可用", exc_info=True)
    named = {name: held[name] for name in names}
    return (named, others) if also else named


def any_of_request(request):
    """The ANY topic's token for this request: what depends on no article (网站设置, the columns' names, the pieces
    of base.html) is remembered under it, so that an article's save (which renews the generation, NEWS and its own
    topics, not ANY) leaves those be."""
    return topics_of_request(request, [ANY])[ANY]


# This process's values per token: {token: (made at (time.monotonic()), {key: value})}, replaced as a whole. Two
# tokens are in use at once (the generation's and ANY's); a few more are kept for requests still rendering under
# the previous ones.
_remembered = {}
REMEMBER_SECONDS = 60  # the longest a race between a save and a read (union_site/site_settings.py) can last
REMEMBER_MAX = 1000  # keys per token; past it values are made each time (keys should be few)
REMEMBER_TOKENS = 4


def remembered(token, key, make):
    """`make()`, made once per token (the generation's, or a topic's) in this process and kept until the token changes
    (at most REMEMBER_SECONDS). For values that depend only on content; callers must not change what they are
    given."""
    global _remembered
    now = time.monotonic()
    made_at, values = _remembered.get(token, (None, None))
    if made_at is None or not 0 <= now - made_at < REMEMBER_SECONDS:
        values = {}
        kept = sorted(_remembered.items(), key=lambda item: item[1][0])[-(REMEMBER_TOKENS - 1) :]
        _remembered = {**dict(kept), token: (now, values)}
    try:
        return values[key]
    except KeyError:
        pass
    value = make()
    if len(values) < REMEMBER_MAX:
        values[key] = value
    return value


def topic_key(name):
    return TOPIC_PREFIX + name


def tokens(names, also=()):
    """{name: token} of the topics `names` (one round trip; a topic never bumped, or evicted, gets a token now). The
    cache down: fresh tokens, under which nothing was cached. With `also`, other keys read in the same round trip:
    returns ({name: token}, {key: value} of those found)."""
    keys = {topic_key(name): name for name in names}
    others = {}
    try:
        found = cache.get_many([*keys, *also])
        others = {key: found.pop(key) for key in also if key in found}
        missing = {key: _new_token() for key in keys if key not in found}
        for key, token in missing.items():
            cache.add(key, token, LIFETIME)  # two processes racing here: the first one's token wins
        if missing:
            found.update(cache.get_many(list(missing)))
    except Exception:
        logger.warning("缓存不可用：内容主题的版本号无法读取", exc_info=True)
        found = {}
    named = {name: found.get(key) or _new_token() for key, name in keys.items()}
    return (named, others) if also else named


def bump(*topics):
    """A new generation and new tokens for `topics` (ANY when none is named), now and again when the surrounding
    transaction commits (a request that read the old data in between could otherwise cache it under the new token).
    Inside `deferred()`: once, at its end, for every topic asked for."""
    names = frozenset(topics or (ANY,))
    held = _held.get()
    if held is not None:
        held["asked"] = True
        held["topics"] |= names
        return
    _set_new(names)
    mark = object()
    _last_bump.set(mark)
    transaction.on_commit(lambda: _committed(names, mark))


# The bumps held back by the innermost deferred() of this thread (or task): {"asked": bool, "topics": set}, None
# outside one.
_held = contextvars.ContextVar("content_generation_held", default=None)


@contextlib.contextmanager
def deferred():
    """Hold back the bumps asked for inside the block and make one at its end, whether it ends normally or by an
    exception (what was saved before the error is public), and only if one was asked for. Nested blocks: the
    outermost one bumps. Pages cached during the block keep the old content until it ends."""
    if _held.get() is not None:
        yield
        return
    held = {"asked": False, "topics": set()}
    reset = _held.set(held)
    try:
        yield
    finally:
        _held.reset(reset)
        if held["asked"]:
            bump(*held["topics"])


@contextlib.contextmanager
def unchanged():
    """For saves that change nothing the public sees (bulk-uploaded photos stay hidden until the task worker has made
    their renditions, which then bumps once): the bumps their signals ask for are dropped."""
    reset = _held.set({"asked": False, "topics": set()})  # held, and never made: nothing bumps at the end
    try:
        yield
    finally:
        _held.reset(reset)


def _set_new(topics):
    """The new generation's token, or None when the cache is down."""
    token = _new_token()
    try:
        cache.set_many({KEY: token, **{topic_key(name): _new_token() for name in topics}}, LIFETIME)
    except Exception:  # a save must not fail because the cache is down; nothing there can be served meanwhile
        logger.warning("缓存不可用：内容版本号没有更新", exc_info=True)
        return None
    return token


# What a new generation's first page would otherwise work out from the database (`ahead`): made by the writer.
_ahead = []


def ahead(make):
    """Have `make(token, topics)` run by the writer each time its bump has committed, with the new generation's token
    and the topics it renewed: what the pages of that generation need (union_site/page_cache.py: the next scheduled
    change, the navigation, the first list of the column saved in) is then made once by the editor's save, not by
    the first visitor after it. An error is logged: the save stands, and the first page makes it as before."""
    if make not in _ahead:
        _ahead.append(make)


# The latest bump asked for in this thread: of the bumps one transaction commits (an import of many rows), only the
# last makes the values ahead; the others would make them for a generation that is already over.
_last_bump = contextvars.ContextVar("content_generation_last_bump", default=None)


def _committed(topics, mark):
    token = _set_new(topics)
    for make in _ahead if token and _last_bump.get() is mark else ():
        try:
            make(token, topics)
        except Exception:
            logger.warning("新内容版本的页面内容没有预先生成", exc_info=True)


def watch(*models, topics=None):
    """Bump the generation whenever one of `models` is saved or deleted, or its many-to-many links change; with
    `topics(instance)`, the topics a save or delete names (else ANY; a change of links always ANY)."""

    def changed(sender, instance, **kwargs):
        bump(*(topics(instance) if topics else ()))

    def linked(sender, **kwargs):
        bump()

    for model in models:
        uid = f"content-generation:{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(linked, sender=field.remote_field.through, dispatch_uid=uid, weak=False)
