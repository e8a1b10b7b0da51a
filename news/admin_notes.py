"""What the article's change page tells the person at it, above the form: why it is read-only and whom to ask (an
editor at a published article, whose body is then shown as the public page shows it, not as HTML source), and the
reviewer's 审核意见 of a returned draft as a banner. A mixin for ArticleAdmin, kept apart from its fields and rules."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news import workflow
from union_site.common.richtext import render_html

READ_ONLY_NOTE = _("已发布的文章只能由审核人员修改。需要改动时，请联系审核人员。")
REVIEW_COMMENT_TITLE = _("审核意见")


class ArticleNotesAdminMixin:
    checks_base_template = "admin/news/article/change_form_notes.html"  # under the 内容检查 panel's template

    def _read_only(self, request, obj):
        """The article as it is now (an old version restored is judged by the current row, HistoryAdmin.current)."""
        return obj is not None and not self.has_change_permission(request, self.current(obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "body_as_published"] if self._read_only(request, obj) else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._read_only(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": ["body_as_published" if f == "body" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description=_("正文"))
    def body_as_published(self, article):
        return format_html('<div class="article-body admin-article-body">{}</div>', render_html(article.body))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["read_only_note"] = READ_ONLY_NOTE if self._read_only(request, obj) else ""
        shown_comment = obj is not None and obj.status == obj.Status.DRAFT and obj.review_comment
        context["review_comment"] = obj.review_comment if shown_comment else ""
        context["review_comment_title"] = REVIEW_COMMENT_TITLE
        context["may_publish"] = workflow.can_publish(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)


def missing_alt_message(titles):
    """A bulk action's note on the articles it left because a picture has no alt text (news/workflow.py)."""
    names = "、".join(f"《{title}》" for title in titles)
    return (
        f"以下 {len(titles)} 篇正文中有图片还没有替代文字，未处理：{names}。"
        "请打开文章，给每张图片写上替代文字后再提交。"
    )
