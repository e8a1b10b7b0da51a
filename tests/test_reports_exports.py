"""union_site/reports/writers.py: what comes out of every format is correct and safe to open."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.factories import xlsx_workbook
from union_site.reports import writers as exports
from union_site.reports.writers import Column, Document, Table

PAYLOADS = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def document(rows, columns=("名称", "数值"), **extra):
    return Document(
        title="测试报表",
        short_name="测试",
        source="单元测试",
        tables=[Table("第一表", [Column(h) for h in columns], rows)],
        generated_by="张三（zhangsan）",
        filters=[("时间范围", "2026-01-01 至 2026-11-24")],
        **extra,
    )


def csv_rows(doc):
    data = b"".join(exports.iter_csv(doc))
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel on Windows needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def pdf_text(doc):
    out = io.BytesIO()
    exports.write_pdf(doc, out)
    out.seek(0)
    reader = PdfReader(out)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_xlsx_keeps_numbers_as_numbers_with_formats_and_provenance_on_top():
    when = datetime(2026, 2, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    doc = document(
        [["讲堂", 520, Decimal("111000.00"), Decimal("3.33"), date(2026, 11, 24), when, True]],
        columns=("名称", "场次", "人数", "比例", "日期", "时间", "核实"),
    )
    sheet = xlsx_workbook(doc)["第一表"]
    assert sheet["A1"].value == "测试报表 · 第一表"
    assert "生成人：张三（zhangsan）" in sheet["A2"].value and "时间范围：2026-01-01 至 2026-11-24" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == ["名称", "场次", "人数", "比例", "日期", "时间", "核实"]
    assert sheet.freeze_panes == "A4"
    name, count, people, ratio, day, moment, verified = sheet[4]
    assert (count.value, count.data_type, count.number_format) == (520, "n", "#,##0")
    assert (people.value, people.number_format) == (111000, "#,##0")
    assert (ratio.value, ratio.number_format) == (3.33, "#,##0.00")
    assert day.value == datetime(2026, 11, 24) and day.number_format == "yyyy-mm-dd"
    assert moment.value == datetime(2026, 2, 1, 0, 30)  # Beijing wall-clock time, not UTC
    assert verified.value == "是"


def test_xlsx_columns_are_wide_enough_for_chinese_text():
    sheet = xlsx_workbook(document([["滨州市总工会劳模工匠宣讲团常态化宣讲活动", 1]]))["第一表"]
    assert sheet.column_dimensions["A"].width >= 2 * len("滨州市总工会劳模工匠宣讲团常态化宣讲活动")
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width


def test_sheet_names_follow_excel_rules():
    names = exports.sheet_names(["汇总", "职工/维权:服务*工作?", "汇总", "很" * 40])
    assert names[0] == "汇总" and names[1] == "职工维权服务工作"
    assert names[2] != "汇总" and names[2].startswith("汇总")
    assert len(names[3]) == 31


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_come_out_inert_in_every_format(payload):
    doc = document([[payload, -2]])
    cell = xlsx_workbook(doc)["第一表"]["A4"]
    # (XML reads a stored CR back as LF; either way the cell is text)
    assert cell.data_type == "s" and cell.value.strip() == payload.strip() and cell.quotePrefix
    assert xlsx_workbook(doc)["第一表"]["B4"].value == -2  # numbers we produced stay numbers

    row = csv_rows(document([[payload, -2]]))[-1]
    assert row[0] == "'" + payload and row[1] == "-2"

    reader, text = pdf_text(document([[payload, -2]]))
    assert payload.strip()[:4] in text
    assert not any("/Annots" in page for page in reader.pages)  # no live link from =HYPERLINK


def test_control_characters_from_word_do_not_break_any_format():
    title = "职工\x0b运动会\x00开幕\x1f"
    doc = lambda: document([[title, 1]])  # noqa: E731 - rows are read once per document
    assert xlsx_workbook(doc())["第一表"]["A4"].value == "职工运动会开幕"
    assert csv_rows(doc())[-1][0] == "职工运动会开幕"
    assert "职工运动会开幕" in pdf_text(doc())[1]


def test_pdf_has_chinese_text_in_an_embedded_cjk_font():
    reader, text = pdf_text(document([["劳模工匠宣讲活动", "520余场"]]))
    assert "测试报表" in text and "劳模工匠宣讲活动" in text and "520余场" in text
    assert "生成人" in text and "张三（zhangsan）" in text and "单元测试" in text
    fonts = {
        font["/BaseFont"]
        for page in reader.pages
        for font in (f.get_object() for f in page["/Resources"]["/Font"].values())
    }
    assert any("Noto-Sans-CJK" in name for name in fonts)
    assert reader.metadata.title == "测试报表"


def test_provenance_and_headers_are_as_safe_as_the_data():
    doc = lambda: document([["a", 1]], columns=("=1+2", "数值"))  # noqa: E731
    doc_by = doc()
    doc_by.generated_by = "=1+2（bob）"
    assert ["生成人", "'=1+2（bob）"] in csv_rows(doc_by)
    sheet = xlsx_workbook(doc())["第一表"]
    assert sheet["A3"].value == "=1+2" and sheet["A3"].data_type == "s"


def test_making_a_pdf_leaves_truncated_images_refused():
    from PIL import ImageFile

    exports.write_pdf(document([["a", 1]]), io.BytesIO())
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # WeasyPrint turns it on at import; uploads need it off


def test_pdf_refuses_a_table_too_long_to_print():
    with pytest.raises(exports.ExportError, match="Excel"):
        exports.write_pdf(document([str(i), i] for i in range(exports.MAX_PDF_ROWS + 1)), io.BytesIO())


class Row(list):
    """A row that counts how many rows are alive at once."""

    alive = peak = 0

    def __init__(self, *args):
        super().__init__(*args)
        Row.alive += 1
        Row.peak = max(Row.peak, Row.alive)

    def __del__(self):
        Row.alive -= 1


@pytest.mark.parametrize("fmt", [exports.CSV, exports.XLSX])
def test_large_exports_do_not_hold_all_rows_at_once(fmt):
    Row.alive = Row.peak = 0
    rows = (Row([f"第{i}行", i]) for i in range(20_000))
    count = exports.write_file(document(rows), fmt, io.BytesIO())
    assert count == 20_000
    assert Row.peak <= exports.WIDTH_SAMPLE_ROWS + 1000


def test_filename_is_chinese_with_the_local_date():
    doc = document([], generated_at=datetime(2026, 11, 23, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert doc.filename("xlsx") == "滨州市总工会_测试_2026-11-24.xlsx"  # 00:30 on the 24th in Beijing
