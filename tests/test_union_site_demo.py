"""Demo content (load_demo): transcribed faithfully from 《滨州工人报》 and safe to load twice."""

import io
import re
import uuid
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from achievements.models import Honor, Metric, Period, Section
from achievements.numbers import figure_parts, format_figure
from gallery.models import Album, Photo
from news.models import Article, Attachment, Column
from tests.factories import (
    bucket_storages,
    empty_bucket_folder,
    stored_bytes,
    stored_image,
    stored_names,
    uploads_in_bucket,
)
from union_site.demo import data, placeholders
from union_site.demo.loader import load_demo

pytestmark = pytest.mark.django_db

MODELS = [Column, Article, Attachment, Period, Section, Metric, Honor, Album, Photo]
MADE_NOW = ("新生成示意图片", "新生成附件文件")  # files written by this run: none the second time

SECTION_TITLES = [
    "职工思想政治引领 工作成效显著",
    "工人阶级主力军 作用充分显现",
    "职工维权服务工作 实绩突出",
    "工会改革创新 发展成果丰硕",
]

# Where the paper writes a figure in a way the site cannot show: printed form -> what the site shows (and why).
WRITTEN_DIFFERENTLY = {
    "近4万余名": "近4万名",  # 近 and 余 together; the data keeps 近 and says so in the note
}

