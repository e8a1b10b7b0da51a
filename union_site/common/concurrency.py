"""Saving under a race: the database decides, in the transaction of the save (STYLE.md).

- Two people change the same row. A versioned row (`VersionedModel`) carries a `version` number that every save
  moves on by one. The admin's change form carries the version it was loaded from (`loaded_version`); saving claims
  that version in the UPDATE itself (`version = loaded` → `loaded + 1`). No row claimed: someone saved in between, so
  nothing is written (the whole save, inlines included, rolls back) and the form comes back with this person's text
  and a message naming who saved and when. Saving again, knowingly, overwrites: the form then carries the newer
  version.
- One add form sent twice (a double click, a resend after a timeout). The add form carries a one-time token
  (`form_token`), inserted under a unique key in the transaction that adds the row: the second submission adds
  nothing and lands on the page of the row the first one added. A database row rather than the cache: the cache is
  per process (LocMemCache), the database is shared by every worker and host.

`RaceSafeAdminMixin` (admin) and `EditConflictMixin` (its form) do both; the models inherit `VersionedModel`.
"""

import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, router, transaction
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORM_TOKEN_DAYS = 1  # tokens older than this are deleted whenever a form is added
ALREADY_SUBMITTED = gettext_lazy("这份表单已经提交过，未重复保存。")


class VersionedModel(models.Model):
    """A row whose `version` moves on by one with every save, whichever code saves it (a form, a bulk action, an
    import). A save that did not claim a version itself (see `claim_version`) reads the row's version under a row
    lock and writes the next one, so the number only ever grows. A queryset `update()` must add
    `version=F("version") + 1` itself."""

    version = models.PositiveIntegerField(
        gettext_lazy("版本号"), default=0, editable=False, help_text=gettext_lazy("每保存一次加一，用于发现同时编辑。")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.__dict__.pop("_version_claimed", False):  # claim_version() already moved it on, in the database
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            current = None
            if self.pk is not None:
                rows = type(self)._base_manager.using(using).select_for_update().filter(pk=self.pk)
                current = rows.values_list("version", flat=True).first()
            if current is not None:
                self.version = current + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)


def for_update(queryset):
    """The rows of `queryset`, fresh and locked until the transaction ends (bulk actions that save row by row)."""
    pks = list(queryset.values_list("pk", flat=True))
    return queryset.model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")


class EditConflict(Exception):
    """The version a change form was loaded from is no longer the row's: nothing may be written."""


class AlreadySubmitted(Exception):
    """This add form's token was used already."""


def claim_version(obj, loaded):
    """Claims version `loaded` of `obj`'s row for this save, in the UPDATE itself; run it inside the save's
    transaction, before anything is written. Raises EditConflict when the row has moved on (or is gone)."""
    claimed = type(obj)._base_manager.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict
    obj.version = loaded + 1
    obj._version_claimed = True  # the save that follows writes this version as it is


