"""Masking personal data for what the public sees (主席信箱's published letters; the personal-data check of #16
reuses it). One place, so that every page masks alike:

- 姓名: the surname stays, the rest becomes "**" whatever its length (张三 → 张**, 欧阳娜娜 → 欧阳**), so the length of
  the given name is not told either. A compound surname (欧阳, 司马 …) stays whole in names of three or four
  characters.
- 手机号 (11 digits, 1[3-9]…): first 3 and last 4 stay: 138****0000. Landline numbers are left as they are: they
  are mostly office numbers.
- 身份证号 (18 characters, the last may be X; or the old 15 digits): first 3 and last 4 stay, so the
  six-digit region code (and with it the county) is not told: 372***********1234.
- 电子邮箱: the first character of the name part and the domain stay: z***@example.com.
- 银行卡号 (16–19 digits): first 4 and last 4 stay: 6222***********1234 (`mask_bank_card`; the content checks of
  union_site/checks name cards they find this way; `mask_text` leaves card numbers alone).
`mask_text` finds ID, mobile and e-mail in free text (and the writer's own name, when given); digits glued to other
digits are not numbers of these kinds and stay."""

import re

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 百里".split()
)
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})(\d{11}|\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")  # 18 or 15
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
# Grouped by fours as printed on the card (6222 0212 3456 7890 123), or written in one run; never part of a longer run.
BANK_CARD = re.compile(r"(?<!\d)(?<!\d[ -])\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?(?![ -]?\d)|(?<!\d)\d{16,19}(?!\d)")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def mask_name(name):
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "**"


def mask_phone(phone):
    return MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", phone or "")


def mask_id_number(text):
    return ID_NUMBER.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text or "")


def mask_bank_card(number):
    digits = re.sub(r"\D", "", number or "")
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:] if len(digits) > 8 else digits


def mask_email(text):
    return EMAIL.sub(lambda m: f"{m[1]}***@{m[2]}", text or "")


def mask_text(text, names=()):
    """Free text with ID numbers, mobile numbers and e-mail addresses masked, and each of `names` (the writer's own
    name, say) replaced by its masked form."""
    text = mask_email(mask_phone(mask_id_number(text or "")))
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text
