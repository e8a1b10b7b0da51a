"""The 来稿单位 admin's 从表格导入 pages (upload → preview → confirm: union_site/common/table_import.py) and its export,
one XLSX that is also the import template (edit it and import it again). The rules are importer.py's."""

from union_site.common.table_import import NEW, UPDATED, TableImport
from union_site.contributions import importer
from union_site.contributions.models import Unit
from union_site.reports.log import admin_export_urls
from union_site.reports.writers import Column, Document, Table


class UnitImport(TableImport):
    noun = "来稿单位"
    title = "从表格导入来稿单位"
    template = "admin/contributions/unit/import.html"
    url_name = "contributions_unit_import"
    session_key = "contributions_unit_import"
    file_help = "表头为 单位名称、单位类型、联系人及电话、启用（单位名称和单位类型必填）；"

    def plan(self, data, user):
        return importer.plan_import(importer.read_rows(data))

    def apply(self, plan, user):
        counts = importer.apply_import(plan)
        return f"已导入：新增 {counts[NEW]} 个来稿单位，更新 {counts[UPDATED]} 个"

    def context(self):
        return {"columns": importer.COLUMNS, "required_columns": importer.REQUIRED}


def unit_import_urls(model_admin):
    """URLs for UnitAdmin.get_urls(): importing is for who may add and change units (审核); the download for anyone
    who may see them."""
    return [*UnitImport.urls(model_admin), *admin_export_urls(model_admin, units_document, "contributions_unit_export")]


def units_document(queryset=None):
    queryset = Unit.objects.all() if queryset is None else queryset
    columns = [
        Column(importer.NAME, width=30),
        Column(importer.TYPE, width=16, choices=tuple(importer.TYPES)),
        Column(importer.CONTACT, width=30),
        Column(importer.ACTIVE, width=8, choices=("是", "否")),
    ]
    notes = [Column("列", width=14), Column("是否必填", width=10), Column("说明", width=90, wrap=True)]
    return Document(
        title="来稿单位",
        short_name="来稿单位",
        source="后台 › 基层投稿 › 来稿单位；改好后在 来稿单位 › 从表格导入 上传",
        tables=[
            Table("来稿单位", columns, importer.unit_rows(queryset)),
            Table("说明", notes, [list(note) for note in importer.TEMPLATE_NOTES]),
        ],
        header_first=True,  # the header is row 1, as the import reads it
    )
