"""manage.py scan_content and public_findings(): everything public checked again; the exit code says whether a
published item has a 禁用 word or personal data no reviewer confirmed; the queries do not grow with the articles."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from achievements.models import Metric, Period, Section
from gallery.models import Album
from news.models import Article
from tests.factories import make_photo
from union_site.checks.models import CheckOverride
from union_site.checks.report import check
from union_site.checks.scan import public_findings

pytestmark = pytest.mark.django_db


def scan(*args):
    out = io.StringIO()
    call_command("scan_content", *args, stdout=out)
    return out.getvalue()


def test_clean_public_content_passes_and_drafts_are_not_scanned(make_article):
    make_article(title="职工运动会开幕")
    make_article(title="草稿", status=Article.Status.DRAFT, body="<p>再接再励</p>")
    output = scan()
    assert "已检查：文章 1" in output and "发现 0 处禁用词或个人信息" in output


def test_warnings_do_not_fail_the_scan(make_article):
    make_article(body="<p>截止目前，共有百余人报名。</p>")
    output = scan()
    assert "1 处提醒" in output and "截止目前" in output


def test_a_published_blocking_word_fails_the_scan(make_article):
    article = make_article(title="会议报道", body="<p>大家要再接再励。</p>")
    with pytest.raises(CommandError) as refused:
        scan()
    assert refused.value.returncode == 1
    assert "1 处禁用词或个人信息待处理" in str(refused.value)
    (found,) = public_findings()
    assert (found.object, found.field, found.hit, found.level) == (article, "正文", "再接再励", "block")
    assert found.context == "大家要【再接再励】。"
    assert found.admin_url == f"/admin/news/article/{article.pk}/change/"


def test_what_a_reviewer_confirmed_is_listed_but_passes(make_article, reviewer):
    article = make_article(body="<p>联系电话：13805431234</p>")
    report = check(article)
    CheckOverride.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=article.pk,
        object_repr=article.title,
        user=reviewer,
        reason="本单位公开的办事电话",
        summary=report.summary(),
        keys=report.keys,
    )
    output = scan()
    assert "已确认发布（本单位公开的办事电话）" in output and "其中 1 处已由审核人员确认发布" in output


def test_albums_and_figures_are_scanned_and_written_to_excel(tmp_path):
    album = Album.objects.create(title="慰问活动", is_published=True)
    make_photo(album, caption="李四电话13805431234", alt_text="")
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="数说五年")
    section = Section.objects.create(period=period, title="维权服务", order=1)
    Metric.objects.create(section=section, label="滨洲市法律援助站点", value=134, unit="处")
    hidden = Album.objects.create(title="未显示的相册")
    make_photo(hidden, caption="王五电话13905431234", alt_text="")
    path = tmp_path / "结果.xlsx"
    with pytest.raises(CommandError):
        scan("-o", str(path), "--quiet")
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    found = [row for row in rows if row and row[0] in {"文章", "相册", "指标"}]
    assert [(row[0], row[2], row[3], row[4]) for row in found] == [
        ("相册", "第 1 张照片的图片说明", "个人信息", "手机号“138****1234”"),
        ("指标", "指标名称", "禁用", "禁用词“滨洲市”"),
    ]
    assert "13805431234" not in str(rows)


def test_queries_do_not_grow_with_the_articles(make_article):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(public_findings())
        return len(captured)

    for _ in range(3):
        make_article(body="<p>再接再励</p>")
    few = queries()
    for _ in range(30):
        make_article(body="<p>再接再励</p>")
    assert queries() == few
