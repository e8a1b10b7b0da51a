from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from news.feeds import ArticleFeed
from news.uploads import editor_upload
from union_site import errors, sitemaps, views
from union_site.api.views import api
from union_site.redirects import sites

admin.site.site_header = "滨州市总工会 网站管理"
admin.site.site_title = "滨州市总工会 网站管理"
admin.site.index_title = "内容管理"

# Chinese error pages (union_site/errors.py); 500 becomes the 503 maintenance page when the database is down.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler500 = errors.server_error

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # /sitemap.xml is the index (robots.txt names it) of the sections' parts: /sitemap-articles.xml, ?p=2, …
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("feeds/news/", ArticleFeed(), name="feed"),
    path("news/", include("news.urls")),
    path("", include("news.download_urls")),  # 下载中心 /downloads/ and /attachments/<id>/<name>
    path("achievements/", include("achievements.urls")),
    path("gallery/", include("gallery.urls")),
    path("mailbox/", include("union_site.mailbox.urls")),
    path("surveys/", include("union_site.surveys.urls")),
    path("", include("union_site.sharing.urls")),  # 新媒体矩阵 /channels/, share cards' pictures /share/…
    path("api/v1/", api.urls),  # the read-only JSON API, its schema and docs (union_site/api/)
    path("admin/editor-upload/", editor_upload, name="editor_upload"),  # before admin/, which would catch it
    path("admin/reports/", include("union_site.reports.urls")),
    path("admin/audit/", include("union_site.audit.urls")),
    path("admin/two-factor/", include("union_site.accounts.urls")),
    # 在站点上查看 on the admin's own host (Django's would use the sites framework's domain): before admin/
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(sites.view_on_site)),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media}(?P<path>.*)$", views.media_file)]
