"""Photo.renditions_ready and renditions_error: a bulk upload's photos wait for the task worker to make their
renditions (gallery/tasks.py) before they are shown. Existing photos have theirs: True for every row."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gallery', '0005_photo_renditions'),
    ]

    operations = [
        migrations.AddField(
            model_name='photo',
            name='renditions_error',
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name='缩略图生成失败原因'),
        ),
        migrations.AddField(
            model_name='photo',
            name='renditions_ready',
            field=models.BooleanField(default=True, editable=False, help_text='批量上传的照片在后台生成缩略图后才在网站显示。', verbose_name='缩略图已生成'),
        ),
    ]
