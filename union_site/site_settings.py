"""Reading 网站设置 and the 友情链接 for a page: from the cache, else one query each, then cached.

Both are cleared from the cache whenever either model is saved or deleted (signals below, again after the
transaction commits, so a request running meanwhile cannot put the old record back for long). With the default
per-process cache (LocMemCache) other worker processes see a change within CACHE_SECONDS; a shared cache (Redis,
Memcached) sees it at once. A request reads each at most once: the context processor keeps them lazily.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from union_site.models import QuickLink, SiteSettings

SETTINGS_KEY = "union_site:site_settings:v1"
LINKS_KEY = "union_site:quick_links:v1"
CACHE_SECONDS = 60


def get_site_settings():
    """The record, or an unsaved one with the defaults when nobody has filled it in yet (nothing is written)."""
    record = cache.get(SETTINGS_KEY)
    if record is None:
        record = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).first() or SiteSettings()
        cache.set(SETTINGS_KEY, record, CACHE_SECONDS)
    return record


def get_quick_links():
    links = cache.get(LINKS_KEY)
    if links is None:
        links = list(QuickLink.objects.shown())
        cache.set(LINKS_KEY, links, CACHE_SECONDS)
    return links


def clear_cache():
    cache.delete_many([SETTINGS_KEY, LINKS_KEY])


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
@receiver(post_save, sender=QuickLink)
@receiver(post_delete, sender=QuickLink)
def settings_changed(sender, **kwargs):
    clear_cache()
    transaction.on_commit(clear_cache)
