"""来稿单位 from a spreadsheet: check every row, then save all of it or nothing (as the 词库 and redirect imports do),
and the same columns back out (a downloaded list can be edited and imported again).

    read_rows(data) -> Sheet        plan_import(sheet) -> UnitPlan        apply_import(plan) -> {新增: n, 更新: n}
    unit_rows(queryset)             the export's rows, in COLUMNS' order

The natural key is the 单位名称 as written: importing a name again updates its unit. Refused rows: no name, a name
longer than the field or twice in the file, a 单位类型 not in the list, a 启用 other than 是/否. Knows nothing of HTTP:
the admin pages are admin_import.py.
"""

from dataclasses import dataclass

from django.db import transaction

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
from union_site.contributions.models import Unit

NAME, TYPE, CONTACT, ACTIVE = "单位名称", "单位类型", "联系人及电话", "启用"
COLUMNS = [NAME, TYPE, CONTACT, ACTIVE]
REQUIRED = [NAME, TYPE]
TYPES = {str(label): value for value, label in Unit.Type.choices}  # 县市区总工会 → county
LABELS = {value: label for label, value in TYPES.items()}
NAME_LIMIT = Unit._meta.get_field("name").max_length
CONTACT_LIMIT = Unit._meta.get_field("contact").max_length


def read_rows(data):
    return spreadsheets.read_sheet(data, header_hint="（单位名称、单位类型……）")


@dataclass
class PlannedRow(PlannedRowBase):
    name: str
    type_written: str
    contact: str
    active_written: str
    type: str = ""
    is_active: bool = True

    @property
    def key(self):
        return self.name

    @property
    def values(self):
        return {"type": self.type, "contact": self.contact, "is_active": self.is_active}


class UnitPlan(KeyedPlan):
    """The 来稿单位 import's plan: rows keyed by the unit's name."""


def _columns(sheet, plan):
    return find_columns(sheet, plan, COLUMNS, REQUIRED, "后两列可省")


def plan_import(sheet):
    """What importing `sheet` would do, row by row, without saving anything."""
    plan = UnitPlan()
    columns = _columns(sheet, plan)
    if plan.file_errors:
        return plan
    if not sheet.rows:
        plan.file_errors.append(RowError(None, HEADER_ONLY))
        return plan
    stored = {unit.name: unit for unit in Unit.objects.all()}
    first_row_of = {}
    for number, cells in sheet.rows:

        def cell(name, cells=cells):
            index = columns.get(name)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        row = PlannedRow(number, cell(NAME), cell(TYPE), cell(CONTACT), cell(ACTIVE))
        plan.rows.append(row)
        _check_row(row, stored, first_row_of)
    return plan


def _check_row(row, stored, first_row_of):
    if not row.name:
        row.refuse("没有填写单位名称")
    elif len(row.name) > NAME_LIMIT:
        row.refuse(f"单位名称“{row.name[:20]}……”太长：最多 {NAME_LIMIT} 个字")
    elif row.name in first_row_of:
        row.refuse(f"与第 {first_row_of[row.name]} 行的单位名称相同")
    else:
        first_row_of[row.name] = row.number
    if len(row.contact) > CONTACT_LIMIT:
        row.refuse(f"联系人及电话太长：最多 {CONTACT_LIMIT} 个字")
    row.type = TYPES.get(row.type_written, "")
    if not row.type:
        choices = "、".join(TYPES)
        row.refuse(
            f"单位类型“{row.type_written}”不对：填{choices}之一"
            if row.type_written
            else f"没有填写单位类型（{choices}）"
        )
    if row.active_written not in {"", YES, NO}:
        row.refuse(f"启用“{row.active_written}”不对：填“是”或“否”（不填为是）")
    row.is_active = row.active_written != NO
    if row.errors:
        return
    current = stored.get(row.name)
    if current is None:
        row.action = NEW
    elif all(getattr(current, name) == value for name, value in row.values.items()):
        row.action = UNCHANGED
    else:
        row.action = UPDATED


def apply_import(plan):
    """Saves a plan without errors in one transaction."""
    if not plan.is_valid:
        raise ImportRefused(f"表格里有 {len(plan.errors)} 处错误，没有导入任何来稿单位。")
    counts = {NEW: 0, UPDATED: 0}
    with transaction.atomic():
        for row in plan.rows:
            if row.action in counts:
                Unit.objects.update_or_create(name=row.name, defaults=row.values)
                counts[row.action] += 1
    return counts


def unit_rows(queryset):
    for unit in queryset.order_by("type", "order", "id").iterator(chunk_size=500):
        yield [unit.name, LABELS[unit.type], unit.contact, YES if unit.is_active else NO]


TEMPLATE_NOTES = [
    (NAME, "必填", "单位的全称，如：滨城区总工会。同一个单位只能出现一次；再次导入同名单位会更新它，不会重复。"),
    (TYPE, "必填", "填以下之一：" + "、".join(TYPES) + "。通报按单位类型分组排名。"),
    (CONTACT, "可空", "联系人和电话，只在后台可见。"),
    (ACTIVE, "可空", "是：接收来稿、列入通报；否：停用。不填为是。"),
]
