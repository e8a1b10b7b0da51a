"""调查结果 as a report (union_site/reports/writers.py writes it as Excel, CSV or PDF): staff only, and the one place
where the 简答 (文字意见) leave the database.

    result_rows(survey)     [[题号, 题目, 题型, 选项, 票数, 比例（%）, 本题作答人数]], a 简答题 as one row of its count
    text_rows(survey)       [[题号, 题目, 答卷编号, 提交时间, 内容]] every 简答, question by question
    response_rows(survey, questions)   one row per 答卷: 编号, 提交时间, then each question's answer (Excel and CSV)
    survey_document(survey, fmt)       the report
    year_counts(start, end)            征集调查 of a period for 网站年度工作报表's 互动交流 rows
"""

import re

from django.utils import timezone

from union_site.reports import writers
from union_site.reports.writers import Column, Document, Table
from union_site.surveys.models import Question, Response, Survey
from union_site.surveys.results import survey_results, text_answers

INTEGER, ONE_DECIMAL = "#,##0", "0.0"
TEXT_ANSWER = "（文字意见）"
CHUNK = 500
SAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def result_rows(survey, results=None):
    for result in results or survey_results(survey):
        question = result.question
        head = [result.number, question.text, str(question.get_kind_display())]
        if not result.has_choices:
            yield [*head, TEXT_ANSWER, result.respondents, None, result.respondents]
            continue
        for choice in result.choices:
            yield [*head, choice.text, choice.count, choice.percent, result.respondents]


def text_rows(survey):
    for number, question in enumerate(survey.questions.all(), start=1):
        if question.kind != Question.Kind.TEXT:
            continue
        for answer in text_answers(question).order_by("response__submitted_at", "id").iterator(chunk_size=CHUNK):
            yield [number, question.text, answer.response_id, answer.response.submitted_at, answer.text]


def response_rows(survey, questions):
    responses = survey.responses.prefetch_related("answers__choice").order_by("submitted_at", "id")
    for response in responses.iterator(chunk_size=CHUNK):
        given = {}
        for answer in response.answers.all():
            given.setdefault(answer.question_id, []).append(answer)
        row = [response.pk, response.submitted_at]
        for question in questions:
            answers = given.get(question.pk, [])
            if question.has_choices:
                picked = sorted((a.choice for a in answers), key=lambda choice: (choice.order, choice.pk))
                row.append("、".join(choice.text for choice in picked))
            else:
                row.append(answers[0].text if answers else "")
        yield row


def survey_document(survey, fmt=writers.XLSX):
    """The results, the 文字意见, and (not in a PDF, which is for reading: the table is as wide as the survey has
    questions) every 答卷 with its answers."""
    results = survey_results(survey)
    count = survey.responses.count()
    tables = [
        Table(
            "结果汇总",
            [
                Column("题号", INTEGER),
                Column("题目", width=40, wrap=True),
                Column("题型"),
                Column("选项", width=30, wrap=True),
                Column("票数", INTEGER),
                Column("比例（%）", ONE_DECIMAL),
                Column("本题作答人数", INTEGER),
            ],
            list(result_rows(survey, results)),
            note="比例为选择该项的人数占本题作答人数的比例；多选题合计可超过100%。",
        ),
        Table(
            "文字意见",
            [
                Column("题号", INTEGER),
                Column("题目", width=30, wrap=True),
                Column("答卷编号", INTEGER),
                Column("提交时间"),
                Column("内容", width=60, wrap=True),
            ],
            text_rows(survey),
            note="访客填写的原文，仅供内部研究，不对外公开。",
        ),
    ]
    if fmt != writers.PDF:
        questions = [result.question for result in results]
        tables.append(
            Table(
                "答卷明细",
                [
                    Column("答卷编号", INTEGER),
                    Column("提交时间"),
                    *(Column(f"{n}. {q.text}", width=24, wrap=True) for n, q in enumerate(questions, 1)),
                ],
                response_rows(survey, questions),
                note="每行一份答卷；多选题的各项以“、”分隔。",
            )
        )
    return Document(
        title=f"调查结果：{survey.title}",
        short_name="调查结果_" + (SAFE_NAME.sub("", survey.title)[:20] or str(survey.pk)),
        source="本站征集调查的答卷（不含答卷人的任何个人信息）；文字意见仅供内部使用",
        tables=tables,
        filters=[
            ("调查", survey.title),
            ("调查时间", f"{writers.text_of(survey.opens_at)} 至 {writers.text_of(survey.closes_at)}"),
            ("状态", str(survey.phase_label)),
            ("答卷", f"{count} 份"),
        ],
    )


def year_counts(start, end):
    """(调查期数: published surveys that opened in [start, end), 收到意见数量: their answers, 公布调查结果期数: those
    that closed in the period with their results published), as the national 网站年度工作报表 counts 征集调查."""
    published = Survey.objects.filter(status=Survey.Status.PUBLISHED)
    held = published.filter(opens_at__gte=start, opens_at__lt=end)
    answers = Response.objects.filter(survey__in=held).count()
    shown = published.filter(show_results=True, closes_at__gte=start, closes_at__lt=min(end, timezone.now())).count()
    return held.count(), answers, shown