def changed_at(moment):
    """Beijing time, to the second; with the date when it was not today."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")


def conflict_message(current):
    """What the second person to save is told: who saved in between and when."""
    who = getattr(current, "updated_by", None)
    when = getattr(current, "updated_at", None)
    return _(
        "保存未成功：您打开这一页之后，%(who)s 在 %(when)s 修改并保存了它。为免覆盖对方的修改，请先在新窗口中"
        "查看最新内容；如确认要用您的版本覆盖，请再次点击保存。"
    ) % {
        "who": (who.get_full_name() or who.get_username()) if who else _("其他人"),
        "when": changed_at(when) if when else _("刚才"),
    }


class FormToken(models.Model):
    """One use of an add form: its token, and the row that use added."""

    key = models.CharField(gettext_lazy("表单令牌"), max_length=64, unique=True)
    model = models.CharField(gettext_lazy("数据类型"), max_length=100, help_text=gettext_lazy("如 news.article"))
    object_id = models.CharField(gettext_lazy("新增记录编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(gettext_lazy("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        app_label = "union_site"  # a table of the project (migrations in union_site/migrations), kept with its code
        verbose_name = gettext_lazy("表单提交记录")
        verbose_name_plural = gettext_lazy("表单提交记录")

    def __str__(self):
        return self.key


def take_form_token(key, model):
    """Inserts `key` for an add form of `model`, inside the transaction that adds the row. Raises AlreadySubmitted
    when another submission holds it (waiting, on PostgreSQL, until that one commits or rolls back)."""
    FormToken.objects.filter(created_at__lt=timezone.now() - timedelta(days=FORM_TOKEN_DAYS)).delete()
    try:
        with transaction.atomic():  # a savepoint: the unique key decides, and this transaction goes on
            return FormToken.objects.create(key=key, model=model._meta.label_lower)
    except IntegrityError:
        raise AlreadySubmitted from None


class EditConflictMixin(forms.ModelForm):
    """For the admin forms of versioned models (with `updated_at` and `updated_by` for the message). A change form
    carries the version it was loaded from; an add form a one-time token. The form checks the version when it is
    validated (so the usual case needs no save attempt); `RaceSafeAdminMixin` claims it when saving. A POST without
    `loaded_version` (not from this form) is saved without the check."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    edit_conflict = False  # RaceSafeAdminMixin sets it on the form class when a save lost the race

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the database, not the instance: restoring an old version edits the row as it is now.
            rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            self.fields["loaded_version"].initial = rows.values_list("version", flat=True).first()
        else:
            self.fields["form_token"].initial = secrets.token_urlsafe(24)

    def current_row(self):
        return type(self.instance)._base_manager.filter(pk=self.instance.pk).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        loaded = cleaned.get("loaded_version")
        current = self.current_row()
        if current is None or not (self.edit_conflict or (loaded is not None and current.version != loaded)):
            return cleaned
        # Carry the newer version, so that saving once more is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current.version
        raise forms.ValidationError(conflict_message(current), code="edit_conflict")


class RaceSafeAdminMixin:
    """ModelAdmin of a versioned model with an EditConflictMixin form. Changing claims the loaded version inside the
    save's transaction; losing the race rolls the save back and shows the form again with the message. Adding takes
    the form's token in the transaction that adds the row; a second submission lands on the first one's page.
    Also stamps `updated_by` when the model has it. Covers the change page, the add page and restoring an old
    version (django-simple-history's form view)."""

    def get_fieldsets(self, request, obj=None):
        """The hidden fields travel in the first fieldset, whatever fieldsets the admin declares."""
        fieldsets = list(super().get_fieldsets(request, obj))
        name, options = fieldsets[0]
        hidden = [field for field in ("loaded_version", "form_token") if field not in options["fields"]]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], *hidden]})
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.edit_conflict = getattr(request, "_edit_conflict", False)  # a class made for this request
        return form

    def save_model(self, request, obj, form, change):
        if any(field.name == "updated_by" for field in self.model._meta.concrete_fields):
            obj.updated_by = request.user
        loaded = form.cleaned_data.get("loaded_version") if isinstance(form, EditConflictMixin) else None
        if change and loaded is not None:
            claim_version(obj, loaded)
        super().save_model(request, obj, form, change)
        token = getattr(request, "_form_token", None)
        if not change and token is not None and not token.object_id:
            token.object_id = str(obj.pk)
            token.save(update_fields=["object_id"])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        if request.method == "POST" and object_id is None and request.POST.get("form_token"):
            return self._add_once(request, view, form_url, extra_context)
        return self._change_safely(request, view, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._change_safely(request, super().history_form_view, object_id, version_id, extra_context)

    def _change_safely(self, request, view, *args):
        if request.method != "POST":
            return view(request, *args)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args)
        except EditConflict:
            # Nothing was written. The same request again, now with the message: the form keeps what was typed.
            request._edit_conflict = True
            for _name, uploads in request.FILES.lists():
                for upload in uploads:
                    upload.seek(0)
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args)

    def _add_once(self, request, view, form_url, extra_context):
        key = request.POST["form_token"][:64]
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                request._form_token = take_form_token(key, self.model)
                response = view(request, None, form_url, extra_context)
                if not request._form_token.object_id:  # the form came back with errors: the token stays unused
                    transaction.set_rollback(True)
                return response
        except AlreadySubmitted:
            return self._already_submitted(request, key)

    def _already_submitted(self, request, key):
        self.message_user(request, ALREADY_SUBMITTED, messages.WARNING)
        token = FormToken.objects.filter(key=key).first()
        opts = self.model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        if token and token.object_id and token.model == opts.label_lower:
            return redirect(reverse(f"{prefix}_change", args=[token.object_id], current_app=self.admin_site.name))
        return redirect(reverse(f"{prefix}_changelist", current_app=self.admin_site.name))
