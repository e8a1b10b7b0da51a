"""主席信箱 as a visitor meets it: the form and its messages, the 查询码, the lookup, the limits, and nothing public
before staff publish it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from union_site.mailbox import codes, sms
from union_site.mailbox.models import Letter

pytestmark = pytest.mark.django_db

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def form_data(**fields):
    values = {
        "letter_type": "consult",
        "title": "咨询入会手续",
        "content": "我是快递员，想问问怎样加入工会，需要什么材料。",
        "name": "张三",
        "phone": "13812345678",
        "unit": "",
        "email": "",
        "consent": "on",
        "website": "",
    }
    values.update(fields)
    return values


def send(client, **fields):
    return client.post(reverse("mailbox:new"), form_data(**fields), follow=True)


def shown_code(response):
    return re.search(r'<p class="mb-code" lang="en">([A-Z0-9-]+)</p>', response.content.decode())[1]


def query(client, code):
    return client.post(reverse("mailbox:query"), {"code": code})


def publish(letter, reply="您好，可通过齐鲁工惠App申请入会。"):
    letter.status, letter.reply, letter.replied_at = Letter.Status.CLOSED, reply, timezone.now()
    letter.reply_reviewed_at = timezone.now()
    letter.may_publish = letter.is_published = True
    letter.published_at = timezone.now()
    letter.save()


def test_the_form_page_explains_the_reply_time_and_shows_the_notice(client):
    page = client.get(reverse("mailbox:new")).content.decode()
    assert "5 个工作日" in page and "15 个工作日" in page
    assert "个人信息处理说明" in page and "仅用于办理、答复您的来信" in page
    assert 'aria-describedby="id_consent_helptext' not in page  # the consent names the notice instead
    assert 'aria-describedby="mailbox-notice"' in page


def test_a_letter_is_saved_and_its_code_shown_once(client):
    response = send(client)
    code = shown_code(response)
    letter = Letter.objects.get()
    assert letter.status == Letter.Status.RECEIVED and not letter.may_publish and not letter.is_published
    assert letter.query_code_digest == codes.digest(code) and code.replace("-", "") not in str(letter.pk)
    assert "查询码只显示这一次" in response.content.decode()
    again = client.get(reverse("mailbox:sent")).content.decode()
    assert code not in again and "查询码已显示过" in again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"letter_type": ""}, "请选择来信类型。"),
        ({"letter_type": "other"}, "请从列出的类型中选择。"),
        ({"title": ""}, "请填写标题。"),
        ({"title": "题" * 101}, "标题最多 100 个字，现在是 101 个字。"),
        ({"content": ""}, "请填写来信内容。"),
        ({"content": "太短"}, "来信内容至少 10 个字，请把事情写清楚。"),
        ({"content": "长" * 2001}, "来信内容最多 2000 个字，现在是 2001 个字。"),
        ({"name": ""}, "请填写姓名。"),
        ({"name": "名" * 21}, "姓名最多 20 个字。"),
        ({"phone": ""}, "请填写联系电话。"),
        ({"phone": "12345"}, "请填写正确的手机号码或固定电话，如 13812345678 或 0543-1234567。"),
        ({"unit": "单" * 101}, "工作单位最多 100 个字。"),
        ({"email": "not-an-email"}, "电子邮箱格式不正确，如 name@example.com。"),
        ({"consent": ""}, "请阅读并勾选同意《个人信息处理说明》，否则无法受理来信。"),
    ],
)
def test_each_mistake_is_named_at_the_top_and_at_the_field(client, fields, message):
    response = client.post(reverse("mailbox:new"), form_data(**fields))
    page = response.content.decode()
    assert response.status_code == 200 and not Letter.objects.exists()
    assert "提交未成功，请修改以下 1 处" in page and 'role="alert"' in page
    assert page.count(message) == 2  # the summary and the field
    assert page.startswith("<!doctype html>") and "<title>错误：" in page
    field = re.search(r'<p class="mb-error" id="(id_\w+)_error">', page)[1]
    assert f'href="#{field}' in page
    assert re.search(rf'aria-describedby="[^"]*{field}_error[ "]', page)
    assert 'aria-invalid="true"' in page or "radioselect" in field or field == "id_letter_type"


def test_control_characters_are_stripped_and_landlines_accepted(client):
    send(client, title="咨询\x00入会\x1b手续", phone="0543-3186000")
    letter = Letter.objects.get()
    assert letter.title == "咨询入会手续" and letter.phone == "0543-3186000"


def test_the_honeypot_refuses_quietly(client):
    response = client.post(reverse("mailbox:new"), form_data(website="http://spam.example"))
    assert response.status_code == 400 and "未能提交" in response.content.decode()
    assert not Letter.objects.exists()


def test_three_letters_an_hour_per_address_then_429_in_chinese(client):
    for n in range(3):
        send(client, phone=f"1381234567{n}")
    response = client.post(reverse("mailbox:new"), form_data(phone="13912345678"))
    assert response.status_code == 429 and "一小时内提交的来信已达上限" in response.content.decode()
    assert Letter.objects.count() == 3


def test_three_letters_an_hour_per_phone_from_any_address(client):
    for n in range(3):
        client.post(reverse("mailbox:new"), form_data(), REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(reverse("mailbox:new"), form_data(), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429 and Letter.objects.count() == 3


def test_the_right_code_shows_the_status_and_a_wrong_one_a_chinese_message(client, make_letter):
    letter, code = make_letter(title="关于入会")
    page = query(client, codes.display(code).lower()).content.decode()
    assert '办理状态：<span class="mb-status">已收到</span>' in page and "关于入会" in page
    wrong = query(client, "ABCD-EFGH-JKMN").content.decode()
    assert "没有找到这个查询码对应的来信" in wrong and "关于入会" not in wrong
    assert "请填写查询码。" in query(client, "").content.decode()


def test_the_reply_shows_only_once_answered_and_reviewed(client, make_letter):
    letter, code = make_letter()
    letter.status, letter.reply, letter.replied_at = Letter.Status.REPLIED, "答复：请带身份证办理。", timezone.now()
    letter.save()
    page = query(client, code).content.decode()
    assert "办理中" in page and "请带身份证办理" not in page
    letter.reply_reviewed_at = timezone.now()
    letter.save()
    page = query(client, code).content.decode()
    assert "已答复" in page and "请带身份证办理" in page


def test_a_rejected_letter_shows_the_reason(client, make_letter):
    letter, code = make_letter(status=Letter.Status.REJECTED, reject_reason="不属于工会职责范围，请向人社部门反映。")
    page = query(client, code).content.decode()
    assert "不予受理" in page and "请向人社部门反映" in page


def test_brute_force_on_codes_gets_429(client, make_letter):
    letter, code = make_letter()
    for _ in range(10):
        assert query(client, codes.display(codes.new_code())).status_code == 200
    response = query(client, code)
    assert response.status_code == 429 and "查询码输错的次数太多" in response.content.decode()


def test_nothing_is_public_before_staff_publish(client, make_letter):
    letter, _ = make_letter(title="尚未公开的来信", may_publish=True)
    assert "尚未公开的来信" not in client.get(reverse("mailbox:list")).content.decode()
    assert client.get(letter.get_absolute_url()).status_code == 404
    letter.status, letter.reply, letter.replied_at = Letter.Status.REPLIED, "答复", timezone.now()
    letter.save()
    assert client.get(letter.get_absolute_url()).status_code == 404
    publish(letter)
    assert "尚未公开的来信" in client.get(reverse("mailbox:list")).content.decode()
    assert client.get(letter.get_absolute_url()).status_code == 200


def test_the_published_letter_shows_the_four_fields_masked(client, make_letter):
    letter, _ = make_letter(
        name="李小明",
        content="我是李小明，电话13812345678，身份证372301199001011234，邮箱lxm@example.com，请回复。",
    )
    letter.department = letter.department or __import__(
        "union_site.mailbox.models", fromlist=["Department"]
    ).Department.objects.create(name="权益保障部")
    publish(letter, reply="李小明同志：已联系您的单位，电话13812345678已回访。")
    page = client.get(letter.get_absolute_url()).content.decode()
    for label in ["受理日期", "答复日期", "答复部门", "答复内容", "权益保障部"]:
        assert label in page
    assert "李小明" not in page and "13812345678" not in page and "372301199001011234" not in page
    assert "lxm@example.com" not in page
    assert "李**" in page and "138****5678" in page and "372***********1234" in page and "l***@example.com" in page


def test_the_list_filters_by_type_and_searches_the_public_wording(client, make_letter):
    consult, _ = make_letter(title="入会咨询")
    complaint, _ = make_letter(title="拖欠工资投诉", letter_type=Letter.Type.COMPLAINT, name="王五")
    publish(consult)
    publish(complaint)
    Letter.objects.filter(pk=complaint.pk).update(public_title="拖欠工资投诉")
    by_type = client.get(reverse("mailbox:list"), {"type": "complaint"}).content.decode()
    assert "拖欠工资投诉" in by_type and "入会咨询" not in by_type
    found = client.get(reverse("mailbox:list"), {"q": "工资"}).content.decode()
    assert "拖欠工资投诉" in found and "入会咨询" not in found
    by_name = client.get(reverse("mailbox:list"), {"q": "王五"}).content.decode()  # the writer's name: not searchable
    assert "没有找到符合条件的来信" in by_name


def test_the_list_is_paginated_newest_first(client, make_letter, django_assert_max_num_queries):
    for n in range(17):
        letter, _ = make_letter(title=f"来信{n:02d}")
        publish(letter)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("mailbox:list")).content.decode()
    assert "来信16" in first and "来信00" not in first and "第 1 / 2 页" in first
    assert "来信00" in client.get(reverse("mailbox:list"), {"page": 2}).content.decode()


@pytest.mark.parametrize("payload", XSS)
def test_what_a_visitor_types_is_escaped_on_every_public_page(client, payload):
    response = send(
        client,
        title=f"标题{payload}",
        content=f"内容{payload}内容内容",
        name=f"赵{payload}"[:20],
        unit=f"单位{payload}",
        may_publish="on",
    )
    code = shown_code(response)
    letter = Letter.objects.get()
    publish(letter, reply=f"答复{payload}")
    Letter.objects.filter(pk=letter.pk).update(public_title="", public_content="")
    pages = [
        query(client, code).content.decode(),
        client.get(reverse("mailbox:list")).content.decode(),
        client.get(letter.get_absolute_url()).content.decode(),
    ]
    for page in pages:
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0] or "&quot;&gt;&lt;img src=x" in pages[0]


def test_with_the_sms_check_on_a_letter_needs_the_code_sent_to_the_phone(client, settings):
    settings.MAILBOX_SMS_BACKEND = "union_site.mailbox.sms.ConsoleBackend"
    sent = []
    settings_backend = sms.ConsoleBackend.send
    sms.ConsoleBackend.send = lambda self, phone, message: sent.append((phone, message))
    try:
        page = client.post(reverse("mailbox:new"), form_data(send_code="1")).content.decode()
        assert "验证码已发送到 13812345678" in page and len(sent) == 1
        code = re.search(r"验证码是 (\d{6})", sent[0][1])[1]
        wrong = client.post(reverse("mailbox:new"), form_data(sms_code="000000" if code != "000000" else "111111"))
        assert "短信验证码不正确或已过期" in wrong.content.decode() and not Letter.objects.exists()
        client.post(reverse("mailbox:new"), form_data(send_code="1"))
        code = re.search(r"验证码是 (\d{6})", sent[-1][1])[1]
        assert shown_code(send(client, sms_code=code)) and Letter.objects.count() == 1
    finally:
        sms.ConsoleBackend.send = settings_backend


def test_sms_codes_expire_after_too_many_wrong_tries(settings):
    settings.MAILBOX_SMS_BACKEND = "union_site.mailbox.sms.ConsoleBackend"
    code = sms.send_code("13812345678")
    for _ in range(sms.MAX_TRIES):
        assert not sms.verify_code("13812345678", "x")
    assert not sms.verify_code("13812345678", code)


def test_the_navigation_links_to_the_mailbox(client):
    assert f'href="{reverse("mailbox:list")}"' in client.get(reverse("home")).content.decode()
