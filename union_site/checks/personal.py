"""Personal data in text: pure functions, no database, no Django.

    id_numbers(text)    18-digit 居民身份证号 (GB 11643-1999): check digit (X for 10), a real birth date not in the
                        future, a region code starting 1–8
    mobile_numbers(text)  mainland mobile numbers: 11 digits, 1[3-9]…
    bank_cards(text)    16–19 digits (in one run or in fours) passing the Luhn check
    emails(text)        e-mail addresses
    personal_data(text) all four, each place reported once (an ID number is not also a bank card)

Candidates come from the masking patterns of union_site/common/masking.py (one definition of what these numbers
look like), so a number is never inside a longer run of digits; each hit carries its masked form for display.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from union_site.common.masking import (
    BANK_CARD,
    EMAIL,
    ID_NUMBER,
    MOBILE,
    mask_bank_card,
    mask_email,
    mask_id_number,
    mask_phone,
)

ID_NUMBER_KIND, MOBILE_KIND, BANK_CARD_KIND, EMAIL_KIND = "身份证号", "手机号", "银行卡号", "电子邮箱"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class PersonalHit:
    kind: str
    start: int
    end: int
    value: str
    masked: str


def id_check_character(first_17):
    return ID_CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first_17, ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(value, today=None):
    """An 18-character 居民身份证号 that could have been issued: region 1–8…, a birth date that exists and is not
    after `today` (Beijing), and the right check character."""
    value = (value or "").upper()
    if not re.fullmatch(r"[1-8]\d{16}[\dX]", value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:  # 31 February, month 13
        return False
    today = today or datetime.now(BEIJING).date()
    if not EARLIEST_BIRTH_YEAR <= born.year or born > today:
        return False
    return id_check_character(value[:17]) == value[17]


def luhn_ok(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        n = int(digit)
        if position % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def id_numbers(text, today=None):
    for match in ID_NUMBER.finditer(text or ""):
        value = match[0].upper()
        if len(value) == 18 and is_valid_id_number(value, today):
            yield PersonalHit(ID_NUMBER_KIND, match.start(), match.end(), value, mask_id_number(value))


def mobile_numbers(text):
    for match in MOBILE.finditer(text or ""):
        yield PersonalHit(MOBILE_KIND, match.start(), match.end(), match[0], mask_phone(match[0]))


def bank_cards(text):
    for match in BANK_CARD.finditer(text or ""):
        digits = re.sub(r"\D", "", match[0])
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            yield PersonalHit(BANK_CARD_KIND, match.start(), match.end(), match[0], mask_bank_card(digits))


def emails(text):
    for match in EMAIL.finditer(text or ""):
        yield PersonalHit(EMAIL_KIND, match.start(), match.end(), match[0], mask_email(match[0]))


DETECTORS = (id_numbers, bank_cards, mobile_numbers, emails)  # in this order a place is claimed


def personal_data(text, today=None):
    """Every hit of the four kinds in `text`, by position; a place claimed by an earlier kind (an ID number that
    also passes Luhn) is not reported again."""
    if not text or not re.search(r"\d{11}|@", text.replace(" ", "").replace("-", "")):
        return []
    found = []
    for detector in DETECTORS:
        hits = detector(text, today) if detector is id_numbers else detector(text)
        for hit in hits:
            if not any(hit.start < other.end and other.start < hit.end for other in found):
                found.append(hit)
    return sorted(found, key=lambda hit: hit.start)
