"""The 词库 shipped with the site (union_site/checks/starter.py), and its first version number."""

from django.db import migrations


def add_starter_terms(apps, schema_editor):
    from union_site.checks.starter import load_starter_terms

    load_starter_terms(apps.get_model("content_checks", "Term"))  # and moves the version to 1


class Migration(migrations.Migration):
    dependencies = [("content_checks", "0001_initial")]

    operations = [migrations.RunPython(add_starter_terms, migrations.RunPython.noop)]
