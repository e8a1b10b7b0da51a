"""One search over published articles, albums and figures.

Chinese has no spaces, so words are found as substrings: 工会 inside 滨州市总工会召开全市工会工作会议. Articles are
matched on `search_text` (headings and body as plain text, kept by Article.save). Title matches rank first.

- PostgreSQL: the query's CJK bigram tokens as a phrase tsquery (news/search_tokens.py) against
  `search_vector` (a stored tsvector of them, headings weighted A), which a GIN index serves (news migration 0008),
  then, for a query of several runs only, the exact substring test on the rows found; ranked by ts_rank.
- SQLite (small sites): icontains, a scan.

A query needs two searchable characters; the count stops at SEARCH_COUNT_CAP (shown as 1000+)."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Case, FloatField, Func, IntegerField, Q, TextField, Value, When
from django.utils.functional import cached_property

from achievements.models import Metric
from gallery.models import Album
from news.models import Article
from news.search_tokens import search_char_count, search_phrase_is_exact, search_tsquery

MAX_QUERY_LENGTH = 50
ARTICLES_PER_PAGE = 20
MAX_SIDE_RESULTS = 12  # albums and figures: shown beside the first page of articles
SNIPPET_RADIUS = 60
MIN_QUERY_CHARS = 2  # one character would match nearly everything and no index serves it
SEARCH_COUNT_CAP = 1000  # counting stops here: "1000+", and pages beyond it are not offered


def clean_query(raw):
    """Control characters out (PostgreSQL rejects NUL), blanks folded, length capped."""
    text = "".join(ch if ch >= " " else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


class SearchVector(Func):
    """news_article.search_vector: PostgreSQL's stored tsvector of the tokens, GIN-indexed (news migration 0008)."""

    template = '"news_article"."search_vector"'
    output_field = TextField()

    def __init__(self):
        super().__init__()


class ToTsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = TextField()


class TsMatch(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()


def title_hit(query):
    return Case(When(title__icontains=query, then=Value(1)), default=Value(0), output_field=IntegerField())


def article_results(query):
    articles = Article.objects.published().select_related("column")
    if connection.vendor != "postgresql":
        return (
            articles.filter(search_text__icontains=query)
            .annotate(title_hit=title_hit(query))
            .order_by("-title_hit", "-publish_at", "-id")
        )
    tsquery = search_tsquery(query)
    if not tsquery:  # nothing searchable (only punctuation)
        return articles.none()
    terms = ToTsQuery(Value(tsquery))  # a parameter, every token quoted: never raw text in the SQL
    found = articles.filter(TsMatch(SearchVector(), terms))
    if not search_phrase_is_exact(query):
        # The exact substring test on the rows the index found. Only where the phrase is looser than a substring:
        # it reads every found row's whole text (3x the time of the search for 工会 at 10,000 articles).
        found = found.filter(search_text__icontains=query)
    return found.annotate(title_hit=title_hit(query), rank=TsRank(SearchVector(), terms)).order_by(
        "-title_hit", "-rank", "-publish_at", "-id"
    )


class CappedPaginator(Paginator):
    """Counts at most SEARCH_COUNT_CAP + 1 rows (a LIMITed subquery), so a common word does not count every article."""

    @cached_property
    def found(self):
        return self.object_list.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()

    @cached_property
    def count(self):
        return min(self.found, SEARCH_COUNT_CAP)

    @property
    def capped(self):
        return self.found > SEARCH_COUNT_CAP


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
    if search_char_count(query) == 1:  # 工, a: too short to search (only punctuation is searched, and finds nothing)
        context["too_short"] = True
        return context
    page = CappedPaginator(article_results(query), ARTICLES_PER_PAGE).get_page(page_number)
    for article in page.object_list:
        article.snippet = snippet(article.search_text, query)
    context.update(page_obj=page, articles=page.object_list, total=page.paginator.count, capped=page.paginator.capped)
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
