"""Admin history pages (django-simple-history) that read well in Chinese."""

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
    """History list with who/when/what changed, each version viewable and restorable."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ChoiceLabelsContextHelper(self.model, historical_record)
