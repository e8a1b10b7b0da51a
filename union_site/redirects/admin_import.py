"""The 重定向 admin's 从表格导入 pages: upload → preview → confirm (union_site/common/table_import.py), and the template
to download (Excel or CSV). The rules are importer.py's; this module only names what is particular to redirects.
"""

from django.http import Http404

from union_site.common.table_import import TableImport
from union_site.models import ExportLog
from union_site.redirects import importer, store
from union_site.reports.log import logged, person
from union_site.reports.writers import CSV, XLSX, Column, Document, Table, export_response


class RedirectImport(TableImport):
    noun = "跳转"
    title = "从表格导入重定向"
    template = "admin/redirects/redirect/import.html"
    url_name = "redirects_redirect_import"
    session_key = "redirects_import"
    max_file_bytes, max_rows = importer.MAX_FILE_BYTES, importer.MAX_ROWS
    file_help = "含“旧地址”“新地址”两列；"

    def plan(self, data, user):
        return importer.plan_import(importer.read_rows(data))

    def apply(self, plan, user):
        saved = importer.apply_import(plan)
        text = f"已导入：新增 {saved.count(store.NEW)} 条，更新 {saved.count(store.UPDATED)} 条"
        if saved.repointed:
            text += f"；另有 {saved.repointed} 条原有跳转改为直接指向新地址"
        return text

    def context(self):
        return {"columns": importer.COLUMNS}


def redirect_import_urls(model_admin):
    """URLs for RedirectAdmin.get_urls(). Importing is 审核's (union_site/roles.py); 编辑 and 报表 may not."""
    return RedirectImport.urls(
        model_admin, [("import/template.<str:fmt>", template_view, "redirects_redirect_import_template")]
    )


# The template to download --------------------------------------------------------------------------------------


def template_document(fmt):
    """The header and two example rows; in Excel also a sheet 说明 (a CSV holds one table, the one imported)."""
    columns = [Column(importer.OLD, width=60), Column(importer.NEW, width=40), Column(importer.NOTE, width=60)]
    tables = [Table("重定向", columns, importer.TEMPLATE_ROWS)]
    if fmt == XLSX:
        notes = [Column("列", width=12), Column("是否必填", width=10), Column("说明", width=90, wrap=True)]
        tables.append(Table("说明", notes, [list(note) for note in importer.TEMPLATE_NOTES]))
    return Document(
        title="重定向导入模板",
        short_name="重定向导入模板",
        source="旧地址 → 新地址；填好后在 后台 › 重定向 › 从表格导入 上传",
        tables=tables,
        header_first=True,  # the header is row 1, as the import reads it
    )


def template_view(flow, request, fmt):
    if fmt not in {XLSX, CSV}:
        raise Http404
    document = template_document(fmt)
    document.generated_by = person(request.user)
    with logged(document, fmt, user=request.user, channel=ExportLog.Channel.ADMIN) as done:
        return export_response(document, fmt, done)
