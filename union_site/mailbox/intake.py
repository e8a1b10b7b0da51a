"""A letter arriving from the public form: saved with a fresh 查询码 (only its digest kept), the handling staff
told in the background once the letter is committed, and the limits that keep the form from being flooded."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from union_site.accounts.client_ip import client_ip
from union_site.common import ratelimit
from union_site.mailbox import codes
from union_site.mailbox.models import Letter
from union_site.mailbox.tasks import enqueue_notification

FIELDS = ["letter_type", "title", "content", "name", "phone", "unit", "email", "may_publish"]


def receive(cleaned_data):
    """Saves the letter; returns (letter, code). The code is never stored: the caller shows it once."""
    for _attempt in range(5):  # a digest collision is all but impossible; retry rather than fail
        code = codes.new_code()
        try:
            with transaction.atomic():
                letter = Letter.objects.create(
                    **{name: cleaned_data.get(name) or Letter._meta.get_field(name).get_default() for name in FIELDS},
                    consent_at=timezone.now(),
                    query_code_digest=codes.digest(code),
                )
        except IntegrityError:
            continue
        transaction.on_commit(lambda pk=letter.pk: enqueue_notification(pk))
        return letter, code
    raise RuntimeError("查询码生成失败")


def find(typed_code):
    """The letter of a typed 查询码, or None."""
    if not codes.looks_valid(typed_code):
        return None
    return Letter.objects.select_related("department").filter(query_code_digest=codes.digest(typed_code)).first()


# --- limits (settings MAILBOX_LIMITS: (count, seconds) each) ---


def _limit(name):
    return settings.MAILBOX_LIMITS[name]


def letters_allowed(request, phone):
    """Counts one letter for the address and the phone; False when either is over its limit (3 an hour)."""
    count, seconds = _limit("letters_per_ip")
    ip_ok = ratelimit.allow("mailbox-letter-ip", client_ip(request), count, seconds)
    count, seconds = _limit("letters_per_phone")
    phone_ok = ratelimit.allow("mailbox-letter-phone", phone, count, seconds)
    return ip_ok and phone_ok


def query_blocked(request):
    """True when this address has typed too many wrong codes lately (10 in 15 minutes)."""
    count, seconds = _limit("wrong_codes_per_ip")
    return ratelimit.count("mailbox-query-ip", client_ip(request), seconds) >= count


def count_wrong_code(request):
    ratelimit.hit("mailbox-query-ip", client_ip(request), _limit("wrong_codes_per_ip")[1])


def sms_allowed(request, phone):
    count, seconds = _limit("sms_per_phone")
    return ratelimit.allow("mailbox-sms-phone", phone, count, seconds) and ratelimit.allow(
        "mailbox-sms-ip", client_ip(request), count * 3, seconds
    )
