"""One search over published articles, albums and figures.

Chinese has no spaces, so words are found as substrings: 工会 inside 滨州市总工会召开全市工会工作会议. Articles are
matched on `search_text` (headings and body as plain text, kept by Article.save).

Order: articles whose headings hold the query first, then the others; newest first in each (TitleFirst).

- PostgreSQL: the query's CJK bigram tokens as a phrase tsquery (news/search_tokens.py) against the headings'
  tokens and against `search_vector` (a stored tsvector of headings and text), each served by a GIN index (news
  migrations 0008 and 0010) or, for a word in most articles, by the date index; then, for a query of several runs
  only, the exact substring test on the rows found.
- SQLite (small sites): icontains, a scan.

A query needs two searchable characters; the count stops at SEARCH_COUNT_CAP (shown as 1000+)."""

import contextlib

from django.core.paginator import Paginator
from django.db import connection, connections, transaction
from django.db.models import BooleanField, Exists, Func, OuterRef, Q, TextField, Value
from django.utils.functional import cached_property

from achievements.models import Metric
from gallery.models import Album, Photo
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


class TsVector(Func):
    """A stored or indexed tsvector of news_article, as its SQL (PostgreSQL only; the model does not know them)."""

    output_field = TextField()

    def __init__(self, sql):
        self.template = sql
        super().__init__()


# Stored tsvectors of news_article, each GIN-indexed: headings and text (news migration 0008), headings (0010).
SEARCH_VECTOR_SQL = '"news_article"."search_vector"'
TITLE_VECTOR_SQL = '"news_article"."title_vector"'


class TsMatch(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class ToTsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = TextField()


def heading_q(query):
    return Q(kicker__icontains=query) | Q(title__icontains=query) | Q(subtitle__icontains=query)


def article_matches(query):
    """(headings hold the query, text holds it) as filters: on PostgreSQL through the two GIN indexes, re-checked as
    substrings only where the phrase is looser than one (search_phrase_is_exact); elsewhere icontains. None when
    nothing in the query is searchable (only punctuation)."""
    if connection.vendor != "postgresql":
        return heading_q(query), Q(search_text__icontains=query)
    tsquery = search_tsquery(query)
    if not tsquery:
        return None
    terms = ToTsQuery(Value(tsquery))  # a parameter, every token quoted: never raw text in the SQL
    in_headings = Q(TsMatch(TsVector(TITLE_VECTOR_SQL), terms))
    in_text = Q(TsMatch(TsVector(SEARCH_VECTOR_SQL), terms))
    if not search_phrase_is_exact(query):
        in_headings &= heading_q(query)
        in_text &= Q(search_text__icontains=query)
    return in_headings, in_text


@contextlib.contextmanager
def through_gin_indexes(alias):
    """PostgreSQL finds rows through the GIN indexes inside this block (bitmap scans only). Its planner does not
    price reading each row's vector (large, kept compressed out of line) when it walks the date index or the table
    and tests every row: measured at 10,000 articles, the ids of the articles with 工会 in the text but not in the
    title took 74 ms that way and 7 ms from the index, 劳模's 21 ms and 3.5 ms. SET LOCAL ends with the block's
    transaction; inside a surrounding one (a savepoint) they are reset at the block's end."""
    database = connections[alias]
    if database.vendor != "postgresql":
        yield
        return
    nested = database.in_atomic_block
    with transaction.atomic(using=alias), database.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        yield
        if nested:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT")


class FoundArticles:
    """The articles found, as the paginator reads them: those whose headings (引题, 标题, 副标题) hold the query,
    newest first, then the others whose text holds it, newest first; at most `limit` (SEARCH_COUNT_CAP + 1).

    First the ids in that order, in two queries: the title hits as the planner likes (walking the date index for
    a word in most titles, the headings' GIN index for a rarer one: the headings' vector is small), the others
    through the text's GIN index (`through_gin_indexes`), which gives the matching rows without reading their
    text. Each matching row is read once, for the count and the order together; then the page's rows by id.
    Ranking by ts_rank instead read every match's whole vector: 90 ms for 工会 at 10,000 articles."""

    ORDER = ("-publish_at", "-id")

    def __init__(self, articles, in_headings=None, in_text=None, limit=SEARCH_COUNT_CAP + 1):
        self.articles, self.limit = articles, limit
        self.title_hits = articles.filter(in_headings).order_by(*self.ORDER) if in_headings else articles.none()
        self.other_hits = articles.filter(in_text).exclude(in_headings).order_by(*self.ORDER) if in_text else None

    @cached_property
    def ids(self):
        ids = list(self.title_hits.values_list("pk", flat=True)[: self.limit])
        if self.other_hits is not None and len(ids) < self.limit:
            with through_gin_indexes(self.articles.db):
                ids += self.other_hits.values_list("pk", flat=True)[: self.limit - len(ids)]
        return ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        wanted = self.ids[index]
        if not isinstance(index, slice):
            return self.articles.get(pk=wanted)
        rows = self.articles.in_bulk(wanted)
        return [rows[pk] for pk in wanted if pk in rows]


def article_results(query):
    """The published articles that hold `query`, title hits first (FoundArticles); none when nothing is searchable."""
    articles = Article.objects.published().select_related("column").defer("body", "search_tokens", "title_tokens")
    matches = article_matches(query)
    return FoundArticles(articles, *matches) if matches else FoundArticles(articles.none())


class CappedPaginator(Paginator):
    """Counts at most SEARCH_COUNT_CAP + 1 articles (FoundArticles), so a common word does not count every one."""

    @cached_property
    def count(self):
        return min(self.object_list.count(), SEARCH_COUNT_CAP)

    @property
    def capped(self):
        return self.object_list.count() > SEARCH_COUNT_CAP


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
        photos_captioned = Photo.objects.filter(album=OuterRef("pk"), caption__icontains=query)
        context["albums"] = (
            Album.objects.published()
            .filter(Q(title__icontains=query) | Q(description__icontains=query) | Exists(photos_captioned))
            .for_listing()[:MAX_SIDE_RESULTS]
        )
        context["metrics"] = (
            Metric.objects.published()
            .filter(Q(label__icontains=query) | Q(source_text__icontains=query))
            .select_related("section")[:MAX_SIDE_RESULTS]
        )
    return context
