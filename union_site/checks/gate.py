"""The checks in the admin: what the apps' admins use (README "内容检查"). The only module of union_site/checks the
apps import; it imports no app.

    ContentCheckFormMixin   on the admin form: `content_report` for the panel; `check_content(publishing=…)` in
                            clean() refuses a save that leaves the content public with 禁用 hits or personal data,
                            unless someone who may (content_checks.add_checkoverride: 审核, superusers) ticks
                            忽略以上问题，仍然发布 and writes a reason. Findings an earlier override covered do not
                            stop the save again; new ones do.
    ContentCheckAdminMixin  on the ModelAdmin: the panel above the form (admin/content_checks/change_form.html over
                            the admin's own change form), the findings in a message after saving, the override
                            recorded (CheckOverride, and the history's change reason)
    blocked(obj) / findings_message(report, obj)   for bulk actions (立即发布 refuses the blocked ones)
"""

import copy

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.forms.models import construct_instance
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from union_site.checks.models import CheckOverride
from union_site.checks.report import Report, check

OVERRIDE_PERMISSION = "content_checks.add_checkoverride"
LISTED_IN_MESSAGES = 8  # findings a message lists; the panel lists all


def may_override(user):
    return user is not None and user.has_perm(OVERRIDE_PERMISSION)


def latest_override(obj):
    if obj is None or obj.pk is None:
        return None
    kind = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return CheckOverride.objects.filter(content_type=kind, object_id=obj.pk).select_related("user").first()


def open_findings(report, override):
    """The blocking findings `override` (the latest one of the object) did not cover."""
    covered = set(override.keys) if override else set()
    return [finding for finding in report.blocking if finding.key not in covered]


def blocked(obj, report=None):
    """The report of `obj` when it may not be published as it is (uncovered blocking findings), else None."""
    report = report if report is not None else check(obj)
    return report if open_findings(report, latest_override(obj)) else None


def record_override(obj, user, reason, report):
    return CheckOverride.objects.create(
        content_object=obj,
        object_repr=str(obj)[:200],
        user=user,
        reason=reason,
        summary=report.summary(),
        keys=report.keys,
    )


CHANGE_REASON_LENGTH = 100  # django-simple-history's field; the whole reason is in the CheckOverride


def change_reason(reason, report):
    """The history's 更改原因 of a save that went ahead despite the checks."""
    text = f"忽略内容检查发布（{report.counts()}）。理由：{reason}"
    return text if len(text) <= CHANGE_REASON_LENGTH else text[: CHANGE_REASON_LENGTH - 1] + "…"


def findings_message(report, obj=None):
    """The findings as one message (HTML, escaped): what, where, in its sentence, what to do."""
    items = format_html_join(
        "",
        "<li>{}：{}“{}”　{}{}</li>",
        (
            (f.field, f.what, f.hit, f.context_html(), f"　{f.suggestion}" if f.suggestion else "")
            for f in report.findings[:LISTED_IN_MESSAGES]
        ),
    )
    more = len(report.findings) - LISTED_IN_MESSAGES
    rest = format_html("<li>另有 {} 处，请打开页面查看检查结果。</li>", more) if more > 0 else ""
    title = f"《{obj}》" if obj is not None else ""
    return format_html("内容检查{}：{}。<ul>{}{}</ul>", title, report.counts(), items, rest)


def refusal_message(titles):
    """立即发布 of several: the ones it did not publish, by name."""
    names = "、".join(f"《{title}》" for title in titles)
    return _(
        "以下 %(n)d 篇有禁用词或个人信息，未发布：%(names)s。请打开文章按检查结果修改；确需发布的，"
        "由审核人员在文章页勾选“忽略以上问题，仍然发布”并写明理由。"
    ) % {"n": len(titles), "names": names}


class ContentCheckFormMixin(forms.ModelForm):
    checks_override = forms.BooleanField(label=_("忽略以上问题，仍然发布"), required=False)
    checks_override_reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "如：联系电话是本单位公开的办事电话。理由和检查结果会记入记录（后台 › 内容检查 › 忽略检查发布记录）。"
        ),
    )
    checks_user = None  # who is saving: ContentCheckAdminMixin.get_form sets it on the form class of the request
    checks_blocks = True  # False: the findings are shown, a save is never refused (content without a published flag)
    checks_pending = None  # (reason, report) of an override this save records

    @property
    def content_report(self):
        """The findings the panel shows: of what this form posted, once it is cleaned; else of the saved content."""
        if not hasattr(self, "_content_report"):
            self._content_report = check(self.instance) if self.instance.pk else Report()
        return self._content_report

    @property
    def checks_override_record(self):
        if not hasattr(self, "_override_record"):
            self._override_record = latest_override(self.instance)
        return self._override_record

    @property
    def checks_open(self):
        return open_findings(self.content_report, self.checks_override_record)

    @property
    def checks_offer_override(self):
        return self.checks_blocks and bool(self.checks_open) and may_override(self.checks_user)

    def check_content(self, publishing):
        """From clean(): checks the texts as this form would save them; `publishing`: the content is public (or
        published) once saved. Refuses the save (a form error) when it would publish uncovered blocking findings
        without an override and its reason."""
        candidate = construct_instance(self, copy.copy(self.instance))
        self._content_report = check(candidate, form=self)
        if not (self.checks_blocks and publishing and self.checks_open):
            return
        counts = Report(self.checks_open).counts()
        if not may_override(self.checks_user):
            self.add_error(
                None, _("不能发布：内容检查发现%(counts)s（见上方检查结果），请修改后再发布。") % {"counts": counts}
            )
        elif not self.cleaned_data.get("checks_override"):
            self.add_error(
                None,
                _(
                    "不能发布：内容检查发现%(counts)s（见上方检查结果）。请修改；确需发布的，请勾选“忽略以上问题，"
                    "仍然发布”并写明理由。"
                )
                % {"counts": counts},
            )
        elif not (self.cleaned_data.get("checks_override_reason") or "").strip():
            self.add_error("checks_override_reason", _("请写明忽略检查、仍然发布的理由。"))
        else:
            self.checks_pending = (self.cleaned_data["checks_override_reason"].strip(), self._content_report)


class ContentCheckAdminMixin:
    """Put it before the admin's other bases. `checks_base_template`: the change form this one extends (the admin's
    own, if it has one)."""

    change_form_template = "admin/content_checks/change_form.html"
    checks_base_template = "admin/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.checks_user = request.user  # a class made for this request
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["checks_base_template"] = self.checks_base_template
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        pending = getattr(form, "checks_pending", None)
        if pending:
            obj._change_reason = change_reason(*pending)  # django-simple-history's 更改原因 of this save
        super().save_model(request, obj, form, change)
        if pending:
            record_override(obj, request.user, *pending)
            self.message_user(request, _("已忽略内容检查发布，理由和检查结果已记录。"), messages.WARNING)
        report = getattr(form, "_content_report", None)
        if report:
            level = messages.WARNING if report.blocking else messages.INFO
            self.message_user(request, findings_message(report), level)
