from axes.apps import AppConfig as AxesAppConfig
from django.contrib.auth.signals import user_logged_in


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a Chinese name (登录保护); listed after django-otp in INSTALLED_APPS, so that when it is
    ready every admin module is loaded: it then puts the Chinese admin pages of union_site/accounts/admin.py in
    place and starts the idle clock at each login."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from union_site.accounts import admin
        from union_site.accounts.middleware import start_idle_clock

        admin.register()
        user_logged_in.connect(start_idle_clock, dispatch_uid="union_site.accounts.start_idle_clock")
