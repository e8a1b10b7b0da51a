"""Admin history pages (django-simple-history) that read well in Chinese."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class ChoiceLabelsContextHelper(HistoricalRecordContextHelper):
    """Diffs show 草稿 → 已发布, not draft → published."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """History list with who/when/what changed, each version viewable and restorable. Restoring is a change like any
    other: it takes the right to change the object as it is now (not as the old version was), and saves through the
    admin's form, with that form's rules."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ChoiceLabelsContextHelper(self.model, historical_record)

    def current(self, obj):
        """The row as it is now, for `obj` (an old version's instance, or the row itself)."""
        if obj is None or obj.pk is None:
            return obj
        return self.model._default_manager.filter(pk=obj.pk).first() or obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":  # django-simple-history itself asks only for the right to view
            current = self.get_object(request, unquote(object_id))
            if current is None or not (
                self.has_change_permission(request, current) and self.has_change_history_permission(request, current)
            ):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, self.current(obj))
