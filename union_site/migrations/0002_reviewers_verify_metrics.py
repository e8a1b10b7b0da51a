from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = "审核"
CODENAME = ("achievements", "verify_metric")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label=CODENAME[0], codename=CODENAME[1])
    Group.objects.get_or_create(name=REVIEWER)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=REVIEWER):
        group.permissions.remove(*group.permissions.filter(codename=CODENAME[1]))


class Migration(migrations.Migration):
    dependencies = [
        ("union_site", "0001_role_groups"),
        ("achievements", "0002_provenance_verification_history"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
