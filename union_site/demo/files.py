"""The demo's attachment files (data.DOCUMENTS), made by the loader instead of kept in the repository, each saying
inside that it is 演示材料: the XLSX 报名表 through the project's one spreadsheet writer and the PDFs through its PDF
writer (union_site/reports/writers.py: WeasyPrint, the CJK font). Where the PDF writer cannot run (no Pango or no
Chinese font on the machine), a one-page PDF written by hand, in English, stands in and says so."""

import io
from datetime import datetime

from union_site.demo.data import SHANGHAI
from union_site.reports.writers import Column, Document, ExportError, Table, write_pdf, write_xlsx

MADE_AT = datetime(2023, 3, 1, 9, 0, tzinfo=SHANGHAI)  # fixed: the files say the same on every machine
MADE_BY = "演示数据"
SOURCE = "演示材料（虚构），不是真实文件"
FALLBACK_LINES = [
    "union-site demo material: not a real document.",
    "It stands in for a Chinese PDF that could not be made on this machine",
    "(the PDF writer needs Pango and the fonts-noto-cjk font).",
]


def registration_form():
    """全市首届职工运动会报名表: a sheet to fill in (drop-downs for 性别 and 参赛项目), one example row."""
    table = Table(
        title="报名表",
        columns=[
            Column("序号", width=6),
            Column("单位", width=28),
            Column("姓名", width=10),
            Column("性别", width=8, choices=("男", "女")),
            Column("参赛项目", width=12, choices=("田径", "皮划艇", "拔河", "跳绳")),
            Column("联系电话", width=16),
            Column("备注", width=36, wrap=True),
        ],
        rows=[[1, "（示例）滨州市总工会机关工会", "张三", "男", "田径", "", "演示材料：示例行，请删除后填写"]],
    )
    document = _document("全市首届职工运动会报名表（演示材料）", "报名表", table, header_first=True)
    buffer = io.BytesIO()
    write_xlsx(document, buffer)
    return "全市首届职工运动会报名表.xlsx", buffer.getvalue()


def competition_rules():
    table = Table(
        title="竞赛项目",
        columns=[Column("项目"), Column("比赛时间"), Column("地点"), Column("参赛要求", wrap=True)],
        rows=[
            ["田径", "2023年5月6日", "市体育中心", "每单位男女各限报6人"],
            ["皮划艇", "2023年5月7日", "中海水域", "每单位限报1队（4人）"],
            ["拔河", "2023年5月13日", "市体育中心", "每队10人，男女各半"],
            ["跳绳", "2023年5月13日", "市体育中心", "每单位限报2人"],
        ],
        note="本规程为演示材料，内容是虚构的。",
    )
    document = _document("全市首届职工运动会竞赛规程（演示材料）", "竞赛规程", table)
    return "全市首届职工运动会竞赛规程.pdf", _pdf(document)


def lecture_schedule():
    table = Table(
        title="宣讲活动安排",
        columns=[Column("时间"), Column("主题"), Column("范围", wrap=True)],
        rows=[
            ["2023年3月", "劳模精神进企业", "各县（市、区）重点企业"],
            ["2023年4月", "工匠精神进车间", "市直产业工会所属企业车间"],
            ["2023年5月", "劳动精神进校园", "全市职业院校"],
        ],
        note="本安排表为演示材料，内容是虚构的。",
    )
    document = _document("2023年劳模工匠宣讲活动安排表（演示材料）", "宣讲活动安排", table)
    return "2023年劳模工匠宣讲活动安排表.pdf", _pdf(document)


FILES = {
    "registration_form": registration_form,
    "competition_rules": competition_rules,
    "lecture_schedule": lecture_schedule,
}


def demo_file(key):
    """(the original file name, its bytes) of one demo attachment."""
    return FILES[key]()


def _document(title, short_name, table, header_first=False):
    return Document(
        title=title,
        short_name=short_name,
        source=SOURCE,
        tables=[table],
        generated_by=MADE_BY,
        header_first=header_first,
        generated_at=MADE_AT,
    )


def _pdf(document):
    buffer = io.BytesIO()
    try:
        write_pdf(document, buffer)
    except ExportError:  # no Pango or no CJK font here: a plain PDF that says what it stands for
        return minimal_pdf(FALLBACK_LINES)
    return buffer.getvalue()


def minimal_pdf(lines):
    """A valid one-page A4 PDF showing `lines` of ASCII text in Helvetica (a standard font: nothing to embed)."""

    def literal(line):
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 14 Tf 72 770 Td 20 TL " + " ".join(f"({literal(line)}) '" for line in lines) + " ET"
    stream = text.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
