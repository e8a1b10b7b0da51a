from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen: the groups that may use 报表中心 and 导出所选 (issue #6: the 报表 group and reviewers).
GROUPS = ["报表", "审核"]
CODENAME = ("union_site", "export_report")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label=CODENAME[0], codename=CODENAME[1])
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*group.permissions.filter(codename=CODENAME[1]))


class Migration(migrations.Migration):
    dependencies = [("union_site", "0003_export_log")]
    operations = [migrations.RunPython(grant, revoke)]
