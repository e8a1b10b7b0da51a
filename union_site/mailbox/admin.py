"""主席信箱 in the admin: the letters with their due dates (overdue first), the workflow's buttons on the change page,
the step history, and the 承办部门 and 节假日 tables. A letter's original (what the visitor wrote) is read-only for
everyone; the public wording is edited in 公开标题/公开内容."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from union_site.mailbox import workdays, workflow
from union_site.mailbox.models import Department, Holiday, Letter, LetterStep

ORIGINAL = ["letter_type", "title", "content", "name", "phone", "unit", "email", "may_publish", "consent_at"]
STAMPS = [
    "status",
    "received_at",
    "due_on",
    "accepted_at",
    "replied_at",
    "replied_by",
    "reply_reviewed_at",
    "reply_reviewed_by",
    "closed_at",
    "is_published",
    "published_at",
]
HANDLING = ["department", "reject_reason", "reply"]
PUBLIC = ["public_title", "public_content"]
URGENCY_LABELS = {"overdue": _("已超期"), "soon": _("即将到期"), "stale": _("超过90天未答复")}


class UrgencyFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "urgency"

    def lookups(self, request, model_admin):
        return list(URGENCY_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "soon":
            return queryset.due_soon()
        if self.value() == "stale":
            return queryset.stale()
        return queryset


class LetterAdminForm(forms.ModelForm):
    step_note = forms.CharField(
        label=_("办理说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("随下面的办理按钮一起记入办理记录（退回答复时必填）。"),
    )

    class Meta:
        model = Letter
        fields = [*HANDLING, *PUBLIC]

    def _post_clean(self):
        """The pressed step is checked against the letter as the form would leave it: a 转办 without a department or
        a 答复 without text is refused with the form kept as typed."""
        super()._post_clean()
        key = self.data.get("_step")
        if key:
            try:
                workflow.check(self.instance, key, self.user, self.cleaned_data.get("step_note", ""))
            except workflow.NotAllowed as refusal:
                self.add_error(None, str(refusal))


class LetterStepInline(admin.TabularInline):
    model = LetterStep
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "by_name", "note"]
    readonly_fields = fields
    verbose_name_plural = _("办理记录")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    form = LetterAdminForm
    change_form_template = "admin/mailbox/letter/change_form.html"
    list_display = [
        "title",
        "letter_type",
        "status",
        "department",
        "received_at",
        "due_on",
        "urgency_column",
        "is_published",
    ]
    list_display_links = ["title"]
    list_filter = [UrgencyFilter, "status", "letter_type", "department", "is_published"]
    search_fields = ["title", "name", "phone", "unit"]
    list_select_related = ["department"]
    date_hierarchy = "received_at"
    inlines = [LetterStepInline]

    class Media:
        css = {"all": ["mailbox/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (_("来信（原件，不可修改）"), {"fields": ORIGINAL + ["received_at"]}),
            (
                _("办理"),
                {
                    "fields": [
                        "status",
                        "due_on",
                        *HANDLING,
                        "step_note",
                        "accepted_at",
                        "replied_at",
                        "replied_by",
                        "reply_reviewed_at",
                        "reply_reviewed_by",
                        "closed_at",
                    ]
                },
            ),
            (
                _("网站公开"),
                {
                    "fields": [*PUBLIC, "is_published", "published_at"],
                    "description": _(
                        "公开时若留空，自动取原标题和原内容并隐去姓名、电话、身份证号、邮箱；可在此删改措辞，原信不变。"
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ORIGINAL + STAMPS
        user = request.user
        if obj is None or not user.has_perm(workflow.HANDLE):
            readonly += HANDLING
        else:
            if obj.status not in Letter.OPEN:
                readonly += ["department", "reject_reason"]
            if not (
                obj.status in Letter.OPEN or (obj.status == Letter.Status.REPLIED and obj.reply_reviewed_at is None)
            ):
                readonly += ["reply"]
        if not user.has_perm(workflow.PUBLISH):
            readonly += PUBLIC
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_ordering(self, request):
        """Overdue letters first, then the other unanswered ones by due date, then the rest newest first."""
        today = workdays.beijing_today()
        rank = Case(
            When(Q(status__in=Letter.OPEN, due_on__lt=today), then=Value(0)),
            When(status__in=Letter.OPEN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [rank.asc(), "due_on", "-received_at"]

    @admin.display(description=_("期限提醒"))
    def urgency_column(self, letter):
        key = letter.urgency()
        if not key:
            return "—"
        return format_html('<span class="mb-due mb-due-{}">{}</span>', key, URGENCY_LABELS[key])

    def has_add_permission(self, request):
        return False  # letters come from the public form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # the record of a letter stays

    def save_model(self, request, obj, form, change):
        key = request.POST.get("_step")
        if not key:
            return super().save_model(request, obj, form, change)
        step = workflow.take(obj, key, request.user, form.cleaned_data.get("step_note", ""))
        self.message_user(request, _("“%(action)s”已完成。") % {"action": step.action}, messages.SUCCESS)

    def response_change(self, request, obj):
        if request.POST.get("_step"):  # a workflow step: stay on the letter, which now shows its next steps
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        letter = self.get_object(request, object_id)
        steps = workflow.available(letter, request.user) if letter else []
        extra = {
            "workflow_steps": steps,
            "urgency": letter.urgency() if letter else "",
            "urgency_labels": URGENCY_LABELS,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]
