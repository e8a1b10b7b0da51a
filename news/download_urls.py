"""下载中心 and the downloads of attachments, at the top of the site (union_site/urls.py): /downloads/ and
/attachments/<id>/<name>, the name only for browsers that name a download after its address."""

from django.urls import path

from news import downloads

app_name = "downloads"
urlpatterns = [
    path("downloads/", downloads.DownloadCentreView.as_view(), name="index"),
    path("attachments/<int:pk>/", downloads.attachment_download, name="file_by_id"),
    path("attachments/<int:pk>/<str:filename>", downloads.attachment_download, name="file"),
]
