"""One search over articles, albums and figures. Chinese has no spaces, so a plain substring match (icontains) is
what finds 劳模 inside 劳模工匠宣讲团; the newsroom issue replaces this with an indexed search."""

from django.db.models import Q

from achievements.models import Metric
from gallery.models import Album
from news.models import Article

MAX_QUERY_LENGTH = 50
MAX_RESULTS = 50


def clean_query(raw):
    """Strip NUL and other control characters (PostgreSQL rejects NUL) and surrounding blanks."""
    text = "".join(ch for ch in (raw or "") if ch >= " " or ch == "\t").strip()
    return text[:MAX_QUERY_LENGTH]


def search_site(raw_query):
    query = clean_query(raw_query)
    if not query:
        return {"query": "", "articles": [], "albums": [], "metrics": []}
    articles = (
        Article.objects.published()
        .filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))
        .for_listing()[:MAX_RESULTS]
    )
    albums = (
        Album.objects.published()
        .filter(Q(title__icontains=query) | Q(description__icontains=query) | Q(photos__caption__icontains=query))
        .distinct()
        .for_listing()[:MAX_RESULTS]
    )
    metrics = (
        Metric.objects.published()
        .filter(Q(label__icontains=query) | Q(source_text__icontains=query))
        .select_related("section")[:MAX_RESULTS]
    )
    return {"query": query, "articles": articles, "albums": albums, "metrics": metrics}
