"""Two people editing the same row: the second save gets a warning instead of silently overwriting the first."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _


def version_of(instance):
    return instance.updated_at.isoformat() if instance.updated_at else ""


class EditConflictMixin(forms.ModelForm):
    """For models with `updated_at` (and optionally `updated_by`). The form carries the version it was loaded
    from; if the row changed since, saving stops with a message. Saving again, knowingly, overwrites."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: restoring an old version edits the row as it is now.
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            self.fields["loaded_version"].initial = version_of(current or self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        loaded = cleaned.get("loaded_version") or ""
        if current is None or not loaded or version_of(current) == loaded:
            return cleaned
        # Carry the newer version, so that saving once more is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = version_of(current)
        who = getattr(current, "updated_by", None)
        when = timezone.localtime(current.updated_at).strftime("%H:%M:%S")
        raise forms.ValidationError(
            _(
                "保存未成功：您打开这一页之后，%(who)s 在 %(when)s 修改并保存了它。为免覆盖对方的修改，请先在新窗口中"
                "查看最新内容；如确认要用您的版本覆盖，请再次点击保存。"
            )
            % {"who": who.get_full_name() or who.get_username() if who else _("其他人"), "when": when},
            code="edit_conflict",
        )
