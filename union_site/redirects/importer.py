"""Redirects from a spreadsheet of old → new addresses: check every row, then save all of it or nothing, as the
figure import does (achievements/importers.py).

    read_rows(file)      -> Sheet (union_site/common/spreadsheets.py: XLSX or CSV, type by content)
    plan_import(sheet)   -> RedirectPlan: per row 新增/更新/不变 or its errors (第 3 行：旧地址必须以 / 开头 …)
    apply_import(plan)   -> Saved (store.py), in one transaction

Columns are found by their header, 旧地址 and 新地址, in any order; other columns (标题, 备注 …) are not imported, so
an export of the old site can be uploaded as it is once these two columns are there. An old address is matched by
itself: importing it again updates its redirect, never adds a second one. Refused rows: an address missing or not
an address (addresses.py says why), an old address twice in the file, old = new, and a new address that jumps on
(to another row's or a stored redirect's new address) or round in a circle (/a → /b, /b → /a): the file must name
the final address. Knows nothing of HTTP: the admin pages are admin_import.py.
"""

import hashlib
from dataclasses import dataclass, field

from union_site.common import spreadsheets
from union_site.common.spreadsheets import cell_text, header_name
from union_site.common.table_import import HEADER_ONLY, ImportRefused, PlanErrors, PlannedRowBase, RowError
from union_site.redirects import store
from union_site.redirects.addresses import SAME, AddressError, new_path, old_path

OLD, NEW = "旧地址", "新地址"
COLUMNS = [OLD, NEW]
NOTE = "备注"  # the template's third column; like any other column, not imported
MAX_FILE_BYTES = spreadsheets.MAX_FILE_BYTES
MAX_ROWS = spreadsheets.MAX_ROWS

ImportFileError = spreadsheets.SpreadsheetError


def read_rows(uploaded_file):
    return spreadsheets.read_sheet(
        uploaded_file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, header_hint="（旧地址、新地址）"
    )


@dataclass
class PlannedRow(PlannedRowBase):
    old_written: str
    new_written: str
    old_path: str = ""
    new_path: str = ""
    current: str = ""  # where the stored redirect from old_path leads now (an update shows old → new)


@dataclass
class RedirectPlan(PlanErrors):
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    repointed: int = 0  # stored redirects leading to an old address of the file: they will lead to its new one

    @property
    def has_changes(self):
        return any(row.action in {store.NEW, store.UPDATED} for row in self.rows) or self.repointed > 0

    def summary(self):
        text = self.row_summary()
        if self.repointed:
            text += f"。另有 {self.repointed} 条已有的跳转指向表中的旧地址，将改为直接跳转到新地址"
        return text

    def fingerprint(self):
        """Changes when what confirming would do changes (someone edited the redirects after the preview)."""
        parts = [(row.number, row.old_path, row.new_path, row.action) for row in self.rows]
        return hashlib.sha256(repr((parts, self.repointed, [str(e) for e in self.errors])).encode()).hexdigest()


def _columns(sheet, plan):
    found, repeated = {}, []
    for index, cell in enumerate(sheet.header):
        name = header_name(cell)
        if name in COLUMNS:
            if name in found:
                repeated.append(name)
            found[name] = index
    missing = [name for name in COLUMNS if name not in found]
    if missing:
        plan.file_errors.append(
            RowError(
                None, f"缺少必需的列：{'、'.join(missing)}。第一行应是表头，含“旧地址”和“新地址”两列（其他列不导入）。"
            )
        )
    if repeated:
        plan.file_errors.append(RowError(None, f"表头里有重复的列：{'、'.join(repeated)}。"))
    return found


def plan_import(sheet):
    """What importing `sheet` would do, row by row, without saving anything."""
    plan = RedirectPlan()
    columns = _columns(sheet, plan)
    if plan.file_errors:
        return plan
    if not sheet.rows:
        plan.file_errors.append(RowError(None, HEADER_ONLY))
        return plan
    first_row_of = {}
    for number, cells in sheet.rows:
        row = PlannedRow(number, *(cell_text(cells[columns[c]]) if columns[c] < len(cells) else "" for c in COLUMNS))
        plan.rows.append(row)
        row.old_path = _address(row, old_path, row.old_written)
        row.new_path = _address(row, new_path, row.new_written)
        if row.errors:
            continue
        if row.old_path == row.new_path:
            row.refuse(SAME)
        elif row.old_path in first_row_of:
            row.refuse(f"旧地址与第 {first_row_of[row.old_path]} 行相同：同一个旧地址只能跳转到一个新地址")
        first_row_of.setdefault(row.old_path, number)
    _check_against_stored(plan)
    return plan


def _address(row, read, written):
    """The address as stored, or "" with the reason among the row's errors."""
    try:
        return read(written)
    except AddressError as error:
        row.refuse(str(error))
        return ""


def _check_against_stored(plan):
    """Actions from the stored redirects, and the rows that would jump on or round in a circle (the file's rows
    first, then what is stored)."""
    rows = [row for row in plan.rows if not row.errors]
    in_file = {row.old_path: row.new_path for row in rows}
    stored = store.targets([*in_file, *in_file.values()])

    def target_of(address):
        return in_file.get(address, stored.get(address))

    for row in rows:
        problem = store.chain_problem(row.old_path, row.new_path, target_of)
        if problem:
            row.refuse(problem)
            continue
        row.current = stored.get(row.old_path, "")
        if not row.current:
            row.action = store.NEW
        elif row.current == row.new_path:
            row.action = store.UNCHANGED
        else:
            row.action = store.UPDATED
    if not plan.errors:
        plan.repointed = sum(1 for old in store.leading_to(in_file) if old not in in_file)


def apply_import(plan):
    """Save a plan that has no errors, all of it or none of it (store.save_redirects is one transaction)."""
    if not plan.is_valid:
        raise ImportRefused(f"表格里有 {len(plan.errors)} 处错误，没有导入任何跳转。")
    return store.save_redirects((row.old_path, row.new_path) for row in plan.rows)


TEMPLATE_ROWS = [
    [
        "http://www.old-site.gov.cn/art/2023/4/27/art_123_456.html",
        "/news/12/",
        "示例：旧网站的一篇文章 → 本站的文章。旧地址可以直接粘贴完整网址。导入前请改写或删除示例行",
    ],
    ["/col/col789/index.html", "/news/c/notices/", "示例：旧网站的栏目 → 本站的栏目"],
]
TEMPLATE_NOTES = [
    (OLD, "必填", "旧网站的地址：/ 开头的路径，或粘贴完整网址（只保留路径和必要的参数）。同一个旧地址只能出现一次。"),
    (NEW, "必填", "本站的地址（/ 开头，如 /news/12/），或 http:// 、https:// 开头的其他网站网址。"),
    (NOTE, "可空", "不导入；其他列（标题等）也不导入。"),
]
