"""The 词库 in the admin: 审核 import it from a spreadsheet (preview, every problem by row, all or nothing) and anyone
who may see it downloads it as an Excel file that imports again unchanged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from union_site.checks.models import Term, term_list_version
from union_site.checks.report import check_texts

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:content_checks_term_import")
EXPORT_URL = reverse("admin:content_checks_term_export")
HEADER = ["词语", "建议改为", "级别", "说明", "启用"]


def workbook(*rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("词库.xlsx", out.getvalue())


def test_a_broken_row_saves_nothing_and_says_where(client, reviewer):
    client.force_login(reviewer)
    before = Term.objects.count()
    upload = workbook(
        ["自造错词", "自造正词", "禁用", "", ""],
        ["象", "像", "提醒", "", ""],  # one character
        ["另一错词", "", "严重", "", "是"],  # no such level
        ["再接再勵", "再接再厉", "禁用", "", ""],  # the shipped 再接再励 in traditional form
        ["自造錯詞", "", "提醒", "", ""],  # row 2's word in traditional form
        ["第三错词", "", "提醒", "", "也许"],
    )
    response = client.post(IMPORT_URL, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["token"] is None
    plan = response.context["plan"]
    assert [str(error) for error in plan.errors] == [
        "第 3 行：词语至少要有 2 个字：一个字会把含有它的正确词语也查出来。",
        "第 4 行：级别“严重”不对：填“禁用”或“提醒”",
        "第 5 行：与已有的词条“再接再励”相同（只是全角半角或繁体简体不同）。",
        "第 6 行：与第 2 行的词语相同（或只是全角半角、繁体简体不同）",
        "第 7 行：启用“也许”不对：填“是”或“否”（不填为是）",
    ]
    assert "有任何错误时，一行都不会保存" in page
    assert Term.objects.count() == before and not Term.objects.filter(word="自造错词").exists()


def test_a_good_file_is_previewed_then_saved_and_checked_at_once(client, reviewer):
    client.force_login(reviewer)
    version = term_list_version()
    upload = workbook(
        ["自造错词", "自造正词", "禁用", "试验用", ""],
        ["再接再励", "再接再厉", "提醒", "改为提醒", "否"],  # an update of a shipped one
    )
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.context["plan"].summary() == "共 2 行：新增 1，更新 1，不变 0；错误 0 行"
    assert not Term.objects.filter(word="自造错词").exists()  # only previewed
    response = client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)
    assert "已导入：新增 1 个词条，更新 1 个" in [str(m) for m in response.context["messages"]]
    term = Term.objects.get(word="自造错词")
    assert (term.suggestion, term.level, term.note, term.is_active, term.created_by) == (
        "自造正词",
        Term.Level.BLOCK,
        "试验用",
        True,
        reviewer,
    )
    shipped = Term.objects.get(word="再接再励")
    assert shipped.level == Term.Level.WARN and not shipped.is_active
    assert term_list_version() != version
    assert [f.hit for f in check_texts([("正文", "这是自造错词，要再接再励。")]).findings] == ["自造错词"]


def test_the_download_imports_again_unchanged(client, reviewer, editor):
    client.force_login(editor)  # editors may see and download the 词库
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert ("再接再励", "再接再厉", "禁用") == rows[1 + [r[0] for r in rows[1:]].index("再接再励")][:3]
    assert len(rows) == 1 + Term.objects.count()

    client.force_login(reviewer)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("词库.xlsx", data)})
    plan = response.context["plan"]
    assert plan.is_valid and not plan.has_changes
    assert "表格与网站上的词库一致" in response.content.decode()


def test_editors_see_the_list_but_do_not_import(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:content_checks_term_changelist")).content.decode()
    assert "再接再励" in page and "导出词库（Excel）" in page and "从表格导入" not in page
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:content_checks_term_add")).status_code == 403
