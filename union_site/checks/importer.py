"""The 词库 from a spreadsheet: check every row, then save all of it or nothing (as the redirect and figure imports
do), and the same columns back out as the export (a downloaded 词库 can be edited and imported again).

    read_rows(data) -> Sheet        plan_import(sheet) -> TermPlan        apply_import(plan) -> {新增: n, 更新: n}
    term_rows(queryset)             the export's rows, in COLUMNS' order

The natural key is the word as written: importing a word again updates its 词条. Refused rows: no word, a word of
one character, longer than the field, twice in the file (also when only its full-width or traditional form differs),
the same as another stored 词条 in that way, the same as its suggestion, a 级别 other than 禁用/提醒, a 启用 other
than 是/否. Knows nothing of HTTP: the admin pages are admin_import.py.
"""

from dataclasses import dataclass

from django.db import transaction

from union_site.checks.models import Term, twin_message, word_problem
from union_site.checks.normalize import normalised_word
from union_site.common import spreadsheets
from union_site.common.spreadsheets import NO, YES, cell_text
from union_site.common.table_import import (
    HEADER_ONLY,
    NEW,
    UNCHANGED,
    UPDATED,
    ImportRefused,
    KeyedPlan,
    PlannedRowBase,
    RowError,
    find_columns,
)

WORD, SUGGESTION, LEVEL, NOTE, ACTIVE = "词语", "建议改为", "级别", "说明", "启用"
COLUMNS = [WORD, SUGGESTION, LEVEL, NOTE, ACTIVE]
REQUIRED = [WORD, LEVEL]
LEVELS = {str(label): value for value, label in Term.Level.choices}  # 禁用 → block
LABELS = {value: label for label, value in LEVELS.items()}
FIELDS = {SUGGESTION: "suggestion", NOTE: "note"}


def read_rows(data):
    return spreadsheets.read_sheet(data, header_hint="（词语、建议改为、级别……）")


@dataclass
class PlannedRow(PlannedRowBase):
    word: str
    suggestion: str
    level_written: str
    note: str
    active_written: str
    level: str = ""
    is_active: bool = True

    @property
    def key(self):
        return self.word

    @property
    def values(self):
        return {"suggestion": self.suggestion, "level": self.level, "note": self.note, "is_active": self.is_active}


class TermPlan(KeyedPlan):
    """The 词库 import's plan: rows keyed by their word."""


def _columns(sheet, plan):
    return find_columns(sheet, plan, COLUMNS, REQUIRED, "后三列可省")


def plan_import(sheet):
    """What importing `sheet` would do, row by row, without saving anything."""
    plan = TermPlan()
    columns = _columns(sheet, plan)
    if plan.file_errors:
        return plan
    if not sheet.rows:
        plan.file_errors.append(RowError(None, HEADER_ONLY))
        return plan
    stored = {term.word: term for term in Term.objects.all()}
    stored_keys = {normalised_word(word): word for word in stored}
    first_row_of = {}  # normalised word → row number
    for number, cells in sheet.rows:

        def cell(name, cells=cells):
            index = columns.get(name)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        row = PlannedRow(number, cell(WORD), cell(SUGGESTION), cell(LEVEL), cell(NOTE), cell(ACTIVE))
        plan.rows.append(row)
        _check_row(row, stored, stored_keys, first_row_of)
    return plan


def _check_row(row, stored, stored_keys, first_row_of):
    if not row.word:
        row.refuse("没有填写词语")
        return
    for name, limit in [(row.word, 100), (row.suggestion, 200)]:
        if len(name) > limit:
            row.refuse(f"“{name[:20]}……”太长：最多 {limit} 个字")
    row.level = LEVELS.get(row.level_written, "")
    if not row.level:
        row.refuse(
            f"级别“{row.level_written}”不对：填“禁用”或“提醒”" if row.level_written else "没有填写级别（禁用或提醒）"
        )
    if row.active_written not in {"", YES, NO}:
        row.refuse(f"启用“{row.active_written}”不对：填“是”或“否”（不填为是）")
    row.is_active = row.active_written != NO
    key = normalised_word(row.word)
    twin = stored_keys.get(key, row.word)
    problem = word_problem(row.word, row.suggestion)
    if problem:
        row.refuse(problem)
    elif key in first_row_of:
        row.refuse(f"与第 {first_row_of[key]} 行的词语相同（或只是全角半角、繁体简体不同）")
    elif twin != row.word:
        row.refuse(twin_message(twin))
    first_row_of.setdefault(key, row.number)
    if row.errors:
        return
    current = stored.get(row.word)
    if current is None:
        row.action = NEW
    elif all(getattr(current, name) == value for name, value in row.values.items()):
        row.action = UNCHANGED
    else:
        row.action = UPDATED


def apply_import(plan, user=None):
    """Saves a plan without errors in one transaction (each 词条 saved, so the 词库 version moves on)."""
    if not plan.is_valid:
        raise ImportRefused(f"表格里有 {len(plan.errors)} 处错误，没有导入任何词条。")
    counts = {NEW: 0, UPDATED: 0}
    with transaction.atomic():
        for row in plan.rows:
            if row.action not in counts:
                continue
            term = Term.objects.filter(word=row.word).first() or Term(word=row.word, created_by=user)
            for name, value in row.values.items():
                setattr(term, name, value)
            term.updated_by = user
            term.save()
            counts[row.action] += 1
    return counts


def term_rows(queryset):
    for term in queryset.order_by("level", "word").iterator(chunk_size=500):
        yield [term.word, term.suggestion, LABELS[term.level], term.note, YES if term.is_active else NO]


TEMPLATE_NOTES = [
    (
        WORD,
        "必填",
        "要查找的写法，至少两个字。全角半角、繁体简体的写法都会查到，不必重复填写。同一个词语只能出现一次。",
    ),
    (SUGGESTION, "可空", "正确的写法，检查结果中显示为“建议改为……”。"),
    (LEVEL, "必填", "禁用：改正后才能发布（审核人员写明理由后可以仍然发布）；提醒：只提示，不影响发布。"),
    (NOTE, "可空", "为什么要改、什么情况下不算错。"),
    (ACTIVE, "可空", "是：检查这个词；否：暂不检查。不填为是。"),
]
