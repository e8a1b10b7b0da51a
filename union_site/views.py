from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView
from django.views.static import serve

from achievements.models import Metric
from gallery.models import Album
from news.models import Article, Column
from union_site.search import search_site

HOME_COLUMN_ITEMS = 6


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        headline = published.filter(is_headline=True).for_listing().first() or published.for_listing().first()
        blocks = []
        for column in Column.objects.in_nav().exclude(kind=Column.Kind.PHOTO):
            items = list(published.filter(column=column).for_listing()[:HOME_COLUMN_ITEMS])
            if items:  # an empty column is left off the home page, not shown as a blank box
                blocks.append((column, items))
        return super().get_context_data(
            headline=headline,
            column_blocks=blocks,
            figures=Metric.objects.published().highlighted().select_related("section")[:8],
            albums=Album.objects.published().for_listing()[:4],
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        found = search_site(self.request.GET.get("q", ""), self.request.GET.get("page", 1))
        return super().get_context_data(**found, **kwargs)


def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def media_file(request, path):
    """Uploaded files, when Django serves them itself (development, tests); production lets nginx do it."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
