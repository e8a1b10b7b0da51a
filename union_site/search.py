"""One search over published articles, albums and figures.

Chinese has no spaces, so words are found as substrings (icontains): 工会 inside 滨州市总工会召开全市工会工作会议,
on SQLite and PostgreSQL alike. Articles are matched on `search_text` (headings and body as plain text, kept by
Article.save) and on PostgreSQL served by pg_trgm GIN indexes (news migration 0004). Title matches rank first."""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When

from achievements.models import Metric
from gallery.models import Album
from news.models import Article

MAX_QUERY_LENGTH = 50
ARTICLES_PER_PAGE = 20
MAX_SIDE_RESULTS = 12  # albums and figures: shown beside the first page of articles
SNIPPET_RADIUS = 60


def clean_query(raw):
    """Control characters out (PostgreSQL rejects NUL), blanks folded, length capped."""
    text = "".join(ch if ch >= " " else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def article_results(query):
    return (
        Article.objects.published()
        .filter(search_text__icontains=query)
        .annotate(
            title_hit=Case(When(title__icontains=query, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .select_related("column")
        .order_by("-title_hit", "-publish_at", "-id")
    )


def snippet(text, query, radius=SNIPPET_RADIUS):
    """The part of `text` around the first match, with … where it was cut."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: radius * 2] + ("…" if len(text) > radius * 2 else "")
    start, end = max(0, at - radius), min(len(text), at + len(query) + radius)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def search_site(raw_query, page_number=1):
    query = clean_query(raw_query)
    too_long = len(" ".join((raw_query or "").split())) > MAX_QUERY_LENGTH
    context = {"query": query, "too_long": too_long, "page_obj": None, "articles": [], "albums": [], "metrics": []}
    if not query:
        return context
    page = Paginator(article_results(query), ARTICLES_PER_PAGE).get_page(page_number)
    for article in page.object_list:
        article.snippet = snippet(article.search_text, query)
    context.update(page_obj=page, articles=page.object_list, total=page.paginator.count)
    if page.number == 1:
        context["albums"] = (
            Album.objects.published()
            .filter(Q(title__icontains=query) | Q(description__icontains=query) | Q(photos__caption__icontains=query))
            .distinct()
            .for_listing()[:MAX_SIDE_RESULTS]
        )
        context["metrics"] = (
            Metric.objects.published()
            .filter(Q(label__icontains=query) | Q(source_text__icontains=query))
            .select_related("section")[:MAX_SIDE_RESULTS]
        )
    return context
