"""Two-factor sign-in: who must use it, enrolling an authenticator app (TOTP), checking a code, backup codes.

Required for superusers and the groups in `OTP_REQUIRED_GROUPS` (审核 by default); anyone else may turn it on, and
then it is asked of them too. A session counts as verified once django-otp's `login()` has recorded the device that
accepted a code (OTPMiddleware then gives `request.user.is_verified()`); union_site/accounts/middleware.py keeps an
unverified session out of the admin."""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
APP_NAMES = "微信小程序“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator"


def two_factor_required(user):
    """Must this user use two-factor? Superusers and the listed groups, unless the development bypass is on."""
    if not user.is_authenticated or settings.OTP_DEV_BYPASS:
        return False
    return user.is_superuser or any(group.name in settings.OTP_REQUIRED_GROUPS for group in user.groups.all())


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enter_code(user):
    """Is a code asked of this user after the password: because it is required, or because they turned it on."""
    return user.is_authenticated and (two_factor_required(user) or user_has_device(user))


def pending_authenticator(user):
    """The not yet confirmed TOTP device of an enrolment in progress (made on first use), so that reloading the
    page keeps the QR code the person may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="验证器应用", confirmed=False)


def secret_text(device):
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The otpauth:// address as an inline SVG QR code, drawn here (segno): the secret goes to no other service."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=3, dark="#000", light="#fff", title="两步验证二维码")


def normalized(code):
    return "".join(code.split()).replace("-", "").lower()


def verify_code(user, code):
    """The confirmed device that accepts `code` (6 digits: the authenticator; otherwise: a backup code, used up
    by this), or None. django-otp throttles each device after wrong codes and refuses a TOTP code used before."""
    code = normalized(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def throttled_until(user):
    """When the user's devices accept codes again after too many wrong ones, or None."""
    times = []
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.devices_for_user(user, confirmed=True):
            allowed, details = device.verify_is_allowed()
            if not allowed and details and details.get("locked_until"):
                times.append(details["locked_until"])
    return max(times) if times else None


@transaction.atomic
def confirm_authenticator(user, device):
    """The enrolment's device becomes the user's one authenticator (an earlier one, when re-binding, goes)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def new_backup_codes(user):
    """Ten fresh single-use backup codes; earlier ones stop working. Returned once, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="备用码", confirmed=True)
    codes = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_two_factor(user):
    """Remove the user's authenticator and backup codes (a lost phone): they enrol again at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def forget_verification(session):
    session.pop(DEVICE_ID_SESSION_KEY, None)
