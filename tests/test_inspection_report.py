"""`manage.py inspect_site` (the daily job: exit status 1 on a 单项否决) and the 网站巡检报告 as a file, from the
command, the page's buttons and 报表中心, with its provenance; the mailbox section and the 内容检查 hook."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from news.models import Column
from union_site.inspection.findings import SERIOUS, VETO, Finding
from union_site.inspection.report import CHECKS_TITLE, checks_scanner, inspect_site
from union_site.models import ExportLog
from union_site.reports.center import REPORTS


def run(*args):
    out = io.StringIO()
    call_command("inspect_site", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def healthy(make_article):
    """A site with nothing to veto: its one column and the home page updated yesterday."""
    return make_article(title="昨天的新闻", publish_at=timezone.now() - timedelta(days=1))


@pytest.fixture
def five_blank_columns(db):
    return [Column.objects.create(name=f"空栏目{n}", slug=f"empty-{n}") for n in range(5)]


def test_exit_status_0_without_a_veto(healthy):
    out = run()
    assert out.startswith("网站巡检报告（") and out.splitlines()[1] == "未发现问题。"
    assert "【栏目更新】" in out and "【外部链接】" in out and f"【{CHECKS_TITLE}】" in out


def test_exit_status_1_with_a_veto_and_the_problems_printed(healthy, five_blank_columns):
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("inspect_site", stdout=out)
    assert raised.value.returncode == 1 and "单项否决" in str(raised.value)
    printed = out.getvalue()
    assert "[单项否决] 空白栏目 5 个（达到 5 个即单项否决）" in printed
    assert "位置：栏目“空栏目0” /news/c/empty-0/" in printed
    assert "处理：/admin/news/article/?column__id__exact=" in printed


def test_a_file_is_written_through_the_report_writer_and_logged(healthy, five_blank_columns, tmp_path):
    target = tmp_path / "巡检.xlsx"
    with pytest.raises(CommandError):
        call_command("inspect_site", "-o", str(target), stdout=io.StringIO())
    book = load_workbook(target)
    assert book.sheetnames == ["概况", "问题清单", "栏目更新情况", "检查规则"]
    summary = [[cell.value for cell in row] for row in book["概况"].iter_rows()]
    assert summary[0][0] == "网站巡检报告 · 概况" and "生成人：命令行" in summary[1][0]
    # five empty columns: 5 blank (rule 3), and 5 with an 更新周期 not updated within it (rule 1)
    assert ["单项否决问题", 2] in summary and ["巡检结论", inspect_site().verdict] in summary
    findings = [[cell.value for cell in row] for row in book["问题清单"].iter_rows(min_row=4)]
    assert [row[:2] for row in findings[:2]] == [[VETO, "栏目更新"]] * 2
    assert findings[0][2].startswith("栏目不更新：") and findings[1][2].startswith("空白栏目 5 个")
    assert [row[0] for row in findings[2:]] == [SERIOUS] * 5
    columns = [[cell.value for cell in row] for row in book["栏目更新情况"].iter_rows(min_row=4)]
    assert ["空栏目0", 14, "—", None, "空白栏目"] in columns
    rules = " ".join(str(cell.value) for row in book["检查规则"].iter_rows() for cell in row)
    assert "国办秘函〔2019〕19号" in rules
    log = ExportLog.objects.get()
    assert (log.report, log.format, log.channel, log.row_count) == ("网站巡检报告", "xlsx", "command", log.row_count)
    assert log.row_count > 0


def test_a_folder_gets_the_chinese_file_name_and_pdf_by_its_name(healthy, tmp_path):
    run("-o", str(tmp_path))
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("滨州市总工会_网站巡检_") and written.suffix == ".xlsx"
    run("-o", str(tmp_path / "巡检.pdf"))
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(tmp_path / "巡检.pdf").pages)
    assert "网站巡检报告" in text and "栏目更新情况" in text and "检查规则" in text


def test_the_report_is_in_the_report_center_for_reviewers(client, reviewer, healthy, five_blank_columns):
    assert REPORTS["inspection"].title == "网站巡检报告"
    client.force_login(reviewer)
    assert "网站巡检报告" in client.get("/admin/reports/").content.decode()
    response = client.get("/admin/reports/inspection/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    findings = [row[2].value for row in book["问题清单"].iter_rows(min_row=4)]
    assert any(text.startswith("空白栏目 5 个") for text in findings)
    assert ExportLog.objects.get().report == "网站巡检报告"


def test_letters_overdue_and_over_90_days(make_letter, healthy):
    now, today = timezone.now(), timezone.localdate()  # due dates are Beijing dates: 00:30 there is 16:30 UTC
    old, _ = make_letter(received_at=now - timedelta(days=91), due_on=today - timedelta(days=70))
    late, _ = make_letter(received_at=now - timedelta(days=30), due_on=today - timedelta(days=3))
    make_letter(received_at=now - timedelta(days=1))  # within its time
    found = next(s for s in inspect_site().sections if s.key == "mailbox").findings
    assert [(f.severity, f.fix_url) for f in found] == [
        (VETO, f"/admin/mailbox/letter/{old.pk}/change/"),
        (SERIOUS, f"/admin/mailbox/letter/{late.pk}/change/"),
    ]
    assert "收到已 91 天仍未答复" in found[0].what and "已超过答复期限 3 天" in found[1].what
    text = " ".join(f"{f.what} {f.where}" for f in found)
    assert old.title not in text and old.name not in text  # numbers and dates only: no letter's words


def test_the_content_checks_section_waits_for_its_module(healthy):
    section = next(s for s in inspect_site().sections if s.key == "checks")
    assert section.title == CHECKS_TITLE
    if checks_scanner() is None:
        assert not section.available and "尚未安装" in section.note
    else:
        assert section.available


def test_the_content_checks_findings_are_listed(make_article, healthy):
    if checks_scanner() is None:
        pytest.skip("union_site.checks.scan 尚未安装")
    article = make_article(title="联系方式", body="<p>报名请联系张老师，手机 13812345678。</p>")
    section = next(s for s in inspect_site().sections if s.key == "checks")
    assert section.available
    (finding,) = [f for f in section.findings if f.where == "文章《联系方式》"]
    assert isinstance(finding, Finding) and finding.severity == SERIOUS and "手机号" in finding.what
    assert "13812345678" not in finding.what  # masked, as the checks show it
    assert finding.url == article.get_absolute_url() and finding.fix_url == f"/admin/news/article/{article.pk}/change/"
