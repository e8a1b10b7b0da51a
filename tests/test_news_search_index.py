"""Search on an index: CJK bigram tokens in a tsvector with a GIN index on PostgreSQL, with icontains' results."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import Article, article_fill_derived_fields
from news.search_tokens import search_char_count, search_tokens, search_tsquery
from union_site.search import SEARCH_COUNT_CAP, article_results

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
INDEX = "news_article_search_tokens_gin"
TITLE_INDEX = "news_article_title_tokens_gin"


def test_chinese_runs_become_overlapping_bigrams():
    assert search_tokens("滨州市总工会") == "滨州 州市 市总 总工 工会"


def test_latin_and_digits_are_lower_cased_words_and_punctuation_separates():
    assert search_tokens("ACFTU发布《2026年5G网络》报告") == "acftu 发布 2026 年 5g 网络 报告"
    assert search_tokens("滨工发〔2026〕12号") == "滨工 工发 2026 12 号"
    assert search_tokens("劳动 模范") == "劳动 模范"
    assert search_tokens("ＡＢＣ１２") == "abc12"  # full-width letters and digits as their ordinary forms
    assert search_tokens("") == "" and search_tokens("%_'") == ""


def test_the_query_is_a_quoted_phrase_of_the_same_tokens():
    assert search_tsquery("劳动模范") == "'劳动' <-> '动模' <-> '模范'"
    assert search_tsquery("5G网") == "'5g' <-> '网':*"
    assert search_tsquery("it's & !x | y") == "'it' <-> 's' <-> 'x' <-> 'y'"  # operators typed are not operators
    assert search_tsquery("%") == ""


def test_one_character_is_too_short(client, make_article):
    make_article(title="工会新闻")
    assert search_char_count("工") == 1 and search_char_count("工会") == 2
    page = client.get(reverse("search"), {"q": "工"}).content.decode()
    assert "请输入至少两个字" in page and "工会新闻" not in page


def test_saving_fills_the_tokens(make_article):
    article = make_article(kicker="引题", title="劳模工匠", subtitle="", body="<p>全市<b>工会</b>工作</p>")
    assert article.title_tokens == "引题 劳模 模工 工匠"
    assert "工会 会工 工作" in article.search_tokens


@pytest.fixture
def tricky_articles(make_article):
    now = timezone.now()
    made = [
        make_article(title="基层动态", body="<p>劳模工匠宣讲团走进企业</p>", publish_at=now - timedelta(days=1)),
        make_article(title="劳模工匠宣讲团成立", body="<p>内容</p>", publish_at=now - timedelta(days=30)),
        make_article(title="评选通知", body="<p>全市劳动模范和先进工作者</p>", publish_at=now - timedelta(days=2)),
        make_article(title="一段话", body="<p>热爱劳动 模范带头</p>", publish_at=now - timedelta(days=3)),
        make_article(title="另一段话", body="<p>劳动，模范</p>", publish_at=now - timedelta(days=4)),
        make_article(title="滨州市总工会召开全市工会工作会议", body="<p>会议</p>", publish_at=now - timedelta(days=5)),
        make_article(title="通知", body="<p>工会会员</p>", publish_at=now - timedelta(days=6)),
        make_article(title="草稿", body="<p>工会 劳模</p>", status=Article.Status.DRAFT),
        make_article(title="无关", body="<p>工作会议</p>", publish_at=now - timedelta(days=7)),  # 工…会 apart
    ]
    return made


@on_postgresql
@pytest.mark.parametrize("query", ["工会", "劳模", "劳动模范", "劳动 模范", "工会会员", "滨州市总工会召开"])
def test_results_equal_the_substring_results(tricky_articles, query):
    expected = set(Article.objects.published().filter(search_text__icontains=query).values_list("id", flat=True))
    assert expected  # each query finds something
    assert set(article_results(query).ids) == expected


@on_postgresql
def test_words_apart_do_not_match_the_phrase(tricky_articles):
    titles = [a.title for a in article_results("劳动模范")]
    assert titles == ["评选通知"]  # not 劳动 模范, not 劳动，模范


@on_postgresql
def test_title_hits_rank_first(tricky_articles):
    titles = [a.title for a in article_results("劳模")]
    assert titles == ["劳模工匠宣讲团成立", "基层动态"]  # the title hit, although 30 days older


def bulk_articles(column, count, text_for):
    now = timezone.now()
    articles = []
    for n in range(count):
        article = Article(
            column=column,
            title=f"第{n}期简报",
            body=f"<p>{text_for(n)}</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n + 1),
        )
        article_fill_derived_fields(article)
        articles.append(article)
    Article.objects.bulk_create(articles, batch_size=500)


@on_postgresql
@pytest.mark.parametrize("query", ["工会", "劳模"])
def test_a_rare_word_is_found_through_the_gin_indexes(column, query):
    topics = ["职工书屋建设", "法律援助进企业", "安全生产月活动", "困难职工帮扶", "技能竞赛决赛"]
    bulk_articles(column, 2000, lambda n: ("全市工会劳模座谈" if n % 100 == 0 else "") + topics[n % len(topics)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
    found = article_results(query)
    assert f"Bitmap Index Scan on {TITLE_INDEX}" in found.title_hits.explain()
    assert f"Bitmap Index Scan on {INDEX}" in found.other_hits.explain()
    assert found.count() == 20


@on_postgresql
def test_the_planner_settings_come_back_after_a_search(tricky_articles):
    assert article_results("工会").count() == 2  # inside the test's transaction, as inside any surrounding one
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"


def test_the_count_stops_at_the_cap(client, column):
    bulk_articles(column, SEARCH_COUNT_CAP + 5, lambda n: "全市工会工作")
    page = client.get(reverse("search"), {"q": "工会"}).content.decode()
    assert "1000+ 条" in page
    assert f"第 1 / {SEARCH_COUNT_CAP // 20} 页" in page


def test_only_a_query_of_several_runs_needs_the_substring_check():
    from news.search_tokens import search_phrase_is_exact

    assert search_phrase_is_exact("劳动模范") and search_phrase_is_exact("工会") and search_phrase_is_exact("ABC")
    assert not search_phrase_is_exact("劳动 模范") and not search_phrase_is_exact("2026年工会")
