from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen: who may edit 网站设置 and 友情链接 besides superusers (issue #7: reviewers). Editing the links means adding
# and removing them too; the one settings record is never added or deleted by hand.
REVIEWER = "审核"
CODENAMES = [
    ("union_site", "change_sitesettings"),
    ("union_site", "add_quicklink"),
    ("union_site", "change_quicklink"),
    ("union_site", "delete_quicklink"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get_or_create(name=REVIEWER)[0]
    for app_label, codename in CODENAMES:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=REVIEWER):
        group.permissions.remove(*group.permissions.filter(codename__in=[codename for _, codename in CODENAMES]))


class Migration(migrations.Migration):
    dependencies = [("union_site", "0005_site_settings_quick_links")]
    operations = [migrations.RunPython(grant, revoke)]
