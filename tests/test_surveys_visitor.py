"""征集调查 as a visitor meets it: the list, the form and every message, answering once, the limits, nothing before it
opens or as a draft, the results only after closing (never the 文字意见), and the page cache following all of it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from union_site.surveys import intake
from union_site.surveys.demo import add_responses, build_survey
from union_site.surveys.models import Answer, Question, Response, Survey

pytestmark = pytest.mark.django_db

SINGLE, MULTIPLE, TEXT = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TEXT
QUESTIONS = [
    ("您所在单位的类型", SINGLE, 0, ["国有企业", "民营企业", "其他"]),
    ("您最希望工会提供哪些服务？", MULTIPLE, 2, ["技能培训", "法律援助", "困难帮扶"]),
    ("您还有什么建议？", TEXT, 0, []),
]


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's clock (which the page cache and the surveys read) forward without waiting."""

    class Clock:
        offset = timedelta()

        def forward(self, **delta):
            self.offset += timedelta(**delta)

    moved = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


def make_survey(title="职工最希望工会提供的服务", opens=-1, closes=1, **fields):
    """A published survey (QUESTIONS) open from `opens` to `closes` days from now."""
    now = timezone.now()
    values = {"status": Survey.Status.PUBLISHED, "opens_at": now + timedelta(days=opens)}
    values["closes_at"] = now + timedelta(days=closes)
    return build_survey(title, QUESTIONS, **{**values, **fields})


@pytest.fixture
def poll(db):
    return make_survey()


def field(survey, number):
    return f"q{survey.questions.all()[number - 1].pk}"


def choice_id(survey, text):
    return str(survey.questions.get(choices__text=text).choices.get(text=text).pk)


def answers(survey, single="国有企业", multiple=("技能培训",), text="希望多办技能培训。", **raw):
    data = {"website": ""}
    if single:
        data[field(survey, 1)] = choice_id(survey, single)
    if multiple:
        data[field(survey, 2)] = [choice_id(survey, name) for name in multiple]
    data[field(survey, 3)] = text
    data.update(raw)
    return data


def send(client, survey, **fields):
    return client.post(survey.get_absolute_url(), answers(survey, **fields))


def page(client, url):
    return client.get(url).content.decode()


# --- the list and the form --------------------------------------------------------------------------------------------


def test_the_list_shows_open_surveys_first_then_closed_ones_with_their_state(client):
    closed = make_survey("去年的调查", opens=-30, closes=-20)
    later = make_survey("下月截止的调查", closes=30)
    soon = make_survey("明天截止的调查", closes=1)
    html = page(client, reverse("surveys:list"))
    assert html.index(soon.title) < html.index(later.title) < html.index(closed.title)
    assert html.count("进行中</span>") == 2 and html.count("已结束</span>") == 1
    assert "0 人参与" in html and "查看结果" in html


def test_the_form_has_a_fieldset_and_legend_per_question_and_works_without_javascript(client, poll):
    html = page(client, poll.get_absolute_url())
    assert html.count('<fieldset class="mb-field sv-question') == 3
    assert "<legend" in html and "1. 您所在单位的类型" in html and "（必答）" in html and "（选答）" in html
    assert 'type="radio"' in html and 'type="checkbox"' in html and "<textarea" in html
    assert "可多选，最多选 2 项。" in html and "最多 500 个字。" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html and "<script" not in html.split("<main")[1]


def test_an_answer_is_saved_whole_and_the_visitor_is_thanked(client, poll):
    response = send(client, poll, multiple=("技能培训", "法律援助"))
    assert response.status_code == 302 and response["Location"] == reverse("surveys:thanks", args=[poll.pk])
    saved = Response.objects.get(survey=poll)
    assert sorted(str(a) for a in saved.answers.all()) == sorted(
        ["国有企业", "技能培训", "法律援助", "希望多办技能培训。"]
    )
    thanks = page(client, response["Location"])
    assert "感谢您的参与" in thanks and "结束后可在本站“征集调查”查看结果" in thanks


def test_a_second_answer_from_the_same_browser_is_refused_in_chinese(client, poll):
    send(client, poll)
    again = send(client, poll, single="其他")
    assert again.status_code == 409 and "您已参与过本次调查" in again.content.decode()
    assert "您已参与过本次调查" in page(client, poll.get_absolute_url())
    assert Response.objects.filter(survey=poll).count() == 1
    other = make_survey("另一项调查")
    assert send(client, other).status_code == 302  # the cookie is per survey


