from django.contrib import admin
from django.urls import path

from union_site.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", admin.site.admin_view(views.two_factor_settings), name="two_factor"),
    path("setup/", admin.site.admin_view(views.setup), name="setup"),
    path("verify/", admin.site.admin_view(views.verify), name="verify"),
    path("backup-codes/", admin.site.admin_view(views.backup_codes), name="backup_codes"),
    path("backup-codes/new/", admin.site.admin_view(views.new_codes), name="new_codes"),
    path("off/", admin.site.admin_view(views.turn_off), name="turn_off"),
    path("reset/<int:pk>/", admin.site.admin_view(views.reset_user), name="reset_user"),
    path("keepalive/", views.keepalive, name="keepalive"),
]
