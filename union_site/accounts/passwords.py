"""Password length rule: Django's, with its error message in Chinese again.

Django 5.2.19 rewrote that message's text (``%d`` for ``%(min_length)d``) and its zh_Hans catalog still holds the
earlier text only, so the error came out in English. This asks for the earlier, translated text: Django's own
Chinese, "密码长度太短。密码必须包含至少 12 个字符。". Remove it once Django's catalog catches up."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
