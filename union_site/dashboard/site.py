"""The admin site as the office works in it: its apps in the order the office thinks of them (新闻, 图片, 数说五年,
站点, then the rest as Django lists them) and, on the index, each person's overview (union_site/dashboard/panels.py)."""

from django.contrib.admin import AdminSite
from django.utils import timezone

from union_site.dashboard.panels import panels_for

APP_ORDER = ["news", "gallery", "achievements", "union_site"]


def app_rank(app):
    label = app["app_label"]
    return (APP_ORDER.index(label), "") if label in APP_ORDER else (len(APP_ORDER), str(app["name"]))


class UnionAdminSite(AdminSite):
    def get_app_list(self, request, app_label=None):
        return sorted(super().get_app_list(request, app_label), key=app_rank)

    def index(self, request, extra_context=None):
        extra = {"dashboard_panels": panels_for(request.user, timezone.now()), **(extra_context or {})}
        return super().index(request, extra)
