"""The 两步验证 pages under /admin/two-factor/: enrolment, the code asked after the password, the backup codes shown
once, each person's own settings (and, for superusers, every staff member's, to reset a lost phone), and the
keep-alive the admin's idle warning calls."""

import logging

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from union_site.accounts import two_factor
from union_site.accounts.forms import CodeForm

log = logging.getLogger(__name__)
SHOW_CODES_KEY = "two_factor_new_codes"


def _next_url(request):
    """Where to go after the code: the page asked for, if it is on this site; else the admin's index."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _page(request, template, title, **context):
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, "app_names": two_factor.APP_NAMES, **context},
    )


def _verified(request):
    return request.user.is_verified()


def _login_with(request, device):
    """Record in the session that this device accepted a code (a new session key: none from before survives)."""
    request.session.cycle_key()
    otp_login(request, device)


def setup(request):
    """Enrolment: the QR code and the secret of a new authenticator, confirmed by one code from it."""
    user = request.user
    if user_has_device(user) and not _verified(request):
        # Replacing an authenticator needs a code from the current one: the password alone is not enough.
        return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = two_factor.normalized(form.cleaned_data["otp_token"])
        if code.isdigit() and device.verify_token(code):
            two_factor.confirm_authenticator(user, device)
            _login_with(request, device)
            request.session[SHOW_CODES_KEY] = two_factor.new_backup_codes(user)
            log.info("two-factor enrolled: %s", user.get_username())
            return redirect(f"{reverse('accounts:backup_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("otp_token", "验证码不正确或已过期。请确认手机时间准确，输入应用中当前显示的 6 位数字。")
    return _page(
        request,
        "admin/accounts/two_factor_setup.html",
        "设置两步验证",
        form=form,
        qr_svg=two_factor.qr_svg(device),
        secret=two_factor.secret_text(device),
        username=user.get_username(),
        required=two_factor.two_factor_required(user),
        next=_next_url(request),
    )


def verify(request):
    """The second step of a login: a code from the authenticator, or one backup code."""
    user = request.user
    if _verified(request):
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None, backup=True)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user, form.cleaned_data["otp_token"])
        if device is not None:
            _login_with(request, device)
            if isinstance(device, two_factor.StaticDevice):
                left = two_factor.backup_codes_left(user)
                messages.warning(request, f"您用了一个备用码，还剩 {left} 个。备用码用完前请在“两步验证”页重新生成。")
            return redirect(_next_url(request))
        log.warning("two-factor code refused: %s", user.get_username())
        until = two_factor.throttled_until(user)
        if until and until > timezone.now():
            form.add_error(
                "otp_token", f"错误次数较多，请于 {timezone.localtime(until):%H:%M:%S}（北京时间）之后再输入。"
            )
        else:
            form.add_error("otp_token", "验证码不正确、已过期或已经用过。")
    return _page(request, "admin/accounts/two_factor_verify.html", "两步验证", form=form, next=_next_url(request))


def backup_codes(request):
    """The backup codes just made, shown this once (they are not kept in the session afterwards)."""
    codes = request.session.pop(SHOW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return _page(request, "admin/accounts/backup_codes.html", "两步验证备用码", codes=codes, next=_next_url(request))


def two_factor_settings(request):
    """Each person's 两步验证 page; superusers also see everyone's state and can reset it."""
    user = request.user
    context = {
        "enrolled": two_factor.has_authenticator(user),
        "required": two_factor.two_factor_required(user),
        "codes_left": two_factor.backup_codes_left(user),
    }
    if user.is_superuser:
        staff = get_user_model().objects.filter(is_staff=True).order_by("username").prefetch_related("groups")
        enrolled = set(
            two_factor.TOTPDevice.objects.filter(confirmed=True, user__in=staff).values_list("user_id", flat=True)
        )
        context["staff"] = [(person, person.pk in enrolled, two_factor.two_factor_required(person)) for person in staff]
    return _page(request, "admin/accounts/two_factor.html", "两步验证", **context)


@require_POST
def new_codes(request):
    if not two_factor.has_authenticator(request.user):
        return redirect("accounts:setup")
    request.session[SHOW_CODES_KEY] = two_factor.new_backup_codes(request.user)
    return redirect("accounts:backup_codes")


@require_POST
def turn_off(request):
    """Turning it off is for those who chose it; a required user can only re-bind."""
    if two_factor.two_factor_required(request.user):
        raise PermissionDenied("您的账号必须使用两步验证。")
    two_factor.reset_two_factor(request.user)
    two_factor.forget_verification(request.session)
    messages.success(request, "已停用两步验证。")
    return redirect("accounts:two_factor")


@require_POST
def reset_user(request, pk):
    """A superuser resets someone's two-factor (a lost phone): they enrol again at their next login."""
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=pk)
    two_factor.reset_two_factor(person)
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message="重置了两步验证（下次登录时重新绑定验证器）",
        single_object=True,
    )
    log.warning("two-factor reset for %s by %s", person.get_username(), request.user.get_username())
    messages.success(request, f"已重置 {person.get_username()} 的两步验证：下次登录时需重新绑定验证器。")
    return redirect("accounts:two_factor")


@never_cache
@require_POST
def keepalive(request):
    """Called by the idle warning's 继续工作 button: the request itself is the activity; answers the time left."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0}, status=401)
    return JsonResponse({"seconds_left": getattr(request, "session_idle", {}).get("seconds_left", 0)})
