"""网站年度工作报表: one year of the site, in the shape of the national 政府网站年度工作报表 — 基本信息 (name, domain,
网站标识码, 主办单位, 备案号, from 网站设置), 信息发布 (articles published per column and in total, as 新闻发布统计
counts them: news.exports.published_counts_by_column), 互动交流 (the 主席信箱's letters: received, closed, average
working days to a reply, published; 征集调查 held, answers, results published), and 其他 (albums, photos, 数说五年
figures, columns).

Years are Beijing calendar years. What the site does not record (visits, services) is not in it.
"""

from datetime import date

from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from achievements.models import Metric
from gallery.models import Album, Photo
from news.exports import PUBLISHED_NOTE, published_counts_by_column
from news.models import Column as NewsColumn
from union_site.mailbox.reports import letter_totals
from union_site.reports.periods import local_bounds
from union_site.reports.writers import Column, Document, Table
from union_site.site_settings import get_site_settings
from union_site.surveys.exports import year_counts as survey_year_counts

FIRST_YEAR = 2000
INTEGER = "#,##0"
TOTAL = "合计"
NOT_SET = "（未填写）"


def this_year():
    return timezone.localdate().year


class Form(forms.Form):
    year = forms.IntegerField(label="年度", required=False, initial=this_year, help_text="不填则为今年。")

    def clean_year(self):
        year = self.cleaned_data.get("year") or this_year()
        if not FIRST_YEAR <= year <= this_year():
            raise forms.ValidationError(f"年度应在 {FIRST_YEAR} 年到今年（{this_year()} 年）之间。")
        return year


def year_bounds(year):
    """[start, end) of a Beijing calendar year, as aware datetimes."""
    return local_bounds(date(year, 1, 1), date(year, 12, 31))


# Rows ------------------------------------------------------------------------------------------------------------


def basic_rows(site_settings):
    rows = [
        ("网站名称", site_settings.site_name),
        ("网站域名", site_settings.domain),
        ("网站标识码", site_settings.site_code),
        ("主办单位", site_settings.sponsor_or_name),
        ("承办单位", site_settings.organizer),
        ("ICP备案号", site_settings.icp_number),
        ("公安机关备案号", site_settings.police_number),
    ]
    return [[label, value or NOT_SET] for label, value in rows]


def publishing_rows(year):
    counts = published_counts_by_column(date(year, 1, 1), date(year, 12, 31))
    rows = [[column.name, column.column_type, count] for column, count in counts]
    return [*rows, [TOTAL, "", sum(count for _, count in counts)]]


def album_count(year):
    start, end = year_bounds(year)
    in_year = Q(created_at__gte=start, created_at__lt=end) | Q(event_on__year=year)
    return Album.objects.published().filter(in_year).count()


def photo_count(year):
    start, end = year_bounds(year)
    added = Photo.objects.published().annotate(added_at=Coalesce("created_at", "album__created_at"))
    return added.filter(added_at__gte=start, added_at__lt=end).count()


def metric_count(year):
    start, end = year_bounds(year)
    return Metric.objects.published().filter(updated_at__gte=start, updated_at__lt=end).count()


def interaction_rows(year):
    """互动交流 as the national form asks it: 留言办理 from the 主席信箱 (union_site/mailbox/reports.py), 征集调查
    from the surveys (union_site/surveys/exports.py)."""
    letters = letter_totals(*year_bounds(year))
    surveys, answers, shown = survey_year_counts(*year_bounds(year))
    average = letters.average_days
    return [
        ["留言办理", "收到留言数量（条）", letters.received, "主席信箱本年收到的来信。"],
        ["留言办理", "办结留言数量（条）", letters.closed, "本年办结的来信（含上年收到、本年办结的）。"],
        [
            "留言办理",
            "平均办理时间（天）",
            average if average is not None else "—",
            "本年收到并已答复的来信，收信到答复的平均工作日数。",
        ],
        ["留言办理", "公开答复数量（条）", letters.published, "本年在网站公开的来信及答复（隐去个人信息）。"],
        ["征集调查", "征集调查期数（期）", surveys, "本年开始的已发布征集调查。"],
        ["征集调查", "收到意见数量（条）", answers, "这些调查收到的答卷。"],
        ["征集调查", "公布调查结果期数（期）", shown, "本年结束并在网站公布结果的调查。"],
    ]


def other_rows(year):
    columns = NewsColumn.objects.count()
    in_nav = NewsColumn.objects.in_nav().count()
    return [
        ["相册数", album_count(year), "在网站显示、本年新建或活动日期在本年的相册。"],
        [
            "照片数",
            photo_count(year),
            "本年上传到在网站显示的相册中的照片；早于上传时间记录功能的照片按所在相册的创建时间计。",
        ],
        ["数说五年数据更新", metric_count(year), "在网站显示的时期中，本年新增或修改过的指标。"],
        ["栏目数", columns, f"生成报表时的新闻栏目总数，其中 {in_nav} 个显示在导航栏。"],
    ]


# The document ----------------------------------------------------------------------------------------------------


def document(year=None):
    year = year or this_year()
    site_settings = get_site_settings()
    tables = [
        Table(
            "基本信息",
            [Column("项目"), Column("内容", width=40)],
            basic_rows(site_settings),
            note="取自后台“网站设置”，为生成报表时的内容。",
        ),
        Table(
            "信息发布",
            [Column("栏目"), Column("栏目类型"), Column("发布数", INTEGER)],
            publishing_rows(year),
            note=f"{year} 年（北京时间）。" + PUBLISHED_NOTE + "“合计”即报表的信息发布总数。",
        ),
        Table(
            "互动交流",
            [Column("栏目"), Column("项目", width=24), Column("数量"), Column("说明", width=60)],
            interaction_rows(year),
            note=f"{year} 年（北京时间）。留言办理详见报表“信箱办理情况”，征集调查详见后台各调查的结果。",
        ),
        Table(
            "其他",
            [Column("项目"), Column("数量", INTEGER), Column("说明", width=60)],
            other_rows(year),
            note=f"{year} 年（北京时间）。",
        ),
    ]
    return Document(
        title="网站年度工作报表",
        short_name=f"{year}年度报表",
        source="本站数据库：网站设置、文章、主席信箱、相册、照片、数说五年指标、栏目",
        tables=tables,
        filters=[("年度", f"{year}年")],
    )
