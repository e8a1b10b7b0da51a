"""The pluggable phone check of the letter form: a code sent by SMS, typed back before the letter is accepted.

Off by default (MAILBOX_SMS_BACKEND empty: the form asks for no code). A backend is a class with
`send(phone, message)`; `ConsoleBackend` (development) writes the message to the log instead of sending it. A real
provider (阿里云短信, 腾讯云短信 …) is a class of the same shape, named in the setting.

The code: 6 digits, kept in the cache for CODE_SECONDS as a digest beside the phone's digest; at most MAX_TRIES
wrong entries, then a new code must be asked for. Sending is rate-limited per phone like the letters themselves."""

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
CODE_SECONDS = 10 * 60
MAX_TRIES = 5
PREFIX = "mailbox:sms:v1"


class ConsoleBackend:
    """Development: the message goes to the log (the console of `runserver`), nothing is sent."""

    def send(self, phone, message):
        logger.warning("短信（未发送，开发用）→ %s：%s", phone, message)


def backend():
    """The configured backend, or None when the check is off."""
    path = settings.MAILBOX_SMS_BACKEND
    return import_string(path)() if path else None


def enabled():
    return bool(settings.MAILBOX_SMS_BACKEND)


def _key(phone):
    return f"{PREFIX}:{hashlib.sha256(phone.encode()).hexdigest()[:32]}"


def _digest(phone, code):
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(phone):
    """A new code for `phone`, sent through the backend. Returns the code (tests read it; the view does not show it)."""
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_key(phone), {"digest": _digest(phone, code), "tries": 0}, CODE_SECONDS)
    backend().send(phone, f"【{settings.SITE_NAME}】您的主席信箱验证码是 {code}，10 分钟内有效。")
    return code


def verify_code(phone, code):
    """True once for the right code (then it is used up); False for a wrong, expired or over-tried one."""
    key = _key(phone)
    entry = cache.get(key)
    if not entry or entry["tries"] >= MAX_TRIES:
        return False
    if hmac.compare_digest(entry["digest"], _digest(phone, (code or "").strip())):
        cache.delete(key)
        return True
    entry["tries"] += 1
    cache.set(key, entry, CODE_SECONDS)
    return False
