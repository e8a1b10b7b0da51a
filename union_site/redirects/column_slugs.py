"""A column's new 网址名 (slug): its old addresses, the column page and its RSS feed, redirect to the new ones.

The slug stored before the save is read in pre_save (locked inside a transaction, so two renames of one column at
once cannot both start from the same old slug) and compared in post_save, which writes the redirects through
store.save_redirects in the save's own transaction: a save that fails or rolls back (the admin's form is atomic)
leaves no redirect behind. Earlier redirects to the old addresses are pointed at the new ones, and one from a new
address back to an old one (renamed back) is removed, so visitors never jump twice or in a circle.
Writes that send no signal (QuerySet.update) are not seen; nothing in the site changes slugs that way.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from news.models import Column
from union_site.redirects.store import save_redirects

ADDRESSES = ("news:column", "news:column_feed")  # every public address with the slug in it


def column_addresses(slug):
    return [reverse(name, kwargs={"slug": slug}) for name in ADDRESSES]


def remember_stored_slug(sender, instance, raw=False, using=None, **kwargs):
    instance._stored_slug = None
    if raw or instance.pk is None:
        return
    rows = Column.objects.using(using).filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        rows = rows.select_for_update()
    instance._stored_slug = rows.values_list("slug", flat=True).first()


def redirect_old_addresses(sender, instance, created=False, raw=False, using=None, **kwargs):
    old_slug = getattr(instance, "_stored_slug", None)
    if raw or created or not old_slug or old_slug == instance.slug:
        return
    with transaction.atomic(using=using):
        save_redirects(zip(column_addresses(old_slug), column_addresses(instance.slug), strict=True))
    instance._stored_slug = instance.slug


def connect():
    pre_save.connect(remember_stored_slug, sender=Column, dispatch_uid="union_site.redirects.column_slug_before")
    post_save.connect(redirect_old_addresses, sender=Column, dispatch_uid="union_site.redirects.column_slug_after")
