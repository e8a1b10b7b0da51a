"""Form fields shared by the admin of every app."""

from django import forms
from django.core.exceptions import ValidationError

from union_site.common.images import ImageRejected, clean_image


class CleanImageField(forms.ImageField):
    """An image upload that goes through union_site.common.images: format by content, limits, orientation applied,
    metadata removed, generated name. A rejected file is a form error in Chinese and nothing is stored."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        try:
            image = clean_image(data)
        except ImageRejected as rejected:
            raise ValidationError(rejected.message, code="invalid_image") from None
        image.content.taken_at = image.taken_at  # EXIF capture time, for forms that want it
        return image.content


def name_every_input(form, every_field=False):
    """Gives the inputs a screen reader would otherwise read without a name one (aria-label): the date and the time
    of a split date-time (its <label> points at neither), and with `every_field` every field (a tabular inline's row,
    whose only label is the column's header). Works without JavaScript; the admin's 'label' checks (axe) pass."""
    for name, field in form.fields.items():
        label = str(field.label or name)
        widget = field.widget
        while hasattr(widget, "widget") and not hasattr(widget, "widgets"):  # RelatedFieldWidgetWrapper and kin
            widget = widget.widget
        if isinstance(widget, forms.SplitDateTimeWidget):
            for sub, part in zip(widget.widgets, ("日期", "时间"), strict=True):
                sub.attrs.setdefault("aria-label", f"{label}（{part}）")
        elif every_field:
            widget.attrs.setdefault("aria-label", label)
