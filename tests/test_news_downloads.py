"""Downloads of attachments (news/downloads.py): the file with its Chinese name (RFC 5987), its type, never shown
inline, only while its article is public (staff preview), counted without a database write per download; the 附件
list of the article page; 下载中心 with its filters, search and pages; search finds an article by an attachment's
name. Run on SQLite and, with DATABASE_URL, on PostgreSQL."""

import re
from datetime import timedelta
from urllib.parse import quote, unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news.attachments import attach_file
from news.models import Article, Attachment, Column
from tests.factories import docx, ole2, pdf, png, stored_bytes, writes, xlsx, zipped
from union_site.common import counters

pytestmark = pytest.mark.django_db

NAME = "2026年职工运动会报名表"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _every_page_rendered(settings):
    """Pages rendered for each request (the download counts they show are as of their rendering)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def notice(make_article):
    return make_article(title="关于举办2026年职工运动会的通知")


@pytest.fixture
def form(notice):
    return attach_file(notice, f"{NAME}.xlsx", xlsx(), order=1)


def body_of(response):
    return b"".join(response.streaming_content)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- the download --------------------------------------------------------------------------------------------------


def test_a_download_is_the_file_under_its_chinese_name(client, form):
    response = client.get(form.get_absolute_url())

    assert response.status_code == 200 and response.streaming
    assert body_of(response) == stored_bytes(form.file.name)
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"attachment-{form.pk}.xlsx\"; filename*=UTF-8''{quote(NAME + '.xlsx')}"
    )
    assert response["Content-Length"] == str(form.size)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response["Cache-Control"] and response["X-Cache"] != "HIT"
    # The address ends with the name too: some phone browsers (WeChat's) name a download after it.
    assert unquote(form.get_absolute_url()) == f"/attachments/{form.pk}/{NAME}.xlsx"


def test_an_ascii_name_is_its_own_fallback(client, notice):
    attachment = attach_file(notice, "notice-2026.pdf", pdf())
    disposition = client.get(attachment.get_absolute_url())["Content-Disposition"]
    assert disposition == "attachment; filename=\"notice-2026.pdf\"; filename*=UTF-8''notice-2026.pdf"


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("通知.pdf", pdf, "application/pdf", "pdf"),
        ("通知.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("名单.et", ole2, "application/kset", "et"),
        ("说明.txt", lambda: "请按时报名。".encode("gb18030"), "text/plain", "txt"),
        ("现场.png", png, "image/png", "png"),
        ("资料.zip", lambda: zipped({"a.txt": b"a"}), "application/zip", "zip"),
        ("通知.docx", pdf, "application/pdf", "pdf"),  # a PDF named .docx is sent as the PDF it is
    ],
)
def test_each_type_is_sent_as_what_it_is_and_never_inline(client, notice, name, make, content_type, extension):
    attachment = attach_file(notice, name, make())
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Content-Disposition"].endswith(quote(f"{name.rsplit('.', 1)[0]}.{extension}"))


def test_the_name_in_the_address_decides_nothing(client, form):
    for url in (
        reverse("downloads:file", kwargs={"pk": form.pk, "filename": "别的名字.exe"}),
        reverse("downloads:file_by_id", kwargs={"pk": form.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(quote(f"{NAME}.xlsx"))
    assert client.get(reverse("downloads:file_by_id", kwargs={"pk": form.pk + 100})).status_code == 404


def test_a_file_missing_from_the_storage_is_404(client, form):
    form.file.storage.delete(form.file.name)
    assert client.get(form.get_absolute_url()).status_code == 404


def test_only_get_and_head(client, form):
    assert client.post(form.get_absolute_url()).status_code == 405
    assert client.head(form.get_absolute_url()).status_code == 200


# --- only while the article is public --------------------------------------------------------------------------------


def article_fields(state):
    now = timezone.now()
    return {
        "draft": {"status": Article.Status.DRAFT},
        "review": {"status": Article.Status.REVIEW},
        "scheduled": {"publish_at": now + timedelta(hours=1)},
        "expired": {"publish_at": now - timedelta(days=2), "unpublish_at": now - timedelta(days=1)},
        "archived": {"status": Article.Status.ARCHIVED},
    }[state]


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired", "archived"])
def test_files_of_an_article_that_is_not_public_are_404_to_visitors_and_staff_may_preview(
    client, make_article, editor, state
):
    attachment = attach_file(make_article(**article_fields(state)), f"{NAME}.xlsx", xlsx())
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(editor)  # 编辑 may view articles: they download what they preview
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200 and body_of(response) == stored_bytes(attachment.file.name)


def test_a_scheduled_articles_files_appear_at_its_time(client, make_article, monkeypatch):
    article = make_article(publish_at=timezone.now() + timedelta(minutes=30))
    attachment = attach_file(article, f"{NAME}.xlsx", xlsx())
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert NAME not in client.get(reverse("downloads:index")).content.decode()
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert NAME in client.get(reverse("downloads:index")).content.decode()


# --- counted without a database write -------------------------------------------------------------------------------


def test_a_download_writes_nothing_to_the_database(client, form, notice):
    other = attach_file(notice, "竞赛规程.pdf", pdf())
    with CaptureQueriesContext(connection) as first:
        assert client.get(form.get_absolute_url()).status_code == 200
    # the window's one write-back, queued for the whole site: a task row, not the attachment
    assert len(writes(first)) == 1 and DBTaskResult._meta.db_table in writes(first)[0]
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert client.get(form.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 200
    assert writes(later) == [] and len(later.captured_queries) == 4  # one SELECT per download
    form.refresh_from_db()
    assert form.download_count == 0 and counters.pending(Attachment, form.pk, "download_count") == 4


def test_downloads_reach_the_database_with_the_write_back_and_show_on_the_page(client, form, notice):
    for _ in range(3):
        client.get(form.get_absolute_url())
    assert "下载 3 次" in text(client.get(notice.get_absolute_url()))  # stored 0 + pending 3

    assert counters.write_back(Attachment, "download_count") == 3
    form.refresh_from_db()
    assert form.download_count == 3 and counters.pending(Attachment, form.pk, "download_count") == 0
    client.get(form.get_absolute_url())
    assert "下载 4 次" in text(client.get(notice.get_absolute_url()))


def test_staff_and_head_requests_are_not_counted(client, form, editor):
    client.head(form.get_absolute_url())
    client.force_login(editor)
    client.get(form.get_absolute_url())
    assert counters.pending(Attachment, form.pk, "download_count") == 0


# --- the article page -----------------------------------------------------------------------------------------------


def test_the_article_page_lists_its_attachments_under_the_body(client, notice, form):
    rules = attach_file(notice, "竞赛规程.pdf", pdf(), title="全市职工运动会竞赛规程", order=2)
    html = client.get(notice.get_absolute_url()).content.decode()

    section = html[html.index('<section class="attachments"') :]
    assert html.index('class="article-body') < html.index('<section class="attachments"')
    assert "附件（2 个）" in section
    assert section.index(NAME) < section.index("全市职工运动会竞赛规程")  # by 排序
    assert f'href="{form.get_absolute_url()}"' in section and f'href="{rules.get_absolute_url()}"' in section
    assert 'class="file-icon file-icon--excel" aria-hidden="true">XLS<' in section
    assert 'class="file-icon file-icon--pdf" aria-hidden="true">PDF<' in section
    size = f"{form.size / 1024:.1f} KB"
    assert f"Excel</span> · <span>{size}</span> · <span>下载 0 次" in section
    assert "<script" not in section and "onclick" not in section  # plain links: no JavaScript needed


def test_an_article_without_attachments_has_no_list(client, notice):
    assert 'class="attachments"' not in client.get(notice.get_absolute_url()).content.decode()


def test_sizes_read_in_kb_and_mb_with_one_decimal(notice):
    attachment = attach_file(notice, "大文件.pdf", b"%PDF-" + bytes(int(2.5 * 1024 * 1024)))
    assert attachment.size_label == "2.5 MB"
    assert attach_file(notice, "小文件.pdf", b"%PDF-1.4 tiny").size_label == "0.1 KB"


# --- 下载中心 --------------------------------------------------------------------------------------------------------


@pytest.fixture
def shelf(make_article, column):
    """Files of three public articles in two columns (newest first: notice, policy, old news) and of a draft."""
    notices = Column.objects.create(name="通知公告", slug="notices", order=1)
    policies = Column.objects.create(name="政策文件", slug="policies", order=2)
    now = timezone.now()
    notice = make_article(column=notices, title="关于举办职工运动会的通知", publish_at=now - timedelta(hours=1))
    policy = make_article(column=policies, title="关于印发办法的通知", publish_at=now - timedelta(days=1))
    old = make_article(column=column, title="往年的新闻", publish_at=now - timedelta(days=30))
    draft = make_article(column=notices, title="草稿", status=Article.Status.DRAFT)
    return {
        "报名表": attach_file(notice, "报名表.xlsx", xlsx(), order=1),
        "竞赛规程": attach_file(notice, "竞赛规程.pdf", pdf(), order=2),
        "管理办法": attach_file(policy, "管理办法.docx", docx()),
        "往年名单": attach_file(old, "往年名单.pdf", pdf()),
        "草稿附件": attach_file(draft, "草稿附件.pdf", pdf()),
    }


def listed(response):
    html = response.content.decode()
    return re.findall(r'<span class="attachment-name">([^<]+)</span>', html)


def test_download_centre_lists_every_public_file_newest_first(client, shelf):
    response = client.get("/downloads/")
    assert response.status_code == 200
    assert listed(response) == ["报名表", "竞赛规程", "管理办法", "往年名单"]  # not the draft's
    html = response.content.decode()
    assert "<title>下载中心 - " in html and '<h1 class="page-title">下载中心</h1>' in html
    assert '<li aria-current="page">下载中心</li>' in html  # breadcrumbs
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index('<nav class="site-nav"'))]
    assert 'href="/downloads/" aria-current="page">下载中心</a>' in nav
    assert '<meta name="ColumnName" content="下载中心">' in html
    assert "所属文章：" in html and shelf["报名表"].article.get_absolute_url() in html
    assert "共 4 个文件" in text(response)


def test_download_centre_filters_by_column_type_and_name(client, shelf):
    assert listed(client.get("/downloads/", {"column": "notices"})) == ["报名表", "竞赛规程"]
    assert listed(client.get("/downloads/", {"kind": "pdf"})) == ["竞赛规程", "往年名单"]
    assert listed(client.get("/downloads/", {"kind": "word"})) == ["管理办法"]
    assert listed(client.get("/downloads/", {"kind": "docx"})) == ["管理办法"]
    assert listed(client.get("/downloads/", {"q": "名单"})) == ["往年名单"]
    assert listed(client.get("/downloads/", {"column": "notices", "kind": "pdf", "q": "规程"})) == ["竞赛规程"]
    nothing = client.get("/downloads/", {"q": "草稿"})
    assert listed(nothing) == [] and "没有找到符合条件的文件" in nothing.content.decode()
    assert listed(client.get("/downloads/", {"q": "报名\x00表"})) == ["报名表"]  # a NUL is no 500 on PostgreSQL


def test_the_filters_offer_what_has_files_and_keep_the_choice(client, shelf):
    html = client.get("/downloads/", {"column": "policies", "kind": "word"}).content.decode()
    columns = re.findall(r'<option value="([\w-]+)"', html.split('id="dl-column"')[1].split("</select>")[0])
    kinds = re.findall(r'<option value="(\w+)"', html.split('id="dl-kind"')[1].split("</select>")[0])
    assert columns == ["notices", "policies", "test-column"]
    assert kinds == ["pdf", "word", "excel"]
    assert '<option value="policies" selected>' in html and '<option value="word" selected>' in html
    assert 'href="/downloads/">清除筛选</a>' in html


def test_download_centre_pages_keep_the_filters(client, make_article):
    article = make_article()
    for n in range(25):
        attach_file(article, f"名单{n:02d}.pdf", pdf(), order=n)
    attach_file(article, "报名表.xlsx", xlsx(), order=99)
    first = client.get("/downloads/", {"kind": "pdf", "q": "名单"})
    assert len(listed(first)) == 20 and "第 1 / 2 页（共 25 个）" in text(first)
    assert 'href="?kind=pdf&amp;q=%E5%90%8D%E5%8D%95&amp;page=2"' in first.content.decode()
    second = client.get("/downloads/", {"kind": "pdf", "q": "名单", "page": 2})
    assert listed(second) == [f"名单{n:02d}" for n in range(20, 25)]


def test_download_centre_query_count_is_flat(client, make_article, django_assert_max_num_queries):
    article = make_article()

    def add(n):
        for i in range(n):
            attach_file(article, f"名单{i}.pdf", pdf(), order=i)

    add(3)
    with django_assert_max_num_queries(10) as small:
        assert client.get("/downloads/").status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(listed(client.get("/downloads/", {"v": 2}))) == 20


def test_download_centre_is_in_the_sitemap(client):
    assert "http://testserver/downloads/" in client.get("/sitemap-static.xml").content.decode()


# --- search ---------------------------------------------------------------------------------------------------------


def test_search_finds_an_article_by_an_attachments_name(client, notice, form):
    assert "报名表" not in notice.title
    found = client.get("/search/", {"q": "运动会报名表"}).content.decode()
    assert notice.title in found

    form.delete()
    assert notice.title not in client.get("/search/", {"q": "运动会报名表"}).content.decode()


def test_search_does_not_find_a_drafts_attachment(client, make_article):
    draft = make_article(title="未发布的通知", status=Article.Status.DRAFT)
    attach_file(draft, "内部名单汇总.xlsx", xlsx())
    assert "未发布的通知" not in client.get("/search/", {"q": "内部名单汇总"}).content.decode()
