"""Text clean-up shared by every app."""

import re

# C0 control characters other than tab, newline and carriage return, DEL, and the non-characters U+FFFE/U+FFFF:
# pasted from Word/WPS, they break RSS and XLSX (XML 1.0 forbids them even as escapes).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def strip_controls(text):
    return _CONTROL.sub("", text) if text else text


class CleanTextMixin:
    """Strips control characters from every text field before saving."""

    def clean_text_fields(self):
        for field in self._meta.concrete_fields:
            if field.get_internal_type() in {"CharField", "TextField", "SlugField"}:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_controls(value))

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        super().save(*args, **kwargs)
