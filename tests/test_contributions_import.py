"""来稿单位 in the admin: 审核 import them from a spreadsheet (preview, every problem by row, all or nothing); the
download is the list as a file that imports again unchanged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from union_site.contributions.models import Unit

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:contributions_unit_import")
EXPORT_URL = reverse("admin:contributions_unit_export")
HEADER = ["单位名称", "单位类型", "联系人及电话", "启用"]


def workbook(*rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("来稿单位.xlsx", out.getvalue())


def test_a_broken_row_saves_nothing_and_says_where(client, reviewer):
    client.force_login(reviewer)
    upload = workbook(
        ["滨城区总工会", "县市区总工会", "", ""],
        ["", "产业工会", "", ""],
        ["滨州市教育工会", "行业工会", "", "是"],
        ["滨城区总工会", "县市区总工会", "", ""],
        ["惠民县总工会", "县市区总工会", "", "也许"],
    )
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200 and response.context["token"] is None
    assert [str(error) for error in response.context["plan"].errors] == [
        "第 3 行：没有填写单位名称",
        "第 4 行：单位类型“行业工会”不对：填县市区总工会、产业工会、机关部室、基层工会、其他之一",
        "第 5 行：与第 2 行的单位名称相同",
        "第 6 行：启用“也许”不对：填“是”或“否”（不填为是）",
    ]
    assert "有任何错误时，一行都不会保存" in response.content.decode()
    assert not Unit.objects.exists()


def test_a_good_file_is_previewed_then_saved(client, reviewer):
    Unit.objects.create(name="邹平市总工会", type=Unit.Type.OTHER)
    client.force_login(reviewer)
    upload = workbook(
        ["滨城区总工会", "县市区总工会", "王五 0543-1234567", ""],
        ["邹平市总工会", "县市区总工会", "", "否"],
    )
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.context["plan"].summary() == "共 2 行：新增 1，更新 1，不变 0；错误 0 行"
    assert not Unit.objects.filter(name="滨城区总工会").exists()  # only previewed
    response = client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True)
    assert "已导入：新增 1 个来稿单位，更新 1 个" in [str(m) for m in response.context["messages"]]
    assert Unit.objects.get(name="滨城区总工会").contact == "王五 0543-1234567"
    zouping = Unit.objects.get(name="邹平市总工会")
    assert zouping.type == Unit.Type.COUNTY and not zouping.is_active


def test_the_download_imports_again_unchanged(client, reviewer):
    Unit.objects.create(name="滨州市卫生健康工会", type=Unit.Type.INDUSTRY, contact="演示")
    client.force_login(reviewer)
    data = b"".join(client.get(EXPORT_URL).streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert [cell.value for cell in sheet[2]] == ["滨州市卫生健康工会", "产业工会", "演示", "是"]
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("来稿单位.xlsx", data)})
    assert response.context["plan"].summary() == "共 1 行：新增 0，更新 0，不变 1；错误 0 行"


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_only_reviewers_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(IMPORT_URL, {"file": workbook(["滨城区总工会", "县市区总工会", "", ""])}).status_code == 403
    assert not Unit.objects.exists()
