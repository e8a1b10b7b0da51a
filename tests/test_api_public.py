"""The read-only JSON API (/api/v1/): only public content, by the pages' own rules; absolute addresses and Beijing
times; query counts flat in the data's size; the OpenAPI schema; Chinese errors; the page cache, CORS and the rate
limit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from achievements.models import Metric, MetricValue, Period, Section
from gallery.models import Album
from news.attachments import attach_file
from tests.factories import absolute, make_album_with_cover, make_photo, media_base, pdf

API = "/api/v1"


def get(client, path, **headers):
    return client.get(API + path, **headers)


@pytest.fixture
def period(db):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="“数”说五年")
    section = Section.objects.create(period=period, title="职工思想政治引领 工作成效显著", order=1)
    metric = Metric.objects.create(
        section=section,
        label="“齐鲁工惠”App滨州站认证会员",
        value=Decimal(553000),
        unit="人",
        qualifier="",
        source_document="《2023年工会统计年报》",
    )
    for year, value in [(2022, 500000), (2023, 553000)]:
        MetricValue.objects.create(metric=metric, year=year, value=value)
    return period


def test_only_public_items_ever_appear(client, make_article, period):
    now = timezone.now()
    shown = make_article(title="公开的文章")
    hidden = [
        make_article(title="草稿", status="draft"),
        make_article(title="待审核", status="review"),
        make_article(title="定时发布", publish_at=now + timedelta(hours=1)),
        make_article(title="已下线", unpublish_at=now - timedelta(minutes=1)),
        make_article(title="已归档", status="archived"),
    ]
    for article in hidden:
        attach_file(article, "报名表.pdf", pdf())
    attach_file(shown, "名单.pdf", pdf())
    make_album_with_cover("公开相册", is_published=True)
    secret = make_album_with_cover("未显示的相册")
    Period.objects.create(name="未显示的时期", start_year=2023, end_year=2028, is_published=False)

    titles = [item["title"] for item in get(client, "/articles").json()["results"]]
    assert titles == ["公开的文章"]
    for article in hidden:
        assert get(client, f"/articles/{article.pk}").status_code == 404
        assert get(client, f"/articles?q={article.title}").json()["count"] == 0
    assert [a["title"] for a in get(client, "/albums").json()["results"]] == ["公开相册"]
    assert get(client, f"/albums/{secret.pk}").status_code == 404
    assert get(client, f"/albums/{secret.pk}").json() == {"detail": "没有找到：内容不存在或尚未公开。"}
    assert [p["name"] for p in get(client, "/periods").json()] == ["第六次代表大会以来"]
    downloads = get(client, "/downloads").json()["results"]
    assert [d["article_title"] for d in downloads] == ["公开的文章"]


def test_an_article_with_absolute_addresses_beijing_time_and_mini_program_body(client, make_article):
    album = make_album_with_cover("劳模宣讲", is_published=True)
    picture = '<img src="/media/editor/a.jpg" alt="会场">'
    body = f'<figure class="image">{picture}<figcaption>会场</figcaption></figure><p>正文</p>'
    article = make_article(
        title="工会要闻一则",
        body=body,
        album=album,
        publish_at=timezone.make_aware(timezone.datetime(2026, 11, 24, 9, 30)),
    )
    answer = get(client, f"/articles/{article.pk}").json()
    assert answer["publish_at"] == "2026-11-24T09:30:00+08:00"
    assert answer["url"] == f"http://testserver/news/{article.pk}/"
    assert answer["cover"]["url"].startswith(absolute(media_base())) and answer["cover"]["url"].endswith(".jpg")
    assert answer["cover"]["webp"].endswith(".webp")
    assert 'src="http://testserver/media/editor/a.jpg"' in answer["body_html"]
    mini = answer["body_miniprogram"]
    assert "<figure" not in mini and "class=" not in mini
    assert (
        '<img src="http://testserver/media/editor/a.jpg" alt="会场" style="max-width:100%;height:auto;display:block;">'
        in mini
    )
    assert answer["album_id"] == album.pk


def test_behind_the_proxy_addresses_are_https(client, make_article, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    article = make_article()
    answer = get(client, "/articles", HTTP_X_FORWARDED_PROTO="https", SERVER_PORT="443").json()["results"][0]
    assert answer["url"] == f"https://testserver/news/{article.pk}/"


def test_an_album_gives_each_photo_in_webp_and_jpeg(client, db):
    album = make_album_with_cover("职工运动会", caption="开幕式", is_published=True)
    make_photo(album, caption="拔河", order=2)
    answer = get(client, f"/albums/{album.pk}").json()
    assert [p["caption"] for p in answer["photos"]] == ["开幕式", "拔河"]
    for photo in answer["photos"]:
        for kind in ("thumbnail", "medium", "large"):
            rendition = photo["renditions"][kind]
            assert rendition["url"].startswith(absolute(media_base())) and rendition["url"].endswith(".jpg")
            assert rendition["webp"].endswith(".webp") and rendition["width"] > 0
    assert answer["photo_count"] == 2


def test_figures_with_display_text_series_and_source(client, period):
    answer = get(client, f"/periods/{period.pk}").json()
    figure = answer["sections"][0]["figures"][0]
    assert figure["display"] == "55.3万人"
    assert (figure["value"], figure["unit"], figure["qualifier"]) == (553000, "人", "exact")
    assert figure["series"] == [{"year": 2022, "value": 500000}, {"year": 2023, "value": 553000}]
    assert figure["source"] == "《2023年工会统计年报》"


def test_filters_by_column_date_and_words(client, make_article, column):
    old = make_article(title="去年的劳模表彰", publish_at=timezone.now() - timedelta(days=400))
    make_article(title="今年的工会要闻")
    assert [a["id"] for a in get(client, "/articles?q=劳模").json()["results"]] == [old.pk]
    year_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert [a["title"] for a in get(client, f"/articles?date_from={year_ago}").json()["results"]] == ["今年的工会要闻"]
    assert [a["id"] for a in get(client, f"/articles?date_to={year_ago}").json()["results"]] == [old.pk]
    assert get(client, f"/articles?column={column.slug}").json()["count"] == 2


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("page=abc", "参数 page 应为整数"),
        ("page_size=500", "参数 page_size 太大（不能大于 50）"),
        ("date_from=2026-13-01", "参数 date_from 应为日期"),
        ("q=工", "搜索词至少要有 2 个字"),
        ("column=nowhere", "没有网址名为“nowhere”的栏目"),
        ("date_from=2026-02-01&date_to=2026-01-01", "date_from 不能晚于 date_to"),
    ],
)
def test_bad_parameters_get_400_in_chinese(client, db, query, words):
    response = get(client, f"/articles?{query}")
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_pages_with_links_to_their_neighbours(client, make_article):
    for _ in range(3):
        make_article()
    first = get(client, "/articles?page_size=2").json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert get(client, "/articles?page=9").status_code == 404


def many(count, make_article):
    """`count` public articles with covers' albums, albums with photos, attachments and figures."""
    period = Period.objects.first() or Period.objects.create(name="时期", start_year=2018, end_year=2023)
    section = Section.objects.get_or_create(period=period, title="板块")[0]
    start = Album.objects.count()
    for n in range(start, count):
        album = make_album_with_cover(f"相册{n}", is_published=True)
        article = make_article(album=album)
        attach_file(article, f"文件{n}.pdf", pdf())
        metric = Metric.objects.create(section=section, label=f"指标{n}", value=n, unit="场")
        MetricValue.objects.create(metric=metric, year=2020, value=n)
    return period


