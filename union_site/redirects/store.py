"""Saving redirects: the one way every writer stores them (the admin's redirect form and its import, a column's new
slug, the legacy import later). Rows are django.contrib.redirects' Redirect on this site's one Site (SITE_ID).

    create_or_update_redirect(old, new) -> (Redirect, "新增" | "更新" | "不变")
    save_redirects([(old, new), …])      -> Saved: the same for many pairs, in one transaction
    repoint({old: new})                  -> how many redirects that led to an old address now lead to its new one
    chain_problem(old, new, target_of)   -> why old → new would send visitors on twice or round in a circle, or None

Addresses are normalised by union_site/redirects/addresses.py (an old link pasted whole keeps its path), so the
same address written two ways is one redirect and saving a pair again changes nothing.

No chains: whatever led to an old address is pointed at its new one (/a → /b, then /b → /c, leaves /a → /c and
/b → /c), and a redirect from the new address back to the old one is removed, since the content lives at the new
address now (a column renamed back to its earlier slug). Within one batch, /a → /b and /b → /c are stored as
/a → /c and /b → /c; a circle in a batch is refused. The forms and the import check `chain_problem` first and
refuse what it names, so a person decides; code that moves content (a slug) lets the newer address win.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction

from union_site.common.table_import import NEW, UNCHANGED, UPDATED  # noqa: F401 (store.NEW …, as imports name them)
from union_site.redirects.addresses import SAME, AddressError, new_path, old_path, shown

CHUNK = 500  # addresses per IN (…) list
MAX_HOPS = 20


def redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@dataclass
class Saved:
    actions: dict  # old address → 新增 / 更新 / 不变
    repointed: int = 0  # redirects that led to one of the old addresses and now lead to its new one

    def count(self, action):
        return sum(1 for done in self.actions.values() if done == action)


def create_or_update_redirect(old, new):
    """One redirect from `old` (a path, or an old full URL) to `new` (a path here, or a URL elsewhere), made or
    changed; returns it and what was done. Raises AddressError (a ValueError) with the reason in Chinese."""
    saved = save_redirects([(old, new)])
    ((address, action),) = saved.actions.items()
    return redirects().get(old_path=address), action


def save_redirects(pairs):
    """Each (old, new) saved, all or none; the last pair for an old address wins. Raises AddressError."""
    mapping = {}
    for old, new in pairs:
        old, new = old_path(old), new_path(new)
        if old == new:
            raise AddressError(f"{shown(old)}：{SAME}")
        mapping[old] = new
    mapping = _resolved(mapping)
    actions, created, changed = {}, [], []
    with transaction.atomic():
        existing = {}
        for chunk in _chunks(mapping):
            existing.update({r.old_path: r for r in redirects().select_for_update().filter(old_path__in=chunk)})
        for old, new in mapping.items():
            redirect = existing.get(old)
            if redirect is None:
                created.append(Redirect(site_id=settings.SITE_ID, old_path=old, new_path=new))
                actions[old] = NEW
            elif redirect.new_path != new:
                redirect.new_path = new
                changed.append(redirect)
                actions[old] = UPDATED
            else:
                actions[old] = UNCHANGED
        # Made by someone else meanwhile: then updated, not a unique-constraint error.
        Redirect.objects.bulk_create(
            created,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["site", "old_path"],
            update_fields=["new_path"],
        )
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=CHUNK)
        repointed = repoint(mapping)
    return Saved(actions, repointed)


def _resolved(mapping):
    """Each old address's last new one within the batch: /a → /b with /b → /c gives /a → /c."""
    resolved = {}
    for old, new in mapping.items():
        seen = [old]
        while new in mapping:
            if new in seen:
                raise AddressError(f"跳转会形成循环：{' → '.join(shown(p) for p in [*seen, new])}")
            seen.append(new)
            new = mapping[new]
        resolved[old] = new
    return resolved


def repoint(mapping):
    """Redirects that led to an old address of `mapping` (and are not themselves being set) now lead to its new
    one. One that would now lead to itself (it went from the new address back to the old) is deleted."""
    count = 0
    for chunk in _chunks(mapping):
        behind = [r for r in redirects().select_for_update().filter(new_path__in=chunk) if r.old_path not in mapping]
        for redirect in behind:
            redirect.new_path = mapping[redirect.new_path]
        circles = [r.pk for r in behind if r.new_path == r.old_path]
        redirects().filter(pk__in=circles).delete()
        kept = [r for r in behind if r.pk not in circles]
        Redirect.objects.bulk_update(kept, ["new_path"], batch_size=CHUNK)
        count += len(kept)
    return count


def targets(addresses):
    """{old address: new address} of the stored redirects from any of `addresses`."""
    found = {}
    for chunk in _chunks(set(addresses)):
        found.update(redirects().filter(old_path__in=chunk).values_list("old_path", "new_path"))
    return found


def leading_to(addresses):
    """The old addresses of the stored redirects that lead to any of `addresses`."""
    found = []
    for chunk in _chunks(set(addresses)):
        found += redirects().filter(new_path__in=chunk).values_list("old_path", flat=True)
    return found


def chain_problem(old, new, target_of):
    """Why old → new should not be saved as it is, or None. `target_of(address)` is where a redirect from that
    address leads (None: nowhere), as things will be after saving."""
    seen, address = [old, new], new
    while (following := target_of(address)) is not None and len(seen) <= MAX_HOPS:
        if following in seen:
            return f"跳转会形成循环：{' → '.join(shown(p) for p in [*seen, following])}，访问者永远到不了页面"
        seen.append(following)
        address = following
    if len(seen) > 2:
        return f"新地址 {shown(new)} 又跳转到 {shown(seen[2])}，访问者要连跳多次；请把新地址直接写成 {shown(seen[-1])}"
    return None
