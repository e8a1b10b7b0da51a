"""Figures imported from a spreadsheet: upload, preview with per-row errors, confirm; all or nothing."""

import io
import os
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from achievements import importers
from achievements.importers import IMPORT_COLUMNS, apply_import, plan_import, read_rows
from achievements.models import Metric, MetricValue, Period, Section
from tests.factories import table_xlsx
from union_site.models import ExportLog

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/achievements/metric/import/"
PERIOD = "第七次代表大会以来"
SECTION = "职工服务"


@pytest.fixture
def period(db):
    period = Period.objects.create(name=PERIOD, start_year=2019, end_year=2023)
    Section.objects.create(period=period, title=SECTION, order=1)
    return period


def row(label, value, unit="人", *, section=SECTION, period=PERIOD, qualifier="", **extra):
    """A row of the import columns; extra: scope, order, highlight, source_text, source_document."""
    return [
        period,
        section,
        label,
        value,
        unit,
        qualifier,
        extra.get("scope", ""),
        extra.get("order", ""),
        extra.get("highlight", ""),
        extra.get("source_text", ""),
        extra.get("source_document", ""),
    ]


def xlsx(rows, header=IMPORT_COLUMNS):
    return table_xlsx(rows, header)


def csv_bytes(rows, header=IMPORT_COLUMNS, encoding="utf-8-sig"):
    lines = [",".join(str(cell) for cell in cells) for cells in [list(header), *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def plan_of(data, user=None):
    return plan_import(read_rows(data), user)


def errors_of(plan):
    return [(error.row, error.column, error.reason) for error in plan.errors]


def preview(client, data, name="指标.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    return client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})


def staging():
    """Where an uploaded file waits between preview and confirm."""
    return Path(settings.PRIVATE_ROOT) / "imports"


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The whole path through the admin ----------------------------------------------------------------------------


def test_good_file_is_previewed_then_saved_with_its_yearly_series(client, editor, period):
    existing = Metric.objects.create(
        section=period.sections.get(), label="帮扶困难职工", value=100, unit="人", source_text="原句"
    )
    data = xlsx(
        [
            row("帮扶困难职工", "1.2万", "人", scope="累计") + [None, 3000, 4000, None, 5000],
            row("职工书屋", 72, "处", section="新的板块", highlight="是", order=3) + [10, 20, None, None, None],
        ],
        header=[*IMPORT_COLUMNS, "2019", "2020", "2021", "2022", "2023"],
    )
    client.force_login(editor)
    response = preview(client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 2 行：新增 1，更新 1，不变 0；错误 0 行" in page
    assert "1.2万人" in page and "72处" in page and "新板块" in page and "确认导入" in page
    assert [r.action for r in response.context["plan"].rows] == ["更新", "新增"]
    assert Metric.objects.count() == 1 and not Section.objects.filter(title="新的板块").exists()  # nothing yet

    done = confirm(client, response)
    assert done.status_code == 302 and done.url == reverse("admin:achievements_metric_changelist")
    assert "已导入：新增 1 项，更新 1 项，年度数值 5 条" in message_texts(done)
    existing.refresh_from_db()
    assert existing.value == 12000 and existing.updated_by == editor and existing.source_text == "原句"
    assert dict(existing.values.values_list("year", "value")) == {2020: 3000, 2021: 4000, 2023: 5000}
    new = Metric.objects.get(label="职工书屋")
    assert (new.value, new.unit, new.order, new.is_highlight, new.updated_by) == (72, "处", 3, True, editor)
    assert new.section.period == period and new.section.order == 2  # after the existing section
    assert dict(new.values.values_list("year", "value")) == {2019: 10, 2020: 20}
    assert existing.history.first().history_user == editor
    assert existing.history.first().history_change_reason == "从表格导入"
    assert not list(staging().iterdir())  # the uploaded file is not kept


def test_three_bad_rows_save_nothing_and_each_is_named(client, editor, period):
    data = xlsx(
        [
            row("好的一行", 10),
            row("负数", -5),
            row("覆盖率", 101, "%"),
            row("没有的时期", 3, period="第九十九次代表大会以来"),
            row("也是好的", 20),
        ]
    )
    client.force_login(editor)
    response = preview(client, data)
    plan = response.context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(3, "数值"), (4, "数值"), (5, "时期")]
    reasons = [e.reason for e in plan.errors]
    assert "负数" in reasons[0] and "100" in reasons[1] and "第九十九次代表大会以来" in reasons[2]
    page = response.content.decode()
    assert "共 5 行：新增 2，更新 0，不变 0；错误 3 行" in page
    assert "第 4 行“数值”列：百分比不能超过 100。" in page
    assert "确认导入" not in page and response.context["token"] is None
    assert not Metric.objects.exists()
    with pytest.raises(importers.ImportRefused):
        apply_import(plan, editor)
    assert not Metric.objects.exists()


def test_missing_unit_is_a_row_error(period):
    plan = plan_of(xlsx([row("缺单位", 10, "")]))
    assert errors_of(plan) == [(2, "单位", "必填：如 人、场、元、%")]


def test_importing_the_same_file_again_changes_nothing(client, editor, period):
    data = xlsx([row("甲", "11.1万", qualifier="余"), row("乙", 5, "场")])
    client.force_login(editor)
    confirm(client, preview(client, data))
    first = list(Metric.objects.values_list("pk", "updated_at"))
    again = preview(client, data)
    plan = again.context["plan"]
    assert plan.counts() == {"新增": 0, "更新": 0, "不变": 2, "错误": 0}
    assert "没有需要导入的变化" in again.content.decode() and again.context["token"] is None
    assert apply_import(plan, editor) == {"新增": 0, "更新": 0, "不变": 2, "年度数值": 0}
    assert list(Metric.objects.values_list("pk", "updated_at")) == first


def test_changed_value_clears_the_verified_mark_and_unchanged_keeps_it(editor, reviewer, period):
    section = period.sections.get()
    changed = Metric.objects.create(section=section, label="甲", value=1, unit="人", verified_on="2024-01-01")
    kept = Metric.objects.create(section=section, label="乙", value=2, unit="人", verified_on="2024-01-01")
    apply_import(plan_of(xlsx([row("甲", 10), row("乙", 2)])), editor)
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert changed.verified_on is None and kept.verified_on is not None


# What a file may contain ------------------------------------------------------------------------------------


def test_missing_or_misspelt_columns_are_one_file_error(period):
    header = ["时期", "板块", "指标", "数值"]  # 指标名称 misspelt, 单位 missing
    plan = plan_of(xlsx([[PERIOD, SECTION, "甲", 1]], header=header))
    missing = [e.reason for e in plan.file_errors if "缺少" in e.reason]
    assert len(missing) == 1 and "指标名称、单位" in missing[0] and "依次为：时期、板块、指标名称" in missing[0]
    assert any("无法识别的列：指标" in e.reason for e in plan.file_errors)
    assert not plan.rows and not plan.is_valid


def test_wrong_columns_are_shown_on_the_preview_page(client, editor, period):
    client.force_login(editor)
    response = preview(client, csv_bytes([["a", "b"]], header=["名称", "数量"]), name="x.csv")
    page = response.content.decode()
    assert "这个文件无法导入" in page and "缺少必需的列：时期、板块、指标名称、数值、单位" in page
    assert "确认导入" not in page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("picture.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"),
        ("report.xlsx", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"),
        ("archive.xlsx", None),  # a zip that is not a workbook
    ],
)
def test_what_is_not_a_spreadsheet_is_refused_in_chinese(client, editor, name, data):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
        data = buffer.getvalue()
    with pytest.raises(importers.ImportFileError, match="不是 Excel（.xlsx）或 CSV 文件"):
        read_rows(data)
    client.force_login(editor)
    response = preview(client, data, name=name)
    assert "不是 Excel（.xlsx）或 CSV 文件" in response.content.decode()
    assert response.context["plan"] is None


def test_old_excel_empty_and_oversized_files_get_their_own_messages():
    with pytest.raises(importers.ImportFileError, match=r"\.xls"):
        read_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(importers.ImportFileError, match="空"):
        read_rows(SimpleUploadedFile("a.csv", b""))
    with pytest.raises(importers.ImportFileError, match="文件太大"):
        read_rows(b"x" * (importers.MAX_FILE_BYTES + 1))


def test_too_many_rows_are_refused(monkeypatch, period):
    monkeypatch.setattr(importers, "MAX_ROWS", 3)
    with pytest.raises(importers.ImportFileError, match="最多导入 3 行"):
        read_rows(xlsx([row(f"指标{n}", n) for n in range(4)]))
    assert len(read_rows(csv_bytes([row(f"指标{n}", n) for n in range(3)])).rows) == 3


def test_gbk_csv_from_chinese_excel_is_read(period):
    data = csv_bytes([row("职工书屋", "72", "处", qualifier="准确数", scope="现有总数")], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = plan_of(data)
    assert plan.is_valid, errors_of(plan)
    only = plan.rows[0]
    assert (only.section_title, only.label, only.display) == (SECTION, "职工书屋", "72处")
    assert only.fields["scope"] == Metric.Scope.TOTAL


def test_utf8_csv_with_bom_and_thousands_separators(period):
    data = (f'\ufeff"时期","板块","指标名称","数值","单位"\r\n{PERIOD},{SECTION},会员,"553,000",人\r\n').encode()
    plan = plan_of(data)
    assert plan.is_valid, errors_of(plan)
    assert plan.rows[0].fields["value"] == 553000 and plan.rows[0].display == "55.3万人"


def test_formulas_are_text_never_evaluated(editor, period):
    link = '=HYPERLINK("http://example.com","点这里")'
    plan = plan_of(xlsx([row("公式数值", "=1+1"), row("公式原文", 5, source_text=link)]))
    assert errors_of(plan) == [(2, "数值", "“=1+1”不是数字：公式不会被计算，请直接填写数值")]
    plan = plan_of(xlsx([row("公式原文", 5, source_text=link)]))
    apply_import(plan, editor)
    assert Metric.objects.get(label="公式原文").source_text == link


def test_control_characters_are_removed_from_text(period):
    plan = plan_of(csv_bytes([row("职工\x07书屋", 1, source_text="原\x0b句")]))
    assert plan.rows[0].label == "职工书屋" and plan.rows[0].fields["source_text"] == "原句"


@pytest.mark.parametrize(
    ("written", "qualifier_cell", "value", "qualifier", "shown"),
    [
        ("11.1万", "", Decimal(111000), "", "11.1万人"),
        ("11.1万余", "", Decimal(111000), "more", "11.1万余人"),
        ("1000余万", "", Decimal(10_000_000), "more", "1000余万人"),
        ("近19万", "", Decimal(190000), "nearly", "近19万人"),
        ("约3.33万", "约", Decimal(33300), "about", "约3.33万人"),
        ("520", "余", Decimal(520), "more", "520余人"),
        ("1.2亿", "", Decimal(120_000_000), "", "1.2亿人"),
        ("１２０", "", Decimal(120), "", "120人"),  # full-width digits
    ],
)
def test_numbers_as_newspapers_write_them(period, written, qualifier_cell, value, qualifier, shown):
    plan = plan_of(xlsx([row("指标", written, qualifier=qualifier_cell)]))
    assert plan.is_valid, errors_of(plan)
    only = plan.rows[0]
    assert (only.fields["value"], only.fields["qualifier"], only.display) == (value, qualifier, shown)


@pytest.mark.parametrize(
    ("written", "qualifier_cell", "reason"),
    [
        ("520场", "", "不是数字"),
        ("近520余", "", "各最多用一个"),
        ("520余", "近", "不一致"),
        ("85%", "", "单位是“人”"),
        ("12.345", "", "小数"),
        ("5", "大概", "无法识别"),
    ],
)
def test_numbers_that_cannot_be_read(period, written, qualifier_cell, reason):
    plan = plan_of(xlsx([row("指标", written, qualifier=qualifier_cell)]))
    assert len(plan.errors) == 1 and reason in plan.errors[0].reason, errors_of(plan)


def test_percent_formatted_excel_cell_is_read_as_shown(period):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_COLUMNS)
    sheet.append(row("建制率", 0.95, "%"))
    sheet["D2"].number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_of(buffer.getvalue())
    assert plan.is_valid and plan.rows[0].fields["value"] == 95 and plan.rows[0].display == "95%"


def test_year_outside_the_period_is_an_error(period):
    header = [*IMPORT_COLUMNS, "2018", "2023"]
    plan = plan_of(xlsx([row("甲", 10) + [5, 6], row("乙", 10) + [None, 6]], header=header))
    assert errors_of(plan) == [(2, "2018", "2018 年不在时期“第七次代表大会以来”的 2019—2023 年之内")]


def test_yearly_values_are_plain_numbers(period):
    header = [*IMPORT_COLUMNS, "2020年", "2021"]
    plan = plan_of(xlsx([row("甲", 10) + ["1.5万", "300余"]], header=header))
    assert errors_of(plan) == [(2, "2021", "年度数值只填数字（可用万、亿），不能带“余、多、近、约”")]


def test_duplicate_label_is_an_error_on_the_later_row(period):
    plan = plan_of(xlsx([row("甲", 1), row("乙", 2), row("甲", 3)]))
    assert [(e.row, e.column) for e in plan.errors] == [(4, "指标名称")]
    assert "与第 2 行重复" in plan.errors[0].reason


def test_row_numbers_are_excels_even_with_blank_rows(period):
    data = xlsx([row("甲", 1), [None] * 11, row("乙", -1)])
    assert [(e.row, e.column) for e in plan_of(data).errors] == [(4, "数值")]


def test_periods_are_never_created_from_a_file(editor, period):
    plan = plan_of(xlsx([row("甲", 1, period="新时期")]))
    assert not plan.is_valid and Period.objects.count() == 1


# Who may import, and what happens between preview and confirm -------------------------------------------------


def test_report_staff_get_403_on_every_import_url(client, reporter, period):
    client.force_login(reporter)
    urls = [
        IMPORT_URL,
        reverse("admin:achievements_metric_import_template"),
        reverse("admin:achievements_metric_import_current", args=[period.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", xlsx([row("甲", 1)]))}).status_code == 403
    assert client.post(IMPORT_URL, {"confirm": "1", "token": "0" * 32}).status_code == 403
    assert "从表格导入" not in client.get(reverse("admin:achievements_metric_changelist")).content.decode()
    assert not Metric.objects.exists()


def test_reviewers_may_import_and_the_changelist_has_the_button(client, reviewer, period):
    client.force_login(reviewer)
    changelist = client.get(reverse("admin:achievements_metric_changelist")).content.decode()
    assert "从表格导入" in changelist and IMPORT_URL in changelist
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "下载导入模板" in text and f"下载当前数据：{PERIOD}" in text and "<script>" not in text
    assert page["Content-Security-Policy"]


def test_expired_session_at_confirm_saves_nothing(client, editor, period):
    client.force_login(editor)
    response = preview(client, xlsx([row("甲", 1)]))
    session = client.session
    del session["achievements_import"]
    session.save()
    done = confirm(client, response)
    assert done.status_code == 302 and done.url == IMPORT_URL
    assert any("已失效" in text and "没有保存任何指标数据" in text for text in message_texts(done))
    assert not Metric.objects.exists()


def test_staged_file_gone_or_forged_token_saves_nothing(client, editor, period):
    client.force_login(editor)
    response = preview(client, xlsx([row("甲", 1)]))
    for staged in staging().iterdir():
        staged.unlink()
    assert "已失效" in message_texts(confirm(client, response))[0]
    response = preview(client, xlsx([row("甲", 1)]))
    forged = client.post(IMPORT_URL, {"confirm": "1", "token": "../../etc/passwd"})
    assert forged.status_code == 302 and not Metric.objects.exists()


def test_uploaded_file_waits_readable_by_this_process_only_and_not_for_ever(client, editor, period):
    staging().mkdir(parents=True)
    forgotten = staging() / ("f" * 32)
    forgotten.write_bytes(b"old")
    os.utime(forgotten, (time.time() - 2 * 24 * 3600,) * 2)
    client.force_login(editor)
    response = preview(client, xlsx([row("甲", 1)]))
    assert not forgotten.exists()
    (staged,) = staging().iterdir()
    assert staged.name == response.context["token"] and staged.stat().st_mode & 0o077 == 0


def test_confirm_checks_again_when_figures_changed_after_preview(client, editor, period):
    client.force_login(editor)
    response = preview(client, xlsx([row("甲", 1)]))
    Metric.objects.create(section=period.sections.get(), label="甲", value=7, unit="人")  # someone else, meanwhile
    again = confirm(client, response)
    assert again.status_code == 200 and "网站上的指标数据有了变化" in again.content.decode()
    assert again.context["plan"].rows[0].action == "更新"
    assert Metric.objects.get(label="甲").value == 7
    confirm(client, again)
    assert Metric.objects.get(label="甲").value == 1


# Downloads ---------------------------------------------------------------------------------------------------


def test_template_is_an_xlsx_that_imports_once_filled_in(client, editor, demo):
    client.force_login(editor)
    response = client.get(reverse("admin:achievements_metric_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [*IMPORT_COLUMNS, *[str(year) for year in range(2018, 2024)]]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert workbook.sheetnames == ["指标", "说明"]
    notes = "".join(str(cell.value or "") for cells in workbook["说明"].iter_rows() for cell in cells)
    assert all(column in notes for column in IMPORT_COLUMNS) and "一行都不保存" in notes

    example = [cell.value for cell in sheet[2]]
    assert example[0] == Period.objects.get().name  # the example row names a real period
    sheet["C2"] = "新指标"
    sheet["D2"] = "3.5万"
    buffer = io.BytesIO()
    workbook.save(buffer)
    confirm(client, preview(client, buffer.getvalue()))
    metric = Metric.objects.get(label="新指标")
    assert metric.display_value() == "3.5万余场" and metric.values.get(year=2023).value == 100


def test_current_data_round_trips_unchanged(client, editor, demo):
    period = Period.objects.get()
    Metric.objects.filter(pk=Metric.objects.first().pk).update(source_text="=1+1")
    client.force_login(editor)
    response = client.get(reverse("admin:achievements_metric_import_current", args=[period.pk]))
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # text stays text
    plan = plan_of(data)
    assert plan.is_valid, errors_of(plan)
    assert plan.counts() == {"新增": 0, "更新": 0, "不变": Metric.objects.count(), "错误": 0}


def test_downloads_are_logged_and_offer_the_words_each_column_takes(client, editor, demo):
    period = Period.objects.get()
    client.force_login(editor)
    template = client.get(reverse("admin:achievements_metric_import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in workbook["指标"].data_validations.dataValidation}
    assert lists == {"F2": '"准确数,余,多,近,约"', "G2": '"累计,每年,现有总数"', "I2": '"是,否"'}
    b"".join(client.get(reverse("admin:achievements_metric_import_current", args=[period.pk])).streaming_content)
    logs = list(ExportLog.objects.order_by("pk"))
    assert [(log.user, log.channel, log.format) for log in logs] == [(editor, ExportLog.Channel.ADMIN, "xlsx")] * 2
    assert [log.report for log in logs] == ["指标导入模板", f"指标当前数据：{period.name}"]
    assert logs[1].filters == {"period": str(period.pk)} and logs[1].row_count > Metric.objects.count()


def test_metricvalue_count_is_reported(editor, period):
    header = [*IMPORT_COLUMNS, "2022", "2023"]
    apply_import(plan_of(xlsx([row("甲", 1) + [1, 2]], header=header)), editor)
    counts = apply_import(plan_of(xlsx([row("甲", 1) + [1, 3]], header=header)), editor)
    assert counts == {"新增": 0, "更新": 1, "不变": 0, "年度数值": 1}
    assert list(MetricValue.objects.order_by("year").values_list("value", flat=True)) == [1, 3]


def test_year_headers_typed_as_numbers_and_excel_unicode_text(period):
    plan = plan_of(xlsx([row("甲", 10) + [5]], header=[*IMPORT_COLUMNS, 2021]))
    assert plan.is_valid and plan.rows[0].yearly == {2021: 5}
    text = "\r\n".join("\t".join(map(str, cells)) for cells in [IMPORT_COLUMNS, row("乙", "3.5万", "元")])
    plan = plan_of(b"\xff\xfe" + text.encode("utf-16-le"))  # Excel's "Unicode 文本": UTF-16, tab-separated
    assert plan.is_valid and plan.rows[0].display == "3.5万元"
