from django.contrib.admin.apps import AdminConfig


class UnionAdminConfig(AdminConfig):
    """Django's admin (label "admin", its templates and translations) with the site of union_site/dashboard/site.py
    as `admin.site`: every admin module keeps registering with `admin.site` as before."""

    default_site = "union_site.dashboard.site.UnionAdminSite"
