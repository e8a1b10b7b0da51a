"""The public pages of 主席信箱: the published letters, the form, the 查询码 page and the lookup."""

from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from union_site.mailbox import codes, intake, sms
from union_site.mailbox.forms import LetterForm, QueryForm
from union_site.mailbox.models import Letter
from union_site.mailbox.workdays import reply_days
from union_site.site_settings import get_site_settings

SESSION_CODE = "mailbox_new_code"
HOME_CRUMB = ("/mailbox/", "主席信箱")


def promised_days():
    return {"consult": reply_days(Letter.Type.CONSULT), "other": reply_days(Letter.Type.COMPLAINT)}


class LetterListView(ListView):
    template_name = "mailbox/letter_list.html"
    context_object_name = "letters"
    paginate_by = 15

    def chosen(self):
        letter_type = self.request.GET.get("type", "")
        return {
            "type": letter_type if letter_type in Letter.Type.values else "",
            "q": self.request.GET.get("q", "").strip()[:50],
        }

    def get_queryset(self):
        chosen = self.chosen()
        letters = Letter.objects.published().select_related("department")
        if chosen["type"]:
            letters = letters.filter(letter_type=chosen["type"])
        if chosen["q"]:
            letters = letters.search(chosen["q"])
        return letters.order_by("-published_at", "-id")

    def get_context_data(self, **kwargs):
        chosen = self.chosen()
        query = urlencode({key: value for key, value in chosen.items() if value})
        return super().get_context_data(
            chosen={**chosen, "any": any(chosen.values())},
            page_query=f"{query}&" if query else "",
            types=Letter.Type.choices,
            days=promised_days(),
            crumbs=[(None, "主席信箱")],
            **kwargs,
        )


class LetterDetailView(DetailView):
    template_name = "mailbox/letter_detail.html"
    context_object_name = "letter"

    def get_queryset(self):
        return Letter.objects.published().select_related("department")

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[HOME_CRUMB, (None, "来信详情")], **kwargs)


def _form_page(request, form, status=200, **extra):
    context = {
        "form": form,
        "notice": get_site_settings().mailbox_notice,
        "days": promised_days(),
        "sms_on": sms.enabled(),
        "crumbs": [HOME_CRUMB, (None, "我要写信")],
        **extra,
    }
    return render(request, "mailbox/letter_form.html", context, status=status)


def too_many(request, what):
    return render(
        request, "mailbox/rate_limited.html", {"what": what, "crumbs": [HOME_CRUMB, (None, "请稍后再试")]}, status=429
    )


@never_cache
def letter_new(request):
    sms_on = sms.enabled()
    if request.method != "POST":
        return _form_page(request, LetterForm(sms_required=sms_on))
    form = LetterForm(request.POST, sms_required=sms_on)
    if form.is_robot:
        return render(request, "mailbox/refused.html", {"crumbs": [HOME_CRUMB, (None, "未能提交")]}, status=400)
    if sms_on and "send_code" in request.POST:
        return _send_sms_code(request, form)
    if not form.is_valid():
        return _form_page(request, form)
    data = form.cleaned_data
    if sms_on and not sms.verify_code(data["phone"], data.get("sms_code")):
        form.add_error("sms_code", "短信验证码不正确或已过期，请重新获取。")
        return _form_page(request, form)
    if not intake.letters_allowed(request, data["phone"]):
        return too_many(request, "letters")
    _letter, code = intake.receive(data)
    request.session[SESSION_CODE] = code
    return redirect("mailbox:sent")


def _send_sms_code(request, form):
    """The form's 获取验证码 button: checks the phone only, sends a code, and shows the form again as typed."""
    form.is_valid()  # for the typed phone; errors of the other fields are not shown yet
    phone = form.cleaned_data.get("phone")
    phone_errors = form.errors.get("phone")
    form._errors = ErrorDict({"phone": phone_errors} if phone_errors else {})
    if not phone:
        return _form_page(request, form)
    if not intake.sms_allowed(request, phone):
        return too_many(request, "sms")
    sms.send_code(phone)
    return _form_page(request, form, sms_sent=True)


@never_cache
def letter_sent(request):
    """The 查询码, once: it leaves the session as it is shown, and only its digest is kept."""
    code = request.session.pop(SESSION_CODE, None)
    return render(
        request,
        "mailbox/letter_sent.html",
        {
            "code": codes.display(code) if code else "",
            "days": promised_days(),
            "crumbs": [HOME_CRUMB, (None, "来信已提交")],
        },
    )


@never_cache
def letter_query(request):
    crumbs = [HOME_CRUMB, (None, "来信查询")]
    if request.method != "POST":
        return render(request, "mailbox/letter_query.html", {"form": QueryForm(), "crumbs": crumbs})
    if intake.query_blocked(request):
        return too_many(request, "query")
    form = QueryForm(request.POST)
    letter = None
    if form.is_valid():
        letter = intake.find(form.cleaned_data["code"])
        if letter is None:
            intake.count_wrong_code(request)
            form.add_error("code", "没有找到这个查询码对应的来信，请核对后重新输入（注意不要多输或少输字符）。")
    return render(request, "mailbox/letter_query.html", {"form": form, "letter": letter, "crumbs": crumbs})