@pytest.mark.parametrize(
    "path",
    ["/articles?page_size=50", "/albums?page_size=50", "/downloads?page_size=50", "/columns", "/periods", "/period"],
)
def test_queries_per_list_do_not_grow_with_the_rows(client, make_article, path):
    def queries(count):
        period = many(count, make_article)
        target = f"/periods/{period.pk}" if path == "/period" else path
        with CaptureQueriesContext(connection) as captured:
            response = client.get(API + target + ("&" if "?" in target else "?") + f"n={count}")  # not cached
        assert response.status_code == 200
        return len(captured)

    assert queries(5) == queries(50)


def test_the_schema_is_valid_openapi_3_and_the_docs_page_needs_no_cdn(client, db):
    schema = get(client, "/schema/").json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/periods/{period_id}"} <= set(schema["paths"])
    page = get(client, "/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_answers_go_through_the_page_cache_with_etag(client, make_article):
    article = make_article(title="第一版标题")
    first = get(client, "/articles")
    assert first["X-Cache"] == "MISS" and first["Cache-Control"].startswith("public")
    again = get(client, "/articles", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again["X-Cache"]) == (304, "HIT")
    article.title = "改过的标题"
    article.save()
    assert get(client, "/articles").json()["results"][0]["title"] == "改过的标题"


def test_cors_only_for_the_configured_origins(client, db, settings):
    settings.API_CORS_ORIGINS = ["https://www.sdgh.org.cn"]
    listed = get(client, "/columns", HTTP_ORIGIN="https://www.sdgh.org.cn")
    assert listed["Access-Control-Allow-Origin"] == "https://www.sdgh.org.cn"
    cached = get(client, "/columns", HTTP_ORIGIN="https://evil.example")
    assert cached["X-Cache"] == "HIT" and "Access-Control-Allow-Origin" not in cached
    assert "Origin" in cached["Vary"]
    preflight = client.options(
        API + "/columns", HTTP_ORIGIN="https://www.sdgh.org.cn", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]


def test_a_rate_limit_per_address_with_a_chinese_429(client, db, settings):
    settings.API_RATE_LIMIT = (3, 60)
    statuses = [get(client, "/columns").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # the 2nd and 3rd from the page cache: counted all the same
    refused = get(client, "/columns")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "请求过于频繁" in refused.json()["detail"]
    other = client.get(API + "/columns", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert client.get("/").status_code == 200  # the site's pages are not limited by it
