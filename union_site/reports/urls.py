from django.contrib import admin
from django.urls import path

from union_site.reports.center import report_center, report_download

app_name = "reports"
urlpatterns = [
    path("", admin.site.admin_view(report_center), name="center"),
    path("<slug:name>/", admin.site.admin_view(report_download), name="download"),
]