# A few figures spelled out by hand, so a wrong value/unit/qualifier in the data cannot pass unnoticed.
EXPECTED_DISPLAY = {
    "劳模工匠宣讲团常态化宣讲活动": "520余场",
    "宣讲活动每年覆盖职工": "5万余人",
    "“滨州工会”微信公众号关注用户": "11.1万余人",
    "“齐鲁工惠”App滨州站认证会员": "55.3万人",
    "评选推荐全国劳模、全国五一劳动奖、全国工人先锋号": "19个(名)",
    "拨付工会经费助力疫情防控和经济发展": "1000余万元",
    "集体合同覆盖职工": "近19万人",
    "获关爱服务的社会团体": "1000多个",
    "报销助学金人次": "38.92万人次",
    "报销助学金金额": "81.8万元",
    "中国职工保险互助会入会职工": "19.58万人",
    "直接带动职工(农民工)就业创业": "近4万名",
    "基层工会会员": "55.3万余人",
    "农民工会员": "30余万人",
    "新就业形态劳动者会员": "约3.33万人",
    "厂务公开民主管理建制率": "100%",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One real load_demo() for a class of tests that only read what it wrote, as Django's setUpTestData does: each
    test runs in a savepoint of this transaction, rolled back after the class. Returns the media settings it wrote
    under (a folder, or a folder of the bucket)."""
    media = {"MEDIA_ROOT": tmp_path_factory.mktemp("loaded-demo")}
    if uploads_in_bucket():
        media["STORAGES"] = bucket_storages(f"loaded/{uuid.uuid4().hex}")
    with django_db_blocker.unblock(), override_settings(**media), transaction.atomic():
        load_demo()
        yield media
        transaction.set_rollback(True)
    if "STORAGES" in media:
        empty_bucket_folder(media["STORAGES"])


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def as_printed(source_text):
    for printed, shown in WRITTEN_DIFFERENTLY.items():
        source_text = source_text.replace(printed, shown)
    return source_text


def appears_as_written(display, source_text):
    """The display string stands in the sentence as a whole figure: not the tail of a longer number
    (5万余人 inside 55万余人), not missing a 近/约 before it, not missing a (名) or 次 after its unit."""
    pattern = rf"(?<![\d.近约]){re.escape(display)}(?![(（次])"
    return re.search(pattern, as_printed(source_text)) is not None


def section_paragraph(title):
    return "".join(next(s for s in data.SECTIONS if s["title"] == title)["paragraphs"])


# --- loading -------------------------------------------------------------------------------------------------------


def test_loading_twice_adds_no_rows_and_no_files():
    first = load_demo()
    counts, files = row_counts(), stored_names()
    images = dict(Photo.objects.values_list("pk", "image"))

    second = load_demo()

    assert row_counts() == counts
    assert stored_names() == files
    assert dict(Photo.objects.values_list("pk", "image")) == images
    assert first["新生成示意图片"] == len(stored_names("photos")) == counts["Photo"]
    assert first["新生成附件文件"] == len(stored_names("attachments")) == counts["Attachment"] == 3
    assert second["新生成示意图片"] == second["新生成附件文件"] == 0
    assert {key: value for key, value in first.items() if key not in MADE_NOW} == {
        key: value for key, value in second.items() if key not in MADE_NOW
    }


def test_command_prints_each_label_and_count():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for line in [
        "栏目: 6",
        "文章: 3",
        "附件: 3",
        "时期: 1",
        "板块: 4",
        f"指标: {len(data.METRICS)}",
        f"相册: {len(data.ALBUMS)}",
    ]:
        assert line in text
    assert Metric.objects.count() == len(data.METRICS)


def test_a_missing_attachment_file_is_made_again_in_place():
    load_demo()
    attachment = Attachment.objects.get(title="全市首届职工运动会报名表")
    default_storage.delete(attachment.file.name)

    assert load_demo()["新生成附件文件"] == 1
    again = Attachment.objects.get(title="全市首届职工运动会报名表")
    assert again.pk == attachment.pk and default_storage.exists(again.file.name)
    assert Attachment.objects.count() == 3


def test_a_missing_image_file_is_made_again():
    load_demo()
    photo = Photo.objects.order_by("pk").first()
    default_storage.delete(photo.image.name)

    assert load_demo()["新生成示意图片"] == 1
    photo.refresh_from_db()
    assert default_storage.exists(photo.image.name)
    assert Photo.objects.count() == sum(len(album["photos"]) for album in data.ALBUMS)


# --- what it loads: the rows and files of one real load_demo(), read by every test of the class -----------------


class TestWhatItLoads:
    # figures
    def test_headline_figures_display_exactly(self, loaded):
        shown = {m.label: m.display_value() for m in Metric.objects.filter(label__in=EXPECTED_DISPLAY)}
        assert shown == EXPECTED_DISPLAY

    def test_loaded_figures_display_as_written(self, loaded):
        article = Article.objects.get(title=data.ARTICLE["title"])
        metrics = list(Metric.objects.select_related("section"))
        assert len(metrics) >= 45
        for metric in metrics:
            assert appears_as_written(metric.display_value(), metric.source_text), metric.label
            assert metric.source_article == article
        assert 6 <= sum(m.is_highlight for m in metrics) <= 10

    def test_four_sections_in_the_papers_order(self, loaded):
        period = Period.objects.get()
        assert (period.name, period.start_year, period.end_year) == ("滨州市工会第六次代表大会以来", 2018, 2023)
        assert list(period.sections.order_by("order").values_list("title", flat=True)) == SECTION_TITLES
        assert all(section.metrics.exists() for section in period.sections.all())

    def test_honors_come_from_the_text(self, loaded):
        honor = Honor.objects.get(recipient="“滨州工会”微信公众号")
        assert (honor.title, honor.years) == ("全国网络正能量新媒体（微信组）", "连续两年")
        assert Honor.objects.filter(recipient="量化集团", title="全国厂务公开民主管理示范单位").exists()
        for honor in Honor.objects.select_related("section"):
            assert honor.source_text in section_paragraph(honor.section.title)

    # article
    def test_article_is_the_published_headline_with_four_headings(self, loaded):
        article = Article.objects.get(title=data.ARTICLE["title"])
        assert article.title == "“数”说服务发展新故事 赋能品质滨州更“出彩”"
        assert article.subtitle == "——滨州市工会第六次代表大会五年来工作掠影"
        assert article.byline == "本报通讯员 张玥群 杜一听 尚文超"
        assert article.is_public and article.is_headline
        assert article.column.slug == "news"
        assert article.album.title == "《滨州劳模大典》发布与劳模颁奖"
        assert article.summary == data.INTRO
        assert re.findall(r"<h2>(.*?)</h2>", article.body) == [f"五年来 {title}" for title in SECTION_TITLES]
        for section in data.SECTIONS:
            for paragraph in section["paragraphs"]:
                assert f"<p>{paragraph}</p>" in article.body

    def test_the_five_columns_of_the_paper_and_policies_with_their_kinds(self, loaded):
        kinds = dict(Column.objects.values_list("slug", "kind"))
        assert kinds == {
            "news": "list",
            "grassroots": "list",
            "notices": "notice",
            "models": "list",
            "photos": "photo",
            "policies": "notice",
        }

    # 演示材料: a notice with an XLSX 报名表 and a PDF, a policy document with its 公文信息 and a PDF
    def test_the_demo_notice_has_two_real_attachments_marked_as_demo_material(self, loaded, settings):
        for key, value in loaded.items():
            setattr(settings, key, value)
        notice = Article.objects.get(column__slug="notices")
        assert "演示材料" in notice.title and "演示材料" in notice.body and notice.is_public
        attachments = list(notice.attachments.all())
        assert [(a.title, a.kind, a.download_name) for a in attachments] == [
            ("全市首届职工运动会报名表", "xlsx", "全市首届职工运动会报名表.xlsx"),
            ("全市首届职工运动会竞赛规程", "pdf", "全市首届职工运动会竞赛规程.pdf"),
        ]
        workbook = load_workbook(io.BytesIO(stored_bytes(attachments[0].file.name)), read_only=True)
        rows = [[cell for cell in row if cell is not None] for row in workbook.active.iter_rows(values_only=True)]
        assert rows[0][:5] == ["序号", "单位", "姓名", "性别", "参赛项目"] and "演示材料" in " ".join(map(str, rows[1]))
        pdf = stored_bytes(attachments[1].file.name)
        assert pdf.startswith(b"%PDF-") and attachments[1].size == len(pdf)
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "演示材料" in text or "demo material" in text  # the hand-made stand-in where WeasyPrint cannot run

    def test_the_policy_document_shows_its_document_meta_and_attachment(self, loaded):
        policy = Article.objects.get(column__slug="policies")
        assert "演示材料" in policy.title and policy.column.name == "政策文件" and policy.is_public
        assert policy.has_document_meta and policy.doc_number == "滨工演〔2023〕1号"
        assert [a.kind for a in policy.attachments.all()] == ["pdf"]
        assert "2023年劳模工匠宣讲活动安排表" in policy.search_text  # found by its attachment's name

    # photos
    def test_every_caption_is_one_photo(self, loaded):
        captions = Counter(Photo.objects.values_list("caption", flat=True))
        assert captions == Counter(photo["caption"] for album in data.ALBUMS for photo in album["photos"])
        assert sum(captions.values()) == 18
        for caption in [
            "2023年4月27日,全总副主席席晓林,市委书记宋永祥,市委副书记、市长李春田出席《滨州劳模大典》发布仪式。",
            "市委书记宋永祥在“五一”国际劳动节暨劳模模范颁奖典礼上致辞。",
            "爱情之都国风集体婚礼 “会聚良缘·黄河恋·渤海情”北方",
            "“滨州知识技能全球冠军赛产品主题知识大赛决赛”",
            "全市首届职工运动会皮划艇比赛。",
            "“中国梦·劳动美”全国劳模工匠进校园示范活动。",
        ]:
            assert captions[caption] == 1, caption
        assert captions["滨州市总工会“会聚良缘·黄河恋·渤海情”北方"] == 2

    def test_photos_are_marked_placeholders_with_real_files(self, loaded, settings):
        for key, value in loaded.items():  # where load_demo() wrote them
            setattr(settings, key, value)
        for photo in Photo.objects.all():
            assert photo.is_placeholder
            assert photo.width > 0 and photo.height > 0
            image = stored_image(photo.image.name)
            assert (image.format, image.size) == ("JPEG", (photo.width, photo.height))
        for album in Album.objects.all():
            assert album.cover.album_id == album.pk
            assert album.description

    def test_only_the_dated_album_has_a_date(self, loaded):
        dates = dict(Album.objects.values_list("title", "event_on"))
        assert dates.pop("《滨州劳模大典》发布与劳模颁奖") == date(2023, 4, 27)
        assert set(dates.values()) == {None}

    def test_garbled_places_carry_a_note(self, loaded):
        for photo in Photo.objects.filter(caption__endswith="北方"):
            assert "中断" in photo.note and "中断" in photo.album.note
        assert Photo.objects.get(caption__contains="劳模模范").note
        assert Photo.objects.get(caption__contains="全球冠军赛").note
        assert Metric.objects.get(source_text__contains="近4万余名").note
        for label in [
            "报销助学金金额",
            "帮扶送教累计发放助学金",
            "报销助学金人次",
            "建成职工创业园",
            "培育选树省、市两级职工创业园",
        ]:
            assert Metric.objects.get(label=label).note, label
        assert all(m.note for m in Metric.objects.filter(unit="个(名)"))
        note = Article.objects.get(title=data.ARTICLE["title"]).note
        for garbled in ["在知爱建", "市级工会十佳账号", "并被为", "近4万余名"]:
            assert garbled in note


# --- figures -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", data.METRICS, ids=[m["label"] for m in data.METRICS])
def test_every_figure_displays_as_the_paper_writes_it(metric):
    display = format_figure(Decimal(metric["value"]), metric["unit"], metric["qualifier"])
    assert appears_as_written(display, metric["source_text"]), (display, metric["source_text"])
    assert metric["source_text"] in section_paragraph(metric["section"])
    # The raw value is exactly the printed number (11.1万 -> 111000), not one that merely rounds to it.
    parts = figure_parts(Decimal(metric["value"]), metric["unit"], metric["qualifier"])
    scale = 100_000_000 if "亿" in parts.suffix else 10_000 if "万" in parts.suffix else 1
    assert Decimal(parts.number) * scale == Decimal(metric["value"])


def test_the_figure_check_catches_a_wrong_value_unit_or_qualifier():
    source = "滨州市工会劳模工匠宣讲团开展常态化宣讲活动520余场,每年覆盖职工5万余人。"
    assert appears_as_written(format_figure(520, "场", "more"), source)
    assert not appears_as_written(format_figure(520, "场", ""), source)
    assert not appears_as_written(format_figure(52, "场", "more"), source)
    assert not appears_as_written(format_figure(520, "次", "more"), source)
    assert not appears_as_written(format_figure(190000, "人", ""), "覆盖职工近19万人。")
    assert not appears_as_written(format_figure(19, "个", ""), "全国工人先锋号19个(名)")
    assert not appears_as_written(format_figure(389200, "人", ""), "累计为38.92万人次报销助学金81.8万元")


# --- placeholder images --------------------------------------------------------------------------------------------


def test_placeholder_is_deterministic():
    caption = "全市首届职工运动会田径比赛。"
    first, second = placeholders.placeholder_jpeg(caption, 1).read(), placeholders.placeholder_jpeg(caption, 1).read()
    assert first == second
    assert placeholders.placeholder_jpeg(caption, 2).read() != first
    with Image.open(placeholders.placeholder_jpeg(caption)) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 1067))


def test_placeholder_without_a_chinese_font_still_works():
    with mock.patch.object(placeholders, "cjk_font_file", return_value=None):
        content = placeholders.placeholder_jpeg("全市首届职工运动会田径比赛。")
    with Image.open(content) as image:
        assert image.size == (1600, 1067)
