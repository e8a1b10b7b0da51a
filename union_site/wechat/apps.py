from django.apps import AppConfig


class WechatConfig(AppConfig):
    """公众号: an article pushed to the WeChat account's 草稿箱 from the admin, by the task worker (README "公众号")."""

    name = "union_site.wechat"
    label = "wechat"
    verbose_name = "公众号"
    default_auto_field = "django.db.models.BigAutoField"
