from django.contrib import admin, messages
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news import workflow
from news.admin_notes import ArticleNotesAdminMixin, missing_alt_message
from news.attachments import files_follow_rows, with_pending_downloads
from news.forms import ArticleAdminForm, AttachmentForm
from news.models import Article, Attachment, Column
from union_site.checks.gate import (
    ContentCheckAdminMixin,
    blocked,
    check,
    findings_message,
    refusal_message,
)
from union_site.common.concurrency import RaceSafeAdminMixin, for_update
from union_site.common.forms import CleanImageField
from union_site.common.history import HistoryAdmin
from union_site.reports.admin_actions import ExportSelectedMixin

Status = Article.Status
DOC_FIELDSET = _("公文信息（通知公告、政策文件）")


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "order", "is_in_nav", "update_days"]
    list_editable = ["order", "is_in_nav", "update_days"]
    list_filter = ["kind", "is_in_nav"]
    search_fields = ["name", "description"]


class AttachmentInline(admin.TabularInline):
    """附件 on the article's page: file, 显示名称, 排序 per row. Whoever may change the article may change its files
    (editors: drafts and articles waiting for review, news/workflow.py); a refused file gets its reason on its row."""

    model = Attachment
    form = AttachmentForm
    fields = ["file", "title", "order", "details"]
    readonly_fields = ["download", "details"]
    extra = 1

    def get_fields(self, request, obj=None):
        """Read-only (an editor looking at a published article): the file as visitors download it, not the storage's
        own address."""
        if self.has_change_permission(request, obj) or self.has_add_permission(request, obj):
            return self.fields
        return ["download", *self.fields[1:]]

    @admin.display(description=_("文件"))
    def download(self, attachment):
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.download_name)

    @admin.display(description=_("格式 · 大小 · 下载次数"))
    def details(self, attachment):
        if attachment.pk is None:
            return "—"
        (attachment,) = with_pending_downloads([attachment])
        return f"{attachment.file_type.label} · {attachment.size_label} · 下载 {attachment.downloads} 次"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and workflow.editor_may_change(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.editor_may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.editor_may_change(request.user, obj)


@admin.register(Article)
class ArticleAdmin(
    ArticleNotesAdminMixin, ContentCheckAdminMixin, RaceSafeAdminMixin, ExportSelectedMixin, HistoryAdmin
):
    form = ArticleAdminForm
    inlines = [AttachmentInline]
    formfield_overrides = {models.ImageField: {"form_class": CleanImageField}}
    list_display = ["title", "column", "state", "publish_at", "is_pinned", "is_headline", "view_count", "updated_by"]
    list_filter = [
        "status",
        "column",
        "is_pinned",
        "is_headline",
        "created_by",
        ("publish_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "subtitle", "byline", "summary", "body", "doc_number"]
    date_hierarchy = "publish_at"
    list_select_related = ["column", "updated_by"]
    autocomplete_fields = ["album"]
    readonly_fields = ["view_count", "created_by", "created_at", "updated_by", "updated_at", "submitted_at"]
    history_list_display = ["status_label"]
    history_rich_text_fields = ["body"]  # shown in 历史 as what changed in its text
    actions = ["submit_for_review", "publish_now", "withdraw", "pin", "unpin"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "column",
                    "kicker",
                    "title",
                    "subtitle",
                    "byline",
                    "source",
                    "summary",
                    "body",
                    "cover",
                    "loaded_version",
                ]
            },
        ),
        (
            _("审核与发布"),
            {"fields": ["status", "review_comment", "publish_at", "unpublish_at", "is_pinned", "is_headline"]},
        ),
        (DOC_FIELDSET, {"fields": Article.DOC_FIELDS}),
        (_("关联与备注"), {"fields": ["album", "note"]}),
        (
            _("记录"),
            {
                "classes": ["collapse"],
                "fields": ["view_count", "created_by", "created_at", "updated_by", "updated_at", "submitted_at"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """公文信息 folded away unless this article has some: most articles are news, not documents."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.has_document_meta:
            return fieldsets
        return [
            (name, {**options, "classes": ["collapse"]}) if name == DOC_FIELDSET else (name, options)
            for name, options in fieldsets
        ]

    # Who may do what: news/workflow.py. Read-only fields and the status changes are enforced by the form on the
    # server, so a crafted POST by an editor cannot publish, schedule or pin.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            fields += workflow.REVIEWER_FIELDS
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # a class made for this request (modelform_factory): the choices are this person's
        return form

    @admin.display(description=_("状态"))
    def status_label(self, record):
        return record.get_status_display()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.editor_may_change(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Outside the save's transaction (RaceSafeAdminMixin's): attachment files written by a save that then rolled
        back are deleted (news/attachments.py)."""
        with files_follow_rows():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra = {"waiting_count": workflow.waiting_for_review().count(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    @admin.display(description=_("状态"), ordering="status")
    def state(self, article):
        label = article.get_status_display()
        if article.is_scheduled:
            when = timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M")
            return format_html('<strong title="{}">定时发布</strong> {}', label, when)
        if article.status == Status.PUBLISHED and article.is_expired:
            return _("已下线（过期）")
        if article.status == Status.DRAFT and article.review_comment:
            return _("已驳回")
        return label

    def _move(self, request, queryset, status, done):
        """Moves the selected articles to `status` by the workflow's table; reports those it does not apply to.
        Each row is read fresh and locked, and its save moves its version on: a change form open on it meanwhile
        gets the edit-conflict message instead of undoing the move. Submitting and publishing show the content checks'
        findings; 立即发布 leaves out, by name, the articles they block (union_site/checks/gate.py)."""
        count, refused, refused_alt = 0, [], []
        with transaction.atomic():
            for article in for_update(queryset):
                if article.status == status or not workflow.allowed(article.status, status, request.user):
                    continue
                if workflow.missing_alt_refusal(article.body, article.status, status):
                    refused_alt.append(article.title)
                    continue
                report = check(article) if status in (Status.REVIEW, Status.PUBLISHED) else None
                if status == Status.PUBLISHED and blocked(article, report):
                    refused.append(article.title)
                    continue
                workflow.move(article, status, request.user)
                article.updated_by = request.user
                article.save()
                count += 1
                if report:
                    self.message_user(request, findings_message(report, article), messages.WARNING)
        self._report(request, done, count, skipped=queryset.count() - count - len(refused) - len(refused_alt))
        if refused:
            self.message_user(request, refusal_message(refused), messages.ERROR)
        if refused_alt:
            self.message_user(request, missing_alt_message(refused_alt), messages.ERROR)

    def _set(self, request, queryset, done, **fields):
        """A field change by reviewers (置顶), whatever the status; rows fresh and locked, versions moved on."""
        count = 0
        with transaction.atomic():
            for article in for_update(queryset):
                for name, value in fields.items():
                    setattr(article, name, value)
                article.updated_by = request.user
                article.save()
                count += 1
        self._report(request, done, count)

    def _report(self, request, done, count, skipped=0):
        self.message_user(request, _("%(done)s：%(n)d 篇。") % {"done": done, "n": count}, messages.SUCCESS)
        if skipped:
            self.message_user(request, _("%(n)d 篇状态不符，未处理。") % {"n": skipped}, messages.WARNING)

    @admin.action(description=_("提交审核"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, Status.REVIEW, _("已提交审核"))

    @admin.action(description=_("立即发布"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED, _("已发布"))

    @admin.action(description=_("撤下（归档）"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._move(request, queryset, Status.ARCHIVED, _("已撤下"))

    @admin.action(description=_("置顶"), permissions=["publish"])
    def pin(self, request, queryset):
        self._set(request, queryset, _("已置顶"), is_pinned=True)

    @admin.action(description=_("取消置顶"), permissions=["publish"])
    def unpin(self, request, queryset):
        self._set(request, queryset, _("已取消置顶"), is_pinned=False)
