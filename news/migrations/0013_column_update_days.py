"""栏目的更新周期（天）for 网站巡检 (union_site/inspection/columns.py), and a sensible one for the columns already there,
after 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号): 14 days for 动态、要闻 columns, 180 for 通知公告 and
政策文件 ones, none (not checked) for a 专题 or 归档 column. Editors change it in 后台 › 新闻 › 栏目."""

from django.db import migrations, models

NEWS_DAYS, NOTICE_DAYS = 14, 180
NOTICE_NAMES = ("通知", "公告", "公示", "政策", "文件", "法规")
NOTICE_SLUGS = ("notice", "policies", "policy", "tzgg", "zcwj", "announce", "documents")
EXEMPT_NAMES = ("专题", "归档", "往期", "历史")
EXEMPT_SLUGS = ("special", "topic", "zhuanti", "archive")


def update_days_for(column):
    slug, name = column.slug.lower(), column.name
    if any(word in name for word in EXEMPT_NAMES) or any(word in slug for word in EXEMPT_SLUGS):
        return None
    if column.kind == "notice" or any(word in name for word in NOTICE_NAMES) or any(w in slug for w in NOTICE_SLUGS):
        return NOTICE_DAYS
    return NEWS_DAYS  # 新闻列表 and 图片新闻: 动态、要闻类


def set_update_days(apps, schema_editor):
    Column = apps.get_model("news", "Column")
    for column in Column.objects.all():
        column.update_days = update_days_for(column)
        column.save(update_fields=["update_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0012_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="column",
            name="update_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                default=14,
                help_text="网站巡检按此检查栏目是否按时更新：动态、要闻类栏目填 14，通知公告、政策文件类填 180；专题、归档等不需定期更新的栏目留空（不查更新，但没有公开文章时仍算空白栏目）。",
                null=True,
                verbose_name="更新周期（天）",
            ),
        ),
        migrations.RunPython(set_update_days, migrations.RunPython.noop),
    ]