def test_a_forged_or_copied_cookie_does_not_count_as_answered(client, poll):
    other = make_survey("另一项调查")
    send(client, other)
    client.cookies[intake.cookie_name(poll)] = client.cookies[intake.cookie_name(other)].value  # signed for the other
    assert send(client, poll).status_code == 302
    fresh = Client()
    fresh.cookies[intake.cookie_name(poll)] = str(poll.pk)  # not signed at all
    assert send(fresh, poll).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"single": None}, "请选择一项。"),
        ({"multiple": None}, "请至少选择一项。"),
        ({"multiple": ("技能培训", "法律援助", "困难帮扶")}, "最多选择 2 项，您选了 3 项。"),
        ({"text": "字" * 501}, "最多 500 个字，现在是 501 个字。"),
    ],
)
def test_each_mistake_is_named_at_the_top_and_at_the_question_and_nothing_is_saved(client, poll, fields, message):
    response = send(client, poll, **fields)
    html = response.content.decode()
    assert response.status_code == 200 and "提交未成功，请修改以下 1 处" in html
    assert html.count(message) == 2  # the summary (a link to the question) and the question itself
    assert re.search(r'<div class="mb-error-summary" role="alert"', html)
    assert re.search(r'<a href="#id_q\d+(_0)?">\d\. [^<]+：' + re.escape(message), html)
    assert re.search(r'aria-describedby="[^"]*id_q\d+_error"', html)
    assert html.startswith("<!doctype html>") and "<title>错误：" in html
    assert not Response.objects.exists()


def test_an_option_of_another_question_is_refused(client, poll):
    response = send(client, poll, **{field(poll, 1): choice_id(poll, "技能培训")})
    assert "请从列出的选项中选择。" in response.content.decode() and not Response.objects.exists()


def test_a_required_text_question_asks_to_be_filled(client, poll):
    Question.objects.filter(survey=poll, kind=TEXT).update(is_required=True)
    response = send(client, poll, text="   ")
    assert "请填写这一题。" in response.content.decode() and not Response.objects.exists()


def test_what_was_typed_is_kept_on_the_page_after_a_mistake(client, poll):
    html = send(client, poll, single=None, text="保留我写的建议").content.decode()
    assert "保留我写的建议</textarea>" in html
    assert re.search(r'value="\d+"[^>]*checked', html)  # the ticked option stays ticked


def test_control_characters_are_stripped_from_text_answers(client, poll):
    send(client, poll, text="希望\x00多办\x07培训")
    assert Answer.objects.get(question__kind=TEXT).text == "希望多办培训"


def test_the_honeypot_refuses_quietly(client, poll):
    response = send(client, poll, website="http://spam.example")
    assert response.status_code == 400 and "未能提交" in response.content.decode()
    assert not Response.objects.exists()


def test_too_many_answers_from_one_address_get_a_chinese_429(client, poll, monkeypatch):
    monkeypatch.setattr(intake, "ANSWERS_PER_ADDRESS", (2, 3600))
    assert [send(Client(), poll).status_code for _ in range(2)] == [302, 302]
    refused = send(Client(), poll)
    assert refused.status_code == 429 and "同一网络一小时内提交的答卷已达上限" in refused.content.decode()
    assert Response.objects.filter(survey=poll).count() == 2
    assert send(Client(), make_survey("另一项调查")).status_code == 302  # counted per survey


# --- what is public, and when -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields", [{"status": Survey.Status.DRAFT}, {"opens": 1, "closes": 3}], ids=["draft", "not yet open"]
)
def test_a_draft_or_a_survey_not_yet_open_is_nowhere_to_be_seen(client, fields):
    hidden = make_survey("尚未公开的调查", **fields)
    assert hidden.title not in page(client, reverse("surveys:list"))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert send(client, hidden).status_code == 404 and not Response.objects.exists()


def test_staff_preview_a_draft_without_a_submit_button(client, editor):
    draft = make_survey("草稿调查", status=Survey.Status.DRAFT)
    client.force_login(editor)
    html = page(client, draft.get_absolute_url())
    assert "预览：本调查是草稿，访客看不到，也不能提交。" in html and "提交答卷" not in html


def test_results_are_hidden_while_open_and_shown_after_closing_without_the_texts(client, poll, clock):
    send(client, poll, multiple=("技能培训", "法律援助"))
    send(Client(), poll, single="民营企业", multiple=("技能培训",), text="电话13812345678，请联系我")
    send(Client(), poll, single="民营企业", multiple=("困难帮扶",), text="")
    open_page = page(client, poll.get_absolute_url())
    assert "调查结果" not in open_page and "66.7%" not in open_page
    clock.forward(days=2)
    closed = page(Client(), poll.get_absolute_url())
    assert "本次调查共收到 <strong>3</strong> 份答卷" in closed
    assert re.search(
        r"<th scope=\"row\">民营企业</th><td class=\"sv-num\">2</td><td class=\"sv-num\">66.7%</td>", closed
    )
    assert re.search(
        r"<th scope=\"row\">技能培训</th><td class=\"sv-num\">2</td><td class=\"sv-num\">66.7%</td>", closed
    )
    assert closed.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2 and 'role="img"' in closed
    assert "民营企业 2票（66.7%）" in closed  # the chart's description, for screen readers
    assert "共收到 2 条文字意见" in closed and "不在网站公开" in closed
    assert "13812345678" not in closed and "希望多办技能培训" not in closed
    assert "提交答卷" not in closed
    assert "3 人参与" in page(Client(), reverse("surveys:list"))


