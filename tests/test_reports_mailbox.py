"""信箱办理情况 in 报表中心: the 主席信箱's handling per type and month, each event in the month it happened, with no
word of any letter in it; and the 互动交流 rows of 网站年度工作报表 that read the same counts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import data_rows, xlsx_workbook
from union_site.mailbox import reports
from union_site.mailbox.models import Letter
from union_site.reports import annual
from union_site.surveys.demo import build_survey
from union_site.surveys.models import Question, Response, Survey

pytestmark = pytest.mark.django_db

Status = Letter.Status


def at(*args):
    return datetime(*args, tzinfo=UTC) - timedelta(hours=8)  # Beijing wall time


@pytest.fixture
def handled(make_letter):
    """2025: a 咨询 answered in 3 working days and published; a 投诉 received in December, closed in January 2026;
    a 建议 refused; a 求助 never answered (overdue, and over 90 days)."""

    def letter(kind, received, **events):
        made, _ = make_letter(letter_type=kind, received_at=received, title="刘德华的私事", name="刘德华")
        Letter.objects.filter(pk=made.pk).update(**events)
        return made

    letter(
        Letter.Type.CONSULT,
        at(2025, 3, 3, 9),  # Monday
        status=Status.CLOSED,
        accepted_at=at(2025, 3, 3, 10),
        replied_at=at(2025, 3, 6, 10),  # Thursday: 3 working days
        closed_at=at(2025, 3, 7, 10),
        is_published=True,
        published_at=at(2025, 3, 7, 11),
        due_on=date(2025, 3, 10),
    )
    letter(
        Letter.Type.COMPLAINT,
        at(2025, 12, 1, 9),
        status=Status.CLOSED,
        accepted_at=at(2025, 12, 1, 10),
        replied_at=at(2025, 12, 30, 10),  # after its due date
        closed_at=at(2026, 1, 5, 10),
        due_on=date(2025, 12, 22),
    )
    letter(Letter.Type.SUGGESTION, at(2025, 6, 2, 9), status=Status.REJECTED, due_on=date(2025, 6, 23))
    letter(
        Letter.Type.HELP,
        at(2025, 7, 1, 9),
        status=Status.ACCEPTED,
        accepted_at=at(2025, 7, 1, 10),
        due_on=date(2025, 7, 22),
    )


def test_the_year_per_type_and_month_each_event_in_its_month(handled):
    book = xlsx_workbook(reports.document(date(2025, 1, 1), date(2025, 12, 31)))
    assert book.sheetnames == ["按类型", "逐月", "未答复"]
    assert [cell.value for cell in book["按类型"][3]] == ["类型", *reports.COUNTS]
    assert data_rows(book["按类型"]) == [
        # 收到 受理 办结 不予受理 超期 平均办理天数 公开
        ["咨询", 1, 1, 1, 0, 0, 3, 1],
        ["投诉", 1, 1, 0, 0, 1, 21, 0],  # closed in January: not 办结 in 2025
        ["建议", 1, 0, 0, 1, 0, None, 0],  # refused: neither overdue nor in the average
        ["求助", 1, 1, 0, 0, 1, None, 0],
        ["合计", 4, 3, 1, 1, 2, 12, 1],
    ]
    assert data_rows(book["逐月"])[0] == ["2025-03", "咨询", 1, 1, 1, 0, 0, 3, 1]
    unanswered = {row[0]: row[1] for row in data_rows(book["未答复"])}
    assert unanswered == {"至今未答复": 1, "其中超过答复期限": 1, "其中超过 90 天": 1}

    january = xlsx_workbook(reports.document(date(2026, 1, 1), date(2026, 1, 31)))
    assert data_rows(january["按类型"])[1] == ["投诉", 0, 0, 1, 0, 0, None, 0]  # 办结 in the month it was closed


def test_the_report_downloads_from_the_center_and_holds_no_word_of_a_letter(client, reporter, handled):
    client.force_login(reporter)
    assert "信箱办理情况" in client.get(reverse("reports:center")).content.decode()
    url = reverse("reports:download", args=["mailbox"])
    for fmt in ("xlsx", "csv", "pdf"):
        response = client.get(url, {"format": fmt, "date_from": "2025-01-01", "date_to": "2025-12-31"})
        assert response.status_code == 200, fmt
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            text = content.decode("utf-8-sig")
            assert "合计,4,3,1,1,2,12,1" in text
            assert "刘德华" not in text and "13812345678" not in text
    refused = client.get(url, {"format": "xlsx", "date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert refused.status_code == 400 and "结束日期不能早于开始日期" in refused.content.decode()


def test_the_annual_report_fills_its_interaction_rows_from_the_mailbox_and_the_surveys(handled):
    question = [("您最希望工会提供哪项服务？", Question.Kind.SINGLE, 1, ["技能培训", "法律援助"])]
    published = {"status": Survey.Status.PUBLISHED}
    held = build_survey(
        "2025 年的调查", question, opens_at=at(2025, 3, 1, 9), closes_at=at(2025, 3, 15, 9), **published
    )
    build_survey(
        "不公布结果的调查",
        question,
        opens_at=at(2025, 5, 1, 9),
        closes_at=at(2025, 5, 9, 9),
        show_results=False,
        **published,
    )
    build_survey("2025 年的草稿", question, opens_at=at(2025, 6, 1, 9), closes_at=at(2025, 6, 9, 9))
    build_survey("2024 年的调查", question, opens_at=at(2024, 6, 1, 9), closes_at=at(2024, 6, 9, 9), **published)
    for _ in range(3):
        Response.objects.create(survey=held, submitted_at=at(2025, 3, 2, 9))

    book = xlsx_workbook(annual.document(2025))
    interaction = {row[1]: row[2] for row in data_rows(book["互动交流"])}
    assert interaction == {
        "收到留言数量（条）": 4,
        "办结留言数量（条）": 1,
        "平均办理时间（天）": 12,
        "公开答复数量（条）": 1,
        "征集调查期数（期）": 2,  # the draft and the year before are not counted
        "收到意见数量（条）": 3,
        "公布调查结果期数（期）": 1,
    }
