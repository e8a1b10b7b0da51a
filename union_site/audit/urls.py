from django.contrib import admin
from django.urls import path

from union_site.audit import views

app_name = "audit"
urlpatterns = [
    path("", admin.site.admin_view(views.audit_log), name="log"),
    path("export/", admin.site.admin_view(views.audit_export), name="export"),
]
