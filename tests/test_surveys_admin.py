"""征集调查 in the admin: a survey and its questions on one page, options one per line; who may publish; questions
locked once answers exist; the 结果 page and its export with the 文字意见; the demo."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from union_site.models import ExportLog
from union_site.surveys.demo import add_responses, build_survey, load_surveys_demo
from union_site.surveys.models import Choice, Question, Response, Survey

pytestmark = pytest.mark.django_db

SINGLE, MULTIPLE, TEXT = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TEXT
ADD_URL = reverse("admin:surveys_survey_add")


def change_url(survey):
    return reverse("admin:surveys_survey_change", args=[survey.pk])


def results_url(survey):
    return reverse("admin:surveys_survey_results", args=[survey.pk])


def make_survey(status=Survey.Status.PUBLISHED, **fields):
    now = timezone.now()
    return build_survey(
        fields.pop("title", "职工最希望工会提供的服务"),
        [
            ("您最希望工会提供哪些服务？", MULTIPLE, 0, ["技能培训", "法律援助", "困难帮扶"]),
            ("您还有什么建议？", TEXT, 0, []),
        ],
        status=status,
        opens_at=fields.pop("opens_at", now - timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + timedelta(days=1)),
        **fields,
    )


def question_row(text="您的单位类型", kind=SINGLE, choices="国有企业\n民营企业", **extra):
    return {"text": text, "kind": kind, "choices_text": choices, "order": "1", "is_required": "on", **extra}


def form_data(survey=None, questions=(), **fields):
    """The survey page as the admin posts it: the survey's fields, its saved questions as they are, then `questions`
    (dicts of question fields) as new rows."""
    opens = timezone.localtime(survey.opens_at if survey else timezone.now())
    closes = timezone.localtime(survey.closes_at if survey else timezone.now() + timedelta(days=7))
    data = {
        "title": survey.title if survey else "新的调查",
        "description": "",
        "opens_at_0": f"{opens:%Y-%m-%d}",
        "opens_at_1": f"{opens:%H:%M:%S}",
        "closes_at_0": f"{closes:%Y-%m-%d}",
        "closes_at_1": f"{closes:%H:%M:%S}",
        "status": survey.status if survey else Survey.Status.DRAFT,
        "show_results": "on",
    }
    saved = list(survey.questions.prefetch_related("choices")) if survey else []
    rows = [
        {
            "id": str(q.pk),
            "survey": str(survey.pk),
            "order": str(q.order),
            "text": q.text,
            "kind": q.kind,
            "is_required": "on" if q.is_required else "",
            "max_choices": str(q.max_choices),
            "note": q.note,
            "choices_text": "\n".join(c.text for c in q.choices.all()),
        }
        for q in saved
    ]
    rows += [{"max_choices": "0", "note": "", **row} for row in questions]
    data.update(
        {
            "questions-TOTAL_FORMS": str(len(rows)),
            "questions-INITIAL_FORMS": str(len(saved)),
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        data.update({f"questions-{index}-{key}": value for key, value in row.items() if value != ""})
    data.update(fields)
    return data


def errors_of(response):
    return response.content.decode()


# --- writing a survey -------------------------------------------------------------------------------------------------


def test_an_editor_writes_a_draft_with_options_one_per_line_and_cannot_publish_it(client, editor):
    client.force_login(editor)
    rows = [
        question_row(choices="国有企业\n\n  民营企业  \n其他\n"),
        question_row("您最希望的服务", MULTIPLE, "技能培训\n法律援助\n困难帮扶", order="2", max_choices="2"),
        question_row("您的建议", TEXT, "", order="3", is_required=""),
    ]
    response = client.post(ADD_URL, form_data(questions=rows, status=Survey.Status.PUBLISHED))
    assert response.status_code == 302, errors_of(response)
    survey = Survey.objects.get()
    assert survey.status == Survey.Status.DRAFT and survey.created_by == editor
    single, multiple, text = survey.questions.all()
    assert [c.text for c in single.choices.all()] == ["国有企业", "民营企业", "其他"]
    assert multiple.max_choices == 2 and not text.choices.exists() and not text.is_required


def test_options_edited_in_the_textarea_keep_their_rows_by_position(client, reviewer):
    survey = make_survey(status=Survey.Status.DRAFT)
    client.force_login(reviewer)
    question = survey.questions.get(kind=MULTIPLE)
    first = question.choices.get(text="技能培训")
    data = form_data(survey)
    data["questions-0-choices_text"] = "职业技能培训\n法律援助"
    assert client.post(change_url(survey), data).status_code == 302
    assert [c.text for c in question.choices.all()] == ["职业技能培训", "法律援助"]
    assert question.choices.first().pk == first.pk


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (question_row(choices="只有一个"), "单选题和多选题至少要有两个选项，每行写一个。"),
        (question_row(choices="甲\n乙\n甲"), "选项“甲”重复了，请删去一个。"),
        (question_row(choices="甲\n" + "长" * 101), "每个选项最多 100 个字"),
        (question_row(kind=TEXT, choices="甲\n乙"), "简答题不需要选项"),
        (question_row(kind=MULTIPLE, choices="甲\n乙", max_choices="3"), "“最多选几项”不能超过选项个数（2 个）。"),
    ],
)
def test_a_question_with_wrong_options_is_refused_with_a_chinese_message(client, editor, row, message):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(questions=[row]))
    assert response.status_code == 200 and message in errors_of(response)
    assert not Survey.objects.exists()


def test_the_closing_time_must_come_after_the_opening_time(client, editor):
    client.force_login(editor)
    data = form_data(questions=[question_row()])
    data["closes_at_0"] = "2020-01-01"
    response = client.post(ADD_URL, data)
    assert "结束时间必须晚于开始时间。" in errors_of(response) and not Survey.objects.exists()


def test_a_survey_is_published_with_at_least_one_question(client, reviewer):
    client.force_login(reviewer)
    response = client.post(ADD_URL, form_data(status=Survey.Status.PUBLISHED))
    assert "发布前请至少添加一个问题。" in errors_of(response) and not Survey.objects.exists()
    assert client.post(ADD_URL, form_data(questions=[question_row()], status="published")).status_code == 302
    assert Survey.objects.get().status == Survey.Status.PUBLISHED


def test_editors_read_a_published_survey_but_do_not_change_it(client, editor):
    survey = make_survey()
    client.force_login(editor)
    assert client.get(change_url(survey)).status_code == 200  # view only
    response = client.post(change_url(survey), form_data(survey, title="编辑改的标题"))
    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.title == "职工最希望工会提供的服务"


# --- questions locked once answered -----------------------------------------------------------------------------------


@pytest.fixture
def answered(db):
    survey = make_survey()
    add_responses(survey, 5, texts=["请在园区设服务站，联系人王芳13912345678"])
    return survey


def test_once_answered_the_questions_are_shown_locked_and_the_rest_stays_editable(client, reviewer, answered):
    client.force_login(reviewer)
    html = client.get(change_url(answered)).content.decode()
    assert "本调查已收到 5 份答卷：问题和选项已锁定" in html
    assert 'name="questions-0-text"' not in html and "技能培训<br>法律援助<br>困难帮扶" in html
    assert 'name="_questions_locked" value="1"' in html
    data = form_data(answered, title="改过的标题", _questions_locked="1")
    data["questions-0-choices_text"] = "技能培训"  # a page opened locked sends no question fields: ignored anyway
    assert client.post(change_url(answered), data).status_code == 302
    answered.refresh_from_db()
    assert answered.title == "改过的标题"
    assert answered.questions.get(kind=MULTIPLE).choices.count() == 3


def test_a_page_opened_before_the_first_answer_cannot_change_the_questions_after_it(client, reviewer):
    survey = make_survey()
    client.force_login(reviewer)
    client.get(change_url(survey))  # opened while nobody had answered
    add_responses(survey, 1)
    data = form_data(survey)
    data["questions-0-text"] = "完全不同的问题"
    data["questions-1-DELETE"] = "on"
    response = client.post(change_url(survey), data)
    assert response.status_code == 200 and "本调查已收到答卷，问题和选项已锁定" in errors_of(response)
    assert list(survey.questions.values_list("text", flat=True)) == ["您最希望工会提供哪些服务？", "您还有什么建议？"]


def test_the_database_refuses_to_delete_an_answered_question_or_option(answered):
    with pytest.raises(RestrictedError):
        answered.questions.first().delete()
    with pytest.raises(RestrictedError):
        Choice.objects.filter(answers__isnull=False).first().delete()


def test_a_reviewer_deletes_an_answered_survey_with_its_answers(client, reviewer, answered):
    client.force_login(reviewer)
    url = reverse("admin:surveys_survey_delete", args=[answered.pk])
    assert "答卷" in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Survey.objects.exists() and not Response.objects.exists()


def test_copy_as_draft_takes_questions_and_options_but_no_answers(client, editor, answered):
    client.force_login(editor)
    changelist = reverse("admin:surveys_survey_changelist")
    client.post(changelist, {"action": "copy_as_draft", "_selected_action": [answered.pk]})
    copy = Survey.objects.get(title="职工最希望工会提供的服务（副本）")
    assert copy.status == Survey.Status.DRAFT and not copy.responses.exists()
    assert [c.text for c in copy.questions.get(kind=MULTIPLE).choices.all()] == ["技能培训", "法律援助", "困难帮扶"]


# --- results and export -----------------------------------------------------------------------------------------------


def test_the_results_page_shows_counts_and_the_texts_to_those_who_may_see_them(client, reviewer, editor, answered):
    client.force_login(reviewer)
    html = client.get(results_url(answered)).content.decode()
    assert "共 <strong>5</strong> 份答卷" in html and "<svg" in html and "%</td>" in html
    assert "请在园区设服务站" in html  # staff read the 文字意见
    assert "导出（含全部文字意见" in html
    listing = client.get(reverse("admin:surveys_survey_changelist")).content.decode()
    assert "查看结果" in listing
    client.force_login(editor)
    assert client.get(results_url(answered)).status_code == 403
    assert "查看结果" not in client.get(reverse("admin:surveys_survey_changelist")).content.decode()


def test_the_export_holds_the_counts_the_texts_and_every_response_and_is_logged(client, reporter, answered):
    client.force_login(reporter)
    assert client.get(results_url(answered)).status_code == 200
    url = reverse("admin:surveys_survey_export", args=[answered.pk])
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert "%E8%B0%83%E6%9F%A5%E7%BB%93%E6%9E%9C" in response["Content-Disposition"]  # 调查结果 in the file name
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["结果汇总", "文字意见", "答卷明细"]
    summary = [[cell.value for cell in row] for row in book["结果汇总"].iter_rows(min_row=4)]
    multiple = {row[3]: (row[4], row[5], row[6]) for row in summary if row[0] == 1}
    assert set(multiple) == {"技能培训", "法律援助", "困难帮扶"}
    assert all(respondents == 5 for _, _, respondents in multiple.values())
    counts = Response.objects.filter(answers__choice__text="法律援助").count()
    assert multiple["法律援助"][0] == counts and multiple["法律援助"][1] == round(counts * 100 / 5, 1)
    texts = [row[4] for row in book["文字意见"].iter_rows(min_row=4, values_only=True)]
    assert texts == ["请在园区设服务站，联系人王芳13912345678"]
    detail = list(book["答卷明细"].iter_rows(min_row=3, values_only=True))
    assert detail[0][2:] == ("1. 您最希望工会提供哪些服务？", "2. 您还有什么建议？") and len(detail) == 6
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "请在园区设服务站" in csv and "法律援助" in csv
    pdf = client.get(url, {"format": "pdf"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    assert "结果汇总" in text and "请在园区设服务站" in text and "答卷明细" not in text
    assert ExportLog.objects.filter(user=reporter, report__startswith="调查结果").count() == 3


def test_export_needs_the_export_right(client, editor, answered):
    editor.user_permissions.add(Permission.objects.get(codename="view_survey_results"))
    client.force_login(editor)
    assert client.get(results_url(answered)).status_code == 200
    html = client.get(results_url(answered)).content.decode()
    assert "导出（含全部文字意见" not in html
    url = reverse("admin:surveys_survey_export", args=[answered.pk])
    assert client.get(url, {"format": "xlsx"}).status_code == 403
    assert not ExportLog.objects.exists()


# --- the demo ---------------------------------------------------------------------------------------------------------


def test_the_demo_loads_a_closed_survey_with_results_and_an_open_one_and_twice_changes_nothing(client):
    first = load_surveys_demo()
    counts = (Survey.objects.count(), Question.objects.count(), Choice.objects.count(), Response.objects.count())
    assert load_surveys_demo() == first and first[0] == 2
    assert counts == (
        Survey.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
        Response.objects.count(),
    )
    closed, open_ = Survey.objects.order_by("closes_at")
    assert closed.title == "职工最希望工会提供的服务" and closed.questions.get(kind=MULTIPLE).choices.count() == 5
    assert "本次调查共收到 <strong>60</strong> 份答卷" in client.get(closed.get_absolute_url()).content.decode()
    assert 'type="radio"' in client.get(open_.get_absolute_url()).content.decode()