def test_a_survey_that_keeps_its_results_private_shows_none(client, clock):
    private = make_survey(show_results=False)
    send(client, private)
    clock.forward(days=2)
    html = page(Client(), private.get_absolute_url())
    assert "结果不在网站公布" in html and "国有企业" not in html and "查看结果" not in page(client, "/surveys/")


def test_an_answer_sent_after_the_closing_minute_is_refused_in_chinese(client, poll, clock):
    form_data = answers(poll)
    clock.forward(days=2)
    late = client.post(poll.get_absolute_url(), form_data)
    assert late.status_code == 409 and "您的答卷未能提交" in late.content.decode()
    assert not Response.objects.exists()


def test_the_navigation_links_to_the_surveys(client):
    assert f'href="{reverse("surveys:list")}">征集调查</a>' in page(client, reverse("home"))


def test_what_staff_type_is_escaped_in_the_page_and_the_chart(client, clock):
    survey = build_survey(
        "<script>alert(1)</script>",
        [('"><img src=x onerror=alert(1)>', SINGLE, 0, ["<b>甲</b>", "乙"])],
        status=Survey.Status.PUBLISHED,
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() - timedelta(days=1),
    )
    add_responses(survey, 3)
    for html in (page(client, "/surveys/"), page(client, survey.get_absolute_url())):
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>甲</b>" not in html


# --- the page cache ---------------------------------------------------------------------------------------------------


def test_the_answer_post_works_with_the_cache_on_and_is_never_stored(client, poll):
    assert client.get("/surveys/")["X-Cache"] == "MISS"
    assert client.get("/surveys/")["X-Cache"] == "HIT"
    form_page = client.get(poll.get_absolute_url())
    assert form_page["X-Cache"] == "MISS" and "no-cache" in form_page["Cache-Control"]
    assert client.get(poll.get_absolute_url())["X-Cache"] == "MISS"  # a form (and its CSRF token) is never shared
    posted = send(client, poll)
    assert posted.status_code == 302 and posted["X-Cache"] == "BYPASS"
    assert "您已参与过本次调查" in page(client, poll.get_absolute_url())  # this visitor's page, not a shared one
    assert "您已参与过" not in page(Client(), poll.get_absolute_url())
    assert client.get("/surveys/")["X-Cache"] == "HIT"  # an answer changes nothing a cached page shows


def test_a_survey_appears_and_closes_at_its_minute_on_the_cached_list(client, clock, settings):
    settings.PAGE_CACHE_SECONDS = 600
    make_survey("早就开始的调查", opens=-3, closes=30)
    coming = make_survey("半小时后开始的调查")
    opens = timezone.now() + timedelta(minutes=30)
    Survey.objects.filter(pk=coming.pk).update(opens_at=opens, closes_at=opens + timedelta(minutes=12))
    assert coming.title not in page(client, "/surveys/")
    assert client.get("/surveys/")["X-Cache"] == "HIT"  # nothing changes within the cache's 10 minutes
    clock.forward(minutes=25)
    assert coming.title not in page(client, "/surveys/")
    assert client.get("/surveys/")["X-Cache"] == "MISS"  # it opens in 5 minutes: the list is not kept
    clock.forward(minutes=6)
    assert re.search(r"进行中</span><a href=\"/surveys/\d+/\">半小时后开始的调查", page(client, "/surveys/"))
    assert client.get("/surveys/")["X-Cache"] == "HIT"  # it closes in 11 minutes: kept for 10
    clock.forward(minutes=12)
    assert re.search(r"已结束</span><a href=\"/surveys/\d+/\">半小时后开始的调查", page(client, "/surveys/"))
    assert "本次调查共收到" in page(client, coming.get_absolute_url())


def test_a_change_in_the_admin_shows_on_the_cached_pages_at_once(client, clock):
    closed = make_survey("已结束的调查", opens=-5, closes=-1)
    for url in ["/surveys/", closed.get_absolute_url()]:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    closed.title = "改过标题的调查"
    closed.save()
    for url in ["/surveys/", closed.get_absolute_url()]:
        assert "改过标题的调查" in page(client, url)


def test_an_answer_committed_after_the_closing_minute_ends_the_cached_results(
    client, poll, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        intake.save_response(poll, [])  # checked while open, committed after the minute below
    clock.forward(days=2)
    client.get(poll.get_absolute_url())
    assert client.get(poll.get_absolute_url())["X-Cache"] == "HIT"
    for callback in callbacks:
        callback()
    assert client.get(poll.get_absolute_url())["X-Cache"] == "MISS"


def test_public_pages_take_a_few_queries_however_many_surveys_and_answers(client, django_assert_max_num_queries):
    for n in range(12):
        survey = make_survey(f"调查{n}", opens=-10, closes=-1 if n % 2 else 5)
        add_responses(survey, 20)
    with django_assert_max_num_queries(8):
        assert client.get("/surveys/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(Survey.objects.filter(title="调查1").get().get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(Survey.objects.filter(title="调查0").get().get_absolute_url()).status_code == 200
