"""The 词库 admin's 从表格导入 pages (upload → preview → confirm: union_site/common/table_import.py) and its export,
one XLSX that is also the import template (edit it and import it again). The rules are importer.py's."""

from union_site.checks import importer
from union_site.checks.models import Term, term_list_version
from union_site.common.table_import import NEW, UPDATED, TableImport
from union_site.reports.log import admin_export_urls
from union_site.reports.writers import Column, Document, Table


class TermImport(TableImport):
    noun = "词条"
    title = "从表格导入词库"
    template = "admin/content_checks/term/import.html"
    url_name = "content_checks_term_import"
    session_key = "content_checks_import"
    file_help = "表头为 词语、建议改为、级别、说明、启用（词语和级别必填）；"

    def plan(self, data, user):
        return importer.plan_import(importer.read_rows(data))

    def apply(self, plan, user):
        counts = importer.apply_import(plan, user)
        return f"已导入：新增 {counts[NEW]} 个词条，更新 {counts[UPDATED]} 个"

    def context(self):
        return {"columns": importer.COLUMNS, "required_columns": importer.REQUIRED}


def term_import_urls(model_admin):
    """URLs for TermAdmin.get_urls(): importing is for who may add and change 词条 (审核); the download is for anyone
    who may see the 词库 (编辑 too), so it is checked on its own."""
    return [
        *TermImport.urls(model_admin),
        *admin_export_urls(model_admin, terms_document, "content_checks_term_export"),
    ]


def terms_document(queryset=None):
    queryset = Term.objects.all() if queryset is None else queryset
    level_choices = tuple(importer.LEVELS)
    columns = [
        Column(importer.WORD, width=24),
        Column(importer.SUGGESTION, width=30),
        Column(importer.LEVEL, width=8, choices=level_choices),
        Column(importer.NOTE, width=70, wrap=True),
        Column(importer.ACTIVE, width=8, choices=("是", "否")),
    ]
    notes = [Column("列", width=12), Column("是否必填", width=10), Column("说明", width=90, wrap=True)]
    number, _token = term_list_version()
    return Document(
        title="内容检查词库",
        short_name="词库",
        source=f"后台 › 内容检查 › 词库（第 {number} 版）；改好后在 词库 › 从表格导入 上传",
        tables=[
            Table("词库", columns, importer.term_rows(queryset)),
            Table("说明", notes, [list(note) for note in importer.TEMPLATE_NOTES]),
        ],
        header_first=True,  # the header is row 1, as the import reads it
    )
