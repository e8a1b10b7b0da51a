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
