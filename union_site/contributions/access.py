"""Who is a 通讯员 and which articles are theirs: the one rule the admin applies to every list, page and save.

A 通讯员 is an account in the role group 通讯员 (union_site/roles.py), superusers never. It is bound to one 来稿单位
(Correspondent); unbound, it sees and writes nothing until an administrator binds it. Its articles are its unit's:
whoever of the unit wrote them, it never sees another unit's, and the unit of what it saves is always its own.
"""

from union_site.contributions.models import Correspondent
from union_site.roles import CORRESPONDENT


def is_correspondent(user):
    """Remembered on the user object for the request (the admin asks many times per page)."""
    if not hasattr(user, "_is_correspondent"):
        user._is_correspondent = (
            user.is_authenticated and not user.is_superuser and user.groups.filter(name=CORRESPONDENT).exists()
        )
    return user._is_correspondent


def unit_of(user):
    """The 来稿单位 a 通讯员 is bound to, or None."""
    if not hasattr(user, "_correspondent_unit"):
        binding = Correspondent.objects.select_related("unit").filter(user_id=user.pk).first()
        user._correspondent_unit = binding.unit if binding else None
    return user._correspondent_unit


def limit_to_own_unit(queryset, user):
    """The articles `user` may see in the admin: all for staff, their unit's for a 通讯员 (none when unbound)."""
    if not is_correspondent(user):
        return queryset
    unit = unit_of(user)
    return queryset.filter(contributing_unit=unit) if unit else queryset.none()


def is_own(user, article):
    """`article` (None: a new one) is one `user` may touch as far as units go."""
    if article is None or not is_correspondent(user):
        return True
    unit = unit_of(user)
    return unit is not None and article.contributing_unit_id == unit.pk
