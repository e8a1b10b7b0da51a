"""The history pages' cells (union_site/templates/admin/history/)."""

from django import template

from union_site.common.history import RESTORE_PREFIX, person

register = template.Library()
ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


@register.simple_tag
def history_has_reasons(records):
    """修改原因 is shown only when a version on this page has one."""
    return any(record.history_change_reason for record in records)


@register.simple_tag
def history_person(user):
    return person(user)


@register.simple_tag
def history_action(record):
    if (record.history_change_reason or "").startswith(RESTORE_PREFIX):
        return "还原"
    return ACTIONS.get(record.history_type, record.history_type)


@register.filter
def history_columns(record, names):
    """The admin's history_list_display values of `record` (set on it by the history view)."""
    return [getattr(record, name, "") for name in names]
