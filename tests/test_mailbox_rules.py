"""主席信箱's rules that need no page: due dates in Beijing working days, masking, 查询码."""

from datetime import date

import pytest

from union_site.common.masking import mask_email, mask_id_number, mask_name, mask_phone, mask_text
from union_site.mailbox import codes
from union_site.mailbox.models import Holiday, Letter
from union_site.mailbox.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_a_friday_letter_with_five_working_days_is_due_the_next_friday():
    assert add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)


def test_a_weekend_letter_counts_from_monday():
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 8), 5) == date(2026, 3, 13)


def test_the_national_day_week_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 10月1日–7日 off, Saturday 10月10日 worked (调休)
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_a_holiday_added_in_the_admin_moves_the_due_date():
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    Holiday.objects.create(date=date(2026, 3, 10), name="测试假日")
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)


def test_spring_festival_and_its_two_make_up_saturdays():
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 2, 28))
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2  # Sat 14th worked, then 24th


def test_a_new_consultation_is_due_in_five_working_days_and_a_complaint_in_fifteen(make_letter):
    from django.utils import timezone

    arrived = timezone.make_aware(timezone.datetime(2026, 3, 6, 20, 0))  # Friday evening, Beijing
    consult, _ = make_letter(received_at=arrived)
    complaint, _ = make_letter(received_at=arrived, letter_type=Letter.Type.COMPLAINT)
    assert consult.due_on == date(2026, 3, 13)
    assert complaint.due_on == date(2026, 3, 27)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张**"),
        ("李小明", "李**"),
        ("王大志强", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳修", "欧阳**"),
        ("", ""),
    ],
)
def test_names_keep_the_surname_only(name, masked):
    assert mask_name(name) == masked


def test_phone_id_number_and_email_masks():
    assert mask_phone("13800000000") == "138****0000"
    assert mask_id_number("372301199001011234") == "372***********1234"
    assert mask_id_number("37230119900101123X") == "372***********123X"
    assert mask_email("zhangsan@example.com") == "z***@example.com"


def test_free_text_is_masked_wherever_the_data_stands():
    text = "我是张三，电话13812345678，身份证372301199001011234，邮箱zs@example.com，单位电话0543-3186000。"
    masked = mask_text(text, names=["张三"])
    assert masked == (
        "我是张**，电话138****5678，身份证372***********1234，邮箱z***@example.com，单位电话0543-3186000。"
    )


def test_numbers_inside_longer_numbers_are_left_alone():
    assert mask_text("订单号 9913812345678123") == "订单号 9913812345678123"


def test_query_codes_are_random_unambiguous_and_read_loosely():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(len(code) == 12 and not set(code) & set("01OIL") for code in made)
    code = made.pop()
    assert codes.digest(codes.display(code).lower()) == codes.digest(code)
    assert codes.looks_valid(f" {codes.display(code)} ")
