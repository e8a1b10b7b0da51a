"""Personal data in text (union_site/checks/personal.py): 身份证号 by GB 11643's check digit and a real, past birth
date; mobile numbers; bank cards by Luhn; e-mail addresses; each place reported once; masked for display."""

from datetime import date

import pytest

from union_site.checks.personal import (
    bank_cards,
    emails,
    id_numbers,
    is_valid_id_number,
    luhn_ok,
    mobile_numbers,
    personal_data,
)
from union_site.common.masking import mask_bank_card, mask_id_number

VALID_ID = "372301199001011238"
TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    "number",
    [
        VALID_ID,
        "11010519491231002X",  # the standard's own example: check character X
        "11010519491231002x",  # written with a small x
        "372301200002290019",  # 29 February of a leap year
    ],
)
def test_valid_id_numbers(number):
    assert is_valid_id_number(number, TODAY)
    assert [hit.value for hit in id_numbers(f"身份证号：{number}。", TODAY)] == [number.upper()]


@pytest.mark.parametrize(
    "number, why",
    [
        ("372301199001011234", "wrong check digit"),
        ("372301199002310010", "31 February (check digit right)"),
        ("372301199002290013", "29 February of 1990, not a leap year"),
        ("372301209901010018", "born in 2099: in the future"),
        ("972301199001011231", "no region starts with 9"),
        ("37230119900101123", "17 digits"),
    ],
)
def test_numbers_that_are_not_id_numbers(number, why):
    assert not is_valid_id_number(number, TODAY), why
    assert list(id_numbers(number, TODAY)) == []


def test_an_id_number_inside_a_longer_run_is_not_one():
    assert list(id_numbers(f"订单号 9{VALID_ID}", TODAY)) == []
    assert list(id_numbers(f"{VALID_ID}5", TODAY)) == []


def test_id_number_masked_as_the_mailbox_masks_it():
    (hit,) = id_numbers(VALID_ID, TODAY)
    assert hit.masked == "372***********1238"
    assert mask_id_number("370102800101123") == "370********1123"  # the old 15-digit numbers are masked too


@pytest.mark.parametrize(
    "text, found",
    [
        ("联系电话：13805431234", ["13805431234"]),
        ("手机19912345678，座机0543-3186666", ["19912345678"]),
        ("12812345678 不是手机号（第二位不能是 2）", []),
        ("订单号 2138054312345", []),  # inside a longer run of digits
        ("138054312345", []),  # 12 digits
    ],
)
def test_mobile_numbers(text, found):
    assert [hit.value for hit in mobile_numbers(text)] == found


def test_mobile_number_masked():
    (hit,) = mobile_numbers("13805431234")
    assert hit.masked == "138****1234"


def test_luhn():
    assert luhn_ok("6222021234567890128")
    assert luhn_ok("6228480012345671")
    assert not luhn_ok("6222021234567890123")


@pytest.mark.parametrize(
    "text, found",
    [
        ("工资卡号 6222021234567890128", ["6222021234567890128"]),
        ("卡号：6228 4800 1234 5671。", ["6228 4800 1234 5671"]),
        ("卡号 6222021234567890123", []),  # fails Luhn
        ("流水号 96222021234567890128", []),  # 20 digits: part of a longer run
    ],
)
def test_bank_cards(text, found):
    assert [hit.value for hit in bank_cards(text)] == found


def test_bank_card_masked():
    assert mask_bank_card("6228 4800 1234 5671") == "6228********5671"


def test_emails():
    hits = list(emails("请把报名表发到 zhang.san@example.com 或 bzzgh@163.com。"))
    assert [hit.value for hit in hits] == ["zhang.san@example.com", "bzzgh@163.com"]
    assert hits[0].masked == "z***@example.com"


def test_all_four_kinds_in_one_text_by_position():
    text = f"张三 {VALID_ID}，电话 13805431234，卡号 6222021234567890128，邮箱 zs@example.com"
    assert [hit.kind for hit in personal_data(text, TODAY)] == ["身份证号", "手机号", "银行卡号", "电子邮箱"]


def test_an_id_number_passing_luhn_is_not_also_a_card():
    """18 digits are in the bank cards' range: one that also passes Luhn is reported once, as the ID number."""
    lucky = next(n for n in _valid_ids() if n.isdigit() and luhn_ok(n))
    assert [hit.kind for hit in personal_data(f"身份证 {lucky}", TODAY)] == ["身份证号"]


def _valid_ids():
    from union_site.checks.personal import id_check_character

    for serial in range(100, 1000):
        first = f"37230119900101{serial}"
        yield first + id_check_character(first)
