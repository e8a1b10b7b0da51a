from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy: later permission changes go in new migrations, so this one means the same forever.
EDITOR, REVIEWER, REPORTER = "编辑", "审核", "报表"

_VIEW_ALL = [
    "news.view_column",
    "news.view_article",
    "achievements.view_period",
    "achievements.view_section",
    "achievements.view_metric",
    "achievements.view_metricvalue",
    "achievements.view_honor",
    "gallery.view_album",
    "gallery.view_photo",
]
_EDIT = [
    "news.add_article",
    "news.change_article",
    "achievements.add_section",
    "achievements.change_section",
    "achievements.add_metric",
    "achievements.change_metric",
    "achievements.add_metricvalue",
    "achievements.change_metricvalue",
    "achievements.delete_metricvalue",
    "achievements.add_honor",
    "achievements.change_honor",
    "gallery.add_album",
    "gallery.change_album",
    "gallery.delete_album",
    "gallery.add_photo",
    "gallery.change_photo",
    "gallery.delete_photo",
]
_REVIEW = [
    "news.publish_article",
    "news.delete_article",
    "news.add_column",
    "news.change_column",
    "achievements.add_period",
    "achievements.change_period",
    "achievements.delete_section",
    "achievements.delete_metric",
    "achievements.delete_honor",
]

ROLE_PERMISSIONS = {
    EDITOR: _VIEW_ALL + _EDIT,
    REVIEWER: _VIEW_ALL + _EDIT + _REVIEW,
    REPORTER: _VIEW_ALL,
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0001_initial"),
        ("achievements", "0001_initial"),
        ("gallery", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
