"""manage.py import_legacy: an old site's export becomes published articles with their files, every old address
answers 301 to its article, a broken row is reported and skipped while the rest goes in, and importing again
changes nothing."""

import functools
import http.server
import io
import json
import threading
from datetime import datetime

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.utils import timezone

from news.models import Article, Attachment, Column
from tests.factories import docx, pdf, png, stored_bytes, stored_names
from union_site.redirects.models import LegacyPage

pytestmark = pytest.mark.django_db(transaction=True)  # a row's files are written once its transaction commits


@pytest.fixture
def columns(db):
    return (
        Column.objects.create(name="通知公告", slug="notices"),
        Column.objects.create(name="工会要闻", slug="union-news"),
    )


@pytest.fixture
def export(tmp_path):
    """Writes rows as JSON lines next to a folder `files/` and returns the path."""
    (tmp_path / "files").mkdir()

    def write(rows, name="old-site.jsonl"):
        path = tmp_path / name
        path.write_text("\n".join(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows))
        return path

    return write


def file_in(tmp_path, relative, data):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def article_row(n, **fields):
    return {
        "old_url": f"http://www.old-union.gov.cn/art/2023/4/{n}/art_123_{n}.html",
        "column": "工会要闻",
        "title": f"旧网站第{n}篇",
        "date": f"2023-04-{n:02d} 09:30",
        "author": "通讯员 张三",
        "source": "滨州工人报",
        "body": f"<p>第{n}篇正文</p>",
        **fields,
    }


