"""The role table (union_site/roles.py) is what the groups hold after every migrate: exactly, and idempotently."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from union_site.roles import EDITOR, REPORTER, REVIEWER, ROLE_PERMISSIONS, sync_roles

pytestmark = pytest.mark.django_db


def codes(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_after_migrate_each_role_holds_exactly_its_listed_permissions():
    for name, listed in ROLE_PERMISSIONS.items():
        assert codes(name) == set(listed)


def test_reviewers_publish_and_export_but_editors_and_reporters_do_not_publish():
    assert "news.publish_article" in codes(REVIEWER)
    assert "union_site.export_report" in codes(REVIEWER) and "union_site.export_report" in codes(REPORTER)
    assert "news.publish_article" not in codes(EDITOR) | codes(REPORTER)
    assert not {code for code in codes(REPORTER) if not code.split(".")[1].startswith(("view_", "export_"))}


def test_sync_puts_back_a_removed_right_and_takes_away_one_granted_by_hand():
    editors = Group.objects.get(name=EDITOR)
    editors.permissions.remove(Permission.objects.get(codename="change_article"))
    editors.permissions.add(Permission.objects.get(codename="publish_article"))
    sync_roles()
    assert codes(EDITOR) == set(ROLE_PERMISSIONS[EDITOR])


def test_sync_twice_changes_nothing_and_a_deleted_group_comes_back_on_migrate():
    sync_roles()
    before = {name: codes(name) for name in ROLE_PERMISSIONS}
    Group.objects.filter(name=REPORTER).delete()
    call_command("migrate", verbosity=0)
    assert {name: codes(name) for name in ROLE_PERMISSIONS} == before
