"""The demo's 友情链接 “齐鲁工惠” pointed at the provincial union's site (https://www.sdgh.org.cn/) as if it were the
App's page. The App now has its own place in 网站设置 (App 名称, App 下载页), filled in by the operator: the
borrowed link goes. A 齐鲁工惠 link an operator gave another address is left alone."""

from django.db import migrations


def drop_borrowed_link(apps, schema_editor):
    QuickLink = apps.get_model("union_site", "QuickLink")
    QuickLink.objects.filter(name="齐鲁工惠", url="https://www.sdgh.org.cn/").delete()


class Migration(migrations.Migration):
    dependencies = [("union_site", "0010_site_settings_official_channels")]
    operations = [migrations.RunPython(drop_borrowed_link, migrations.RunPython.noop)]