def run(path, *args):
    out = io.StringIO()
    try:
        call_command("import_legacy", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_twenty_old_articles_arrive_with_files_dates_and_a_301_from_each_old_address(client, columns, export, tmp_path):
    file_in(tmp_path, "files/upload/报名表.docx", docx())
    file_in(tmp_path, "files/upload/名单.pdf", pdf())
    file_in(tmp_path, "files/picture/0/现场.png", png())
    rows = [article_row(n) for n in range(1, 21)]
    rows[0].update(
        column="notices",  # by 网址名 too
        title="关于举办职工技能大赛的通知",
        body='<p>请下载附件。</p><img src="/picture/0/%E7%8E%B0%E5%9C%BA.png" alt="现场"><script>alert(1)</script>',
        attachments=[{"url": "upload/报名表.docx", "title": "报名表"}, "upload/名单.pdf"],
        column_url="/col/col789/index.html",
    )
    report, failed = run(export(rows), "--files", str(tmp_path / "files"))

    assert failed is None, report
    assert report.count(" 新增 ") == 20 and "共 20 行：新增 20" in report
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 20
    notice = Article.objects.get(title="关于举办职工技能大赛的通知")
    assert notice.column.slug == "notices"
    assert timezone.localtime(notice.publish_at).replace(tzinfo=None) == datetime(2023, 4, 1, 9, 30)
    assert "<script>" not in notice.body and "alert" not in notice.body  # through the sanitizer
    (picture,) = [name for name in stored_names("editor")]
    assert f"/{picture}" in notice.body and "/picture/0/" not in notice.body
    assert stored_bytes(picture).startswith(b"\x89PNG")

    files = list(notice.attachments.order_by("order"))
    assert [(a.title, a.kind) for a in files] == [("报名表", "docx"), ("名单", "pdf")]
    download = client.get(files[0].get_absolute_url())
    assert (
        download.status_code == 200
        and "filename*=UTF-8''%E6%8A%A5%E5%90%8D%E8%A1%A8.docx" in download["Content-Disposition"]
    )

    for row in rows:  # every old address lands on its article with a 301
        response = client.get(row["old_url"].removeprefix("http://www.old-union.gov.cn"))
        article = Article.objects.get(legacy_page__old_path=response.request["PATH_INFO"])
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
        assert row["title"] in client.get(response["Location"]).content.decode()
    column_page = client.get("/col/col789/index.html")
    assert column_page.status_code == 301 and column_page["Location"] == "/news/c/notices/"


def test_importing_the_same_export_again_changes_nothing(columns, export, tmp_path):
    file_in(tmp_path, "files/a.pdf", pdf())
    path = export([article_row(1, attachments=["files/a.pdf"]), article_row(2)])  # beside the export by default
    assert run(path)[1] is None
    before = (
        list(Article.objects.values_list("id", "version", "updated_at")),
        Attachment.objects.count(),
        list(Redirect.objects.values_list("old_path", "new_path")),
        Article.history.count(),
        stored_names(),
    )
    report, failed = run(path)
    assert failed is None and report.count(" 不变 ") == 2 and "新增 0，更新 0，不变 2" in report
    after = (
        list(Article.objects.values_list("id", "version", "updated_at")),
        Attachment.objects.count(),
        list(Redirect.objects.values_list("old_path", "new_path")),
        Article.history.count(),
        stored_names(),
    )
    assert after == before


def test_broken_rows_are_reported_and_skipped_and_the_rest_imported(columns, export, tmp_path):
    file_in(tmp_path, "files/fake.pdf", b"<html><script>alert(1)</script></html>")
    (tmp_path / "secret.txt").write_text("机密")
    rows = [
        article_row(1),
        "{这不是 JSON",
        article_row(3, column="不存在的栏目"),
        article_row(4, title=""),
        article_row(5, date="2023-02-30"),
        article_row(6, attachments=["fake.pdf"]),
        article_row(7, attachments=["../secret.txt"]),
        article_row(8, attachments=["missing.docx"]),
        article_row(9, old_url="art_9.html"),
        article_row(10),
    ]
    report, failed = run(export(rows), "--files", str(tmp_path / "files"))

    assert failed and "有 8 行没有导入" in failed
    lines = {line.split(" ", 2)[1]: line for line in report.splitlines() if line.startswith("第")}
    assert "不是有效的 JSON" in lines["2"]
    assert "本站没有栏目“不存在的栏目”" in lines["3"] and "通知公告" in lines["3"]
    assert "缺少标题" in lines["4"]
    assert "发布时间“2023-02-30”不是有效的日期" in lines["5"]
    assert "第 1 个附件" in lines["6"] and "网页" in lines["6"]
    assert "不在文件夹" in lines["7"]
    assert "找不到文件“missing.docx”" in lines["8"]
    assert "旧地址" in lines["9"]
    assert sorted(Article.objects.values_list("title", flat=True)) == ["旧网站第10篇", "旧网站第1篇"]
    assert Attachment.objects.count() == 0 and stored_names() == []  # nothing half-saved
    assert Redirect.objects.count() == 2

    rows[5] = article_row(6)  # corrected: running again adds what was missing, repeats nothing
    report, failed = run(export(rows), "--files", str(tmp_path / "files"))
    assert "第 6 行 新增" in report and report.count(" 不变 ") == 2
    assert Article.objects.count() == 3


def test_a_changed_row_updates_its_article_but_an_article_edited_here_is_kept(columns, export, tmp_path):
    file_in(tmp_path, "files/a.pdf", pdf())
    file_in(tmp_path, "files/b.docx", docx())
    assert run(export([article_row(1, attachments=["files/a.pdf"]), article_row(2)]))[1] is None
    first, second = Article.objects.order_by("publish_at")
    old_file = first.attachments.get().file.name

    edited = Article.objects.get(pk=second.pk)
    edited.title = "本站编辑改过的标题"
    edited.save()
    corrected = [article_row(1, title="更正后的标题", attachments=["files/b.docx"]), article_row(2, title="旧网站改过")]
    report, failed = run(export(corrected))
    assert failed is None
    assert "第 1 行 更新" in report and "第 2 行 保留" in report and "--overwrite" in report
    first.refresh_from_db()
    assert first.title == "更正后的标题" and [a.kind for a in first.attachments.all()] == ["docx"]
    assert old_file not in stored_names()  # the replaced file is gone once the update committed
    assert Article.objects.get(pk=second.pk).title == "本站编辑改过的标题"
    assert Article.objects.count() == 2

    report, _ = run(export(corrected), "--overwrite")
    assert "第 2 行 更新" in report and Article.objects.get(pk=second.pk).title == "旧网站改过"


def test_a_dry_run_checks_every_row_and_saves_nothing(columns, export, tmp_path):
    file_in(tmp_path, "files/a.pdf", pdf())
    report, failed = run(
        export([article_row(1, attachments=["files/a.pdf"]), article_row(2, column="没有")]), "--dry-run"
    )
    assert "第 1 行 新增" in report and "第 2 行 跳过" in report and "试运行，没有保存" in report
    assert failed and not Article.objects.exists() and not Redirect.objects.exists() and stored_names() == []


def test_a_gbk_csv_with_chinese_headers_and_files_from_the_old_web_server(columns, tmp_path):
    served = tmp_path / "old-site"
    file_in(served, "uploadfiles/2023/通知.pdf", pdf())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        text = (
            "旧地址,栏目,标题,发布时间,作者,正文,附件\n"
            '/show.asp?id=12,通知公告,关于端午节放假的通知,2023年6月20日,办公室,"<p>放假安排</p>",/uploadfiles/2023/%E9%80%9A%E7%9F%A5.pdf\n'
        )
        path = tmp_path / "旧网站.csv"
        path.write_bytes(text.encode("gbk"))
        report, failed = run(path, "--base-url", base)
    finally:
        server.shutdown()
        server.server_close()
    assert failed is None, report
    article = Article.objects.get()
    assert (article.title, article.byline, timezone.localtime(article.publish_at).date().isoformat()) == (
        "关于端午节放假的通知",
        "办公室",
        "2023-06-20",
    )
    assert article.attachments.get().original_name == "通知.pdf"
    assert LegacyPage.objects.get().old_path == "/show.asp?id=12"


def test_a_file_that_is_no_export_is_refused_whole(columns, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(png())
    _, failed = run(path)
    assert failed and "JSON lines、CSV 或 Excel" in failed
    missing = tmp_path / "header.csv"
    missing.write_text("标题,正文\n一,二\n", encoding="utf-8")
    _, failed = run(missing)
    assert failed == "表头缺少必需的列：旧地址、栏目。"


def test_an_old_article_with_personal_data_waits_for_a_reviewer(client, columns, export, tmp_path):
    file_in(tmp_path, "files/名单.txt", "获奖职工：张三 13812345678\n".encode())
    path = export(
        [
            article_row(1, body="<p>张三，身份证号372301199001011238。</p>"),
            article_row(2, attachments=["files/名单.txt"]),
            article_row(3),
        ]
    )
    report, failed = run(path)
    assert failed is None
    assert "内容检查发现个人信息 1 处，已设为待审核，未发布" in report
    assert "2 篇因内容检查未通过设为待审核" in report
    held = Article.objects.filter(title__in=["旧网站第1篇", "旧网站第2篇"])
    assert {a.status for a in held} == {Article.Status.REVIEW}
    assert all("从旧网站导入时，内容检查发现个人信息 1 处" in a.review_comment for a in held)
    assert Article.objects.get(title="旧网站第3篇").status == Article.Status.PUBLISHED
    old = client.get("/art/2023/4/2/art_123_2.html")
    assert old.status_code == 301 and client.get(old["Location"]).status_code == 404  # not public until reviewed
    again, _ = run(path)
    assert again.count(" 不变 ") == 3 and {a.status for a in held.all()} == {Article.Status.REVIEW}


def test_an_import_ends_the_cached_pages_once_and_its_columns_list_shows_it(client, columns, export, monkeypatch):
    from union_site.common import generation

    made = []
    monkeypatch.setattr(generation, "_ahead", [*generation._ahead, lambda token, topics: made.append(token)])
    listing_url = columns[1].get_absolute_url()
    assert "旧网站第" not in client.get(listing_url).content.decode()  # cached empty
    report, failed = run(export([article_row(n) for n in range(1, 6)]))
    assert failed is None, report
    assert made == [generation.current()]  # one new generation, made ahead once, not one per row
    page = client.get(listing_url).content.decode()
    assert all(f"旧网站第{n}篇" in page for n in range(1, 6))
