"""主席信箱 in the admin: who may take which step, the list's due-date labels, the dashboard counts, the e-mail to the
handling staff, and what a visitor typed staying inert in every staff sink."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from union_site.mailbox import workflow
from union_site.mailbox.models import Department, Letter, LetterStep
from union_site.mailbox.tasks import notify_handlers

pytestmark = pytest.mark.django_db

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
Status = Letter.Status


def change_url(letter):
    return reverse("admin:mailbox_letter_change", args=[letter.pk])


def post_step(client, letter, step, **fields):
    letter.refresh_from_db()
    data = {
        "department": letter.department_id or "",
        "reject_reason": letter.reject_reason,
        "reply": letter.reply,
        "public_title": letter.public_title,
        "public_content": letter.public_content,
        "step_note": "",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": str(letter.steps.count()),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "_step": step,
    }
    data.update(fields)
    return client.post(change_url(letter), data)


@pytest.fixture
def department(db):
    return Department.objects.create(name="权益保障部")


# --- the permission matrix ---

MATRIX = {
    # step: (handler may, reviewer may, editor may, reporter may)
    "accept": (True, True, False, False),
    "forward": (True, True, False, False),
    "reply": (True, True, False, False),
    "approve": (False, True, False, False),
    "close": (True, True, False, False),
    "reject": (True, True, False, False),
    "publish": (False, True, False, False),
}
READY = {  # the state each step starts from
    "accept": {"status": Status.RECEIVED},
    "forward": {"status": Status.ACCEPTED},
    "reply": {"status": Status.ACCEPTED, "reply": "答复"},
    "approve": {"status": Status.REPLIED, "reply": "答复"},
    "close": {"status": Status.REPLIED, "reply": "答复", "reviewed": True},
    "reject": {"status": Status.RECEIVED, "reject_reason": "不属于工会职责"},
    "publish": {"status": Status.CLOSED, "reply": "答复", "reviewed": True, "may_publish": True},
}


@pytest.mark.parametrize("step", list(MATRIX))
def test_who_may_take_each_step(step, make_letter, department, mailbox_handler, reviewer, editor, reporter):
    for user, may in zip([mailbox_handler, reviewer, editor, reporter], MATRIX[step], strict=True):
        ready = dict(READY[step])
        reviewed = ready.pop("reviewed", False)
        letter, _ = make_letter(department=department, **ready)
        if reviewed or ready["status"] == Status.REPLIED:
            letter.replied_at = timezone.now()
        if reviewed:
            letter.reply_reviewed_at = timezone.now()
        letter.save()
        if may:
            recorded = workflow.take(letter, step, user)
            assert recorded.by == user and recorded.by_name == user.username
        else:
            with pytest.raises(workflow.NotAllowed, match="您没有这项权限"):
                workflow.take(letter, step, user)


def test_steps_refuse_without_what_they_need(make_letter, mailbox_handler, reviewer):
    letter, _ = make_letter(status=Status.ACCEPTED)
    with pytest.raises(workflow.NotAllowed, match="转办前请选择承办部门"):
        workflow.take(letter, "forward", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="请先填写答复内容"):
        workflow.take(letter, "reply", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="不予受理须填写理由"):
        workflow.take(letter, "reject", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="不能“办结”"):
        workflow.take(letter, "close", mailbox_handler)
    letter.reply = "答复"
    workflow.take(letter, "reply", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="答复须先审核通过"):
        workflow.take(letter, "close", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="来信人未同意公开"):
        workflow.take(letter, "publish", reviewer)


def test_a_reviewer_sends_a_reply_back_with_a_reason(make_letter, department, mailbox_handler, reviewer):
    letter, _ = make_letter(status=Status.FORWARDED, department=department, reply="答复")
    workflow.take(letter, "reply", mailbox_handler)
    with pytest.raises(workflow.NotAllowed, match="写明退回的原因"):
        workflow.take(letter, "send_back", reviewer)
    workflow.take(letter, "send_back", reviewer, "请补充办理依据")
    assert letter.status == Status.FORWARDED and letter.replied_at is None
    assert letter.steps.last().note == "请补充办理依据"


def test_the_whole_path_through_the_admin_records_each_step(client, make_letter, department, mailbox_handler, reviewer):
    letter, _ = make_letter(may_publish=True, name="张三", content="我是张三，电话13812345678，想了解入会。")
    client.force_login(mailbox_handler)
    assert post_step(client, letter, "accept").status_code == 302
    refused = post_step(client, letter, "forward")
    assert refused.status_code == 200 and "转办前请选择承办部门" in refused.content.decode()
    post_step(client, letter, "forward", department=department.pk)
    post_step(client, letter, "reply", reply="张三同志：可通过齐鲁工惠App入会。")
    client.force_login(reviewer)
    post_step(client, letter, "approve")
    client.force_login(mailbox_handler)
    post_step(client, letter, "close")
    client.force_login(reviewer)
    post_step(client, letter, "publish")
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.is_published and letter.department == department
    assert letter.public_content == "我是张**，电话138****5678，想了解入会。"
    assert letter.content.startswith("我是张三")  # the original stays
    steps = list(letter.steps.values_list("action", "by_name"))
    assert steps == [
        ("受理", "handler1"),
        ("转办", "handler1"),
        ("答复", "handler1"),
        ("审核通过", "reviewer1"),
        ("办结", "handler1"),
        ("公开", "reviewer1"),
    ]
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "张三" not in page and "张**" in page


def test_the_original_letter_cannot_be_changed_in_the_admin(client, make_letter, mailbox_handler):
    letter, _ = make_letter(title="原标题")
    client.force_login(mailbox_handler)
    post_step(client, letter, "", title="改过的标题", _save="1")
    letter.refresh_from_db()
    assert letter.title == "原标题"


def test_editors_and_reporters_do_not_see_letters(client, make_letter, editor, reporter):
    letter, _ = make_letter()
    for user in (editor, reporter):
        client.force_login(user)
        assert client.get(change_url(letter)).status_code == 403


# --- the list and the dashboard ---


def test_overdue_letters_come_first_with_a_label_not_only_a_colour(client, make_letter, mailbox_handler):
    today = timezone.localdate()
    fresh, _ = make_letter(title="新来信")
    late, _ = make_letter(title="超期来信")
    Letter.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=1))
    old, _ = make_letter(title="陈年来信")
    Letter.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=91), due_on=today)
    client.force_login(mailbox_handler)
    page = client.get(reverse("admin:mailbox_letter_changelist")).content.decode()
    assert page.index("超期来信") < page.index("新来信")
    assert '<span class="mb-due mb-due-overdue">已超期</span>' in page
    assert '<span class="mb-due mb-due-stale">超过90天未答复</span>' in page
    soon, _ = make_letter(title="快到期")
    Letter.objects.filter(pk=soon.pk).update(due_on=today)
    page = client.get(reverse("admin:mailbox_letter_changelist"), {"urgency": "soon"}).content.decode()
    assert "快到期" in page and "即将到期" in page and "新来信" not in page


def test_the_dashboard_shows_the_counts_to_whoever_can_act(client, make_letter, mailbox_handler, reviewer, editor):
    make_letter()
    late, _ = make_letter()
    Letter.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    client.force_login(mailbox_handler)
    page = client.get(reverse("admin:index")).content.decode()
    assert "待受理</a>：<strong>2</strong>" in page and "已超期</a>：<strong>1</strong>" in page
    assert "答复待审核" not in page
    client.force_login(reviewer)
    assert "答复待审核" in client.get(reverse("admin:index")).content.decode()
    client.force_login(editor)
    assert 'id="mailbox-counts"' not in client.get(reverse("admin:index")).content.decode()


# --- the notice to staff ---


def test_a_new_letter_queues_the_notice_and_the_task_mails_the_handlers(
    client, mailbox_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mailbox:new"),
            {
                "letter_type": "complaint",
                "title": "拖欠加班费",
                "content": "单位三个月没有发加班费，希望工会协调。",
                "name": "孙立强",
                "phone": "15666001234",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    letter = Letter.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "union_site.mailbox.tasks.notify_handlers" and task.args_kwargs["args"] == [letter.pk]
    assert mail.outbox == []  # not sent during the visitor's request
    assert notify_handlers.call(letter.pk) == 1
    message = mail.outbox[0]
    assert message.to == ["handler1@example.com"] and "拖欠加班费" in message.body
    assert "孙立强" not in message.body and "15666001234" not in message.body
    assert change_url(letter) in message.body


def test_a_failed_enqueue_keeps_the_letter(client, monkeypatch, django_capture_on_commit_callbacks, caplog):
    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("union_site.mailbox.tasks.notify_handlers", SimpleNamespace(enqueue=refuse))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mailbox:new"),
            {
                "letter_type": "help",
                "title": "求助",
                "content": "家里有困难，想申请帮扶。",
                "name": "王五",
                "phone": "13900001111",
                "consent": "on",
            },
        )
    assert Letter.objects.count() == 1 and "新来信通知未能排队" in caplog.text


# --- escaping in staff sinks ---


@pytest.mark.parametrize("payload", XSS)
def test_what_a_visitor_typed_is_inert_in_the_admin_and_the_email(client, make_letter, mailbox_handler, payload):
    letter, _ = make_letter(
        title=f"标题{payload}"[:100], content=f"内容{payload}", name=f"赵{payload}"[:20], unit=f"单位{payload}"
    )
    client.force_login(mailbox_handler)
    for url in [reverse("admin:mailbox_letter_changelist"), change_url(letter), reverse("admin:index")]:
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    notify_handlers.call(letter.pk)
    message = mail.outbox[0]
    assert payload in message.body and not message.alternatives  # plain text only: nothing to render
    assert LetterStep.objects.count() == 0


def test_the_monthly_rows_count_each_event_in_its_month(make_letter, mailbox_handler):
    from union_site.mailbox.reports import letter_month_rows

    arrived = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))  # Monday
    letter, _ = make_letter(received_at=arrived, reply="答复")
    Letter.objects.filter(pk=letter.pk).update(
        status=Status.CLOSED,
        accepted_at=arrived,
        replied_at=arrived + timedelta(days=2),
        closed_at=arrived + timedelta(days=3),
    )
    late, _ = make_letter(received_at=arrived, letter_type=Letter.Type.COMPLAINT)
    rows = letter_month_rows(arrived - timedelta(days=1), arrived + timedelta(days=40))
    # 收到, 受理, 办结, 不予受理, 超期, 平均办理天数, 公开
    assert rows == [["2026-03", "投诉", 1, 0, 0, 0, 1, None, 0], ["2026-03", "咨询", 1, 1, 1, 0, 0, 2.0, 0]]


def test_only_a_public_letter_ends_the_cached_pages(client, make_letter, django_capture_on_commit_callbacks):
    from union_site.common import generation

    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        letter, _ = make_letter()  # a visitor's new letter: nothing public changed
        letter.status = letter.Status.ACCEPTED
        letter.save()
    assert generation.current() == before  # the whole site's cached pages are still good
    with django_capture_on_commit_callbacks(execute=True):
        letter.is_published = True
        letter.save()
    published = generation.current()
    assert published != before
    with django_capture_on_commit_callbacks(execute=True):
        letter.is_published = False  # withdrawn: the public list changes again
        letter.save()
    assert generation.current() != published
