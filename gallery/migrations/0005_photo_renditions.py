"""Photo.renditions: each rendition's file name and size, stored once per photo instead of worked out by imagekit on
every page. The names of existing photos come from the model's specs (gallery.models.renditions_of), so they are the
names imagekit gave the files already on disk. Bulk uploads used to leave width and height at 0 (Django then opened
the file each time the row was loaded): they are measured here."""

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import migrations

import gallery.models


def measured(name):
    try:
        with default_storage.open(name) as file:
            return get_image_dimensions(file)
    except OSError:
        return None, None


def fill_renditions(apps, schema_editor):
    Photo = apps.get_model("gallery", "Photo")
    rows = list(Photo.objects.exclude(image="").values_list("pk", "image", "width", "height"))
    for pk, name, width, height in rows:
        if not (width and height):
            width, height = measured(name)
            if not (width and height):
                continue  # the upload is missing or unreadable: nothing to name
        Photo.objects.filter(pk=pk).update(
            renditions=gallery.models.renditions_of(name, width, height), width=width, height=height
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gallery", "0004_album_version_updated_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="renditions",
            field=gallery.models.RenditionsField(
                blank=True,
                default=dict,
                editable=False,
                help_text="各尺寸图片的文件名和像素大小，保存照片时自动填写。",
                verbose_name="各尺寸图片",
            ),
        ),
        migrations.RunPython(fill_renditions, migrations.RunPython.noop),
    ]
