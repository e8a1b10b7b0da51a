"""征集调查's demo content (load_demo, union_site/demo/loader.py): a closed survey with its results published and an
open one, marked 演示内容 and matched on their titles; their dates follow today's. The closed one's answers are made
once (a survey that already has answers is left with them), spread by a fixed rule so every run gives the same
results."""

from datetime import timedelta

from django.utils import timezone

from union_site.surveys.models import Answer, Choice, Question, Response, Survey

SINGLE, MULTIPLE, TEXT = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TEXT
SURVEYS = [
    {
        "title": "职工最希望工会提供的服务",
        "description": (
            "为更好地了解全市职工的需求，把工会服务做到职工心坎上，市总工会开展本次问卷调查。\n\n"
            "调查不记名，结果将作为明年工会服务项目安排的参考。"
        ),
        "opens_days": -40,
        "closes_days": -10,
        "responses": 60,
        "questions": [
            (
                "您所在单位的类型",
                SINGLE,
                0,
                ["国有企业", "民营企业", "机关事业单位", "新就业形态（快递、外卖、网约车等）", "其他"],
            ),
            (
                "您最希望工会提供哪些服务？",
                MULTIPLE,
                3,
                ["职工技能培训", "法律援助与劳动维权", "困难职工帮扶", "子女托管与助学", "健康体检与疗休养"],
            ),
            ("您对工会服务还有哪些建议？", TEXT, 0, []),
        ],
    },
    {
        "title": "2026年职工文体活动意向调查",
        "description": "市总工会计划举办系列职工文体活动，请告诉我们您最想参加的活动和方便的时间。",
        "opens_days": -3,
        "closes_days": 30,
        "responses": 8,
        "questions": [
            ("您最想参加哪类文体活动？", SINGLE, 0, ["职工运动会", "读书分享会", "书法摄影展", "广场舞、健步走"]),
            ("您方便参加活动的时间（可多选）", MULTIPLE, 0, ["工作日晚上", "周六", "周日"]),
            ("其他想法或建议", TEXT, 0, []),
        ],
    },
]
SUGGESTIONS = [
    "希望技能培训能安排在周末，并且和职称评定挂钩。",
    "建议在工业园区设立职工服务站，就近办理业务。",
    "困难职工帮扶的申请流程能否再简化一些？",
    "希望多组织一些适合年轻职工的交友和文体活动。",
]


def _picks(index, question_number, choice_count, kind):
    """The options (their positions) the index-th demo respondent picks: a fixed, uneven spread."""
    if kind == SINGLE:
        return [(index * 7 + question_number) % 11 % choice_count]
    first = (index * 3) % choice_count
    picks = {first, 1 % choice_count}
    if index % 3 == 0:
        picks.add((index // 3) % choice_count)
    return sorted(picks)[:3]


def build_survey(title, questions, *, is_demo=False, **fields):
    """The survey `title` with `questions` [(text, kind, max_choices, [options])], made or brought up to date: matched
    on its title (and is_demo), a question on its number, an option on its position; `fields` are Survey fields.
    The demo's builder, and the tests'."""
    survey, _ = Survey.objects.update_or_create(title=title, is_demo=is_demo, defaults=fields)
    for order, (text, kind, max_choices, choices) in enumerate(questions, start=1):
        question, _ = Question.objects.update_or_create(
            survey=survey,
            order=order,
            defaults={"text": text, "kind": kind, "max_choices": max_choices, "is_required": kind != TEXT},
        )
        for position, choice in enumerate(choices, start=1):
            Choice.objects.update_or_create(question=question, order=position, defaults={"text": choice})
    return survey


def add_responses(survey, count, texts=SUGGESTIONS, *, is_demo=True):
    """`count` responses spread over the survey's time so far, the options picked by a fixed, uneven rule; every
    fifth respondent writes one of `texts` into each 简答题."""
    questions = [(question, list(question.choices.all())) for question in survey.questions.prefetch_related("choices")]
    start, end = survey.opens_at, min(survey.closes_at, timezone.now())
    step = (end - start) / (count + 1)
    responses = Response.objects.bulk_create(
        Response(survey=survey, submitted_at=start + step * (n + 1), is_demo=is_demo) for n in range(count)
    )
    answers = []
    for index, response in enumerate(responses):
        for number, (question, choices) in enumerate(questions):
            if question.kind == TEXT:
                if index % 5 == 0:
                    answers.append(Answer(response=response, question=question, text=texts[index // 5 % len(texts)]))
                continue
            for position in _picks(index, number, len(choices), question.kind):
                answers.append(Answer(response=response, question=question, choice=choices[position]))
    Answer.objects.bulk_create(answers)


def load_surveys_demo():
    """Returns (surveys, responses) counts."""
    now = timezone.now()
    surveys = []
    for item in SURVEYS:
        survey = build_survey(
            item["title"],
            item["questions"],
            is_demo=True,
            description=item["description"],
            status=Survey.Status.PUBLISHED,
            opens_at=now + timedelta(days=item["opens_days"]),
            closes_at=now + timedelta(days=item["closes_days"]),
            show_results=True,
        )
        if not survey.responses.exists():
            add_responses(survey, item["responses"])
        surveys.append(survey)
    return len(surveys), Response.objects.filter(survey__in=surveys).count()
