"""The visitor's forms, with every message in Chinese and each field's limits stated on the page."""

import re

from django import forms
from django.forms import BoundField

from union_site.common.text import strip_controls
from union_site.mailbox.models import Letter

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CONTENT_MIN, CONTENT_MAX = 10, 2000


def required(message, **extra):
    return {"required": message, **extra}


class DescribedBoundField(BoundField):
    """Django names each input's help text and errors in aria-describedby (ids `<id>_helptext`, `<id>_error`, as
    mailbox/_field.html writes them); this adds what else describes a field (`described_by`: the consent box names the
    notice it agrees to)."""

    @property
    def aria_describedby(self):
        ids = [super().aria_describedby or "", *self.form.described_by.get(self.name, [])]
        return " ".join(i for i in ids if i)


class CleanedTextMixin:
    """Control characters (union_site/common/text.py) are taken out of what was typed before any check, so a NUL
    pasted from Word is dropped, not answered with Django's English "Null characters are not allowed"."""

    def __init__(self, data=None, *args, **kwargs):
        if hasattr(data, "setlist"):  # a QueryDict
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(key, [strip_controls(value) for value in data.getlist(key)])
        elif data is not None:
            data = {key: strip_controls(value) if isinstance(value, str) else value for key, value in data.items()}
        super().__init__(data, *args, **kwargs)


class LetterForm(CleanedTextMixin, forms.Form):
    bound_field_class = DescribedBoundField
    described_by = {"consent": ["mailbox-notice"]}

    letter_type = forms.ChoiceField(
        label="来信类型",
        choices=Letter.Type.choices,
        widget=forms.RadioSelect,
        error_messages=required("请选择来信类型。", invalid_choice="请从列出的类型中选择。"),
    )
    title = forms.CharField(
        label="标题",
        max_length=100,
        help_text="用一句话概括，最多 100 个字。",
        error_messages=required("请填写标题。", max_length="标题最多 100 个字，现在是 %(show_value)d 个字。"),
    )
    content = forms.CharField(
        label="来信内容",
        min_length=CONTENT_MIN,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"请写清事情经过和诉求，{CONTENT_MIN}～{CONTENT_MAX} 个字。",
        error_messages=required(
            "请填写来信内容。",
            min_length=f"来信内容至少 {CONTENT_MIN} 个字，请把事情写清楚。",
            max_length=f"来信内容最多 {CONTENT_MAX} 个字，现在是 %(show_value)d 个字。",
        ),
    )
    name = forms.CharField(
        label="姓名",
        max_length=20,
        error_messages=required("请填写姓名。", max_length="姓名最多 20 个字。"),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="手机号码或固定电话，如 13812345678 或 0543-1234567，仅用于联系您。",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages=required("请填写联系电话。", max_length="联系电话格式不正确。"),
    )
    unit = forms.CharField(
        label="工作单位（选填）",
        max_length=100,
        required=False,
        error_messages={"max_length": "工作单位最多 100 个字。"},
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com。", "max_length": "电子邮箱太长。"},
    )
    may_publish = forms.BooleanField(
        label="同意在隐去姓名、电话等个人信息后，将来信和答复在网站公开",
        required=False,
        help_text="不勾选也会办理和答复，只是不在网站公开。",
    )
    consent = forms.BooleanField(
        label="我已阅读并同意上面的《个人信息处理说明》",
        error_messages=required("请阅读并勾选同意《个人信息处理说明》，否则无法受理来信。"),
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled by form-filling robots.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args, sms_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sms_required = sms_required
        if sms_required:
            self.fields["sms_code"] = forms.CharField(
                label="短信验证码",
                max_length=6,
                help_text="先点“获取验证码”，将手机收到的 6 位数字填在这里。",
                error_messages=required("请填写短信验证码。"),
            )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip().replace(" ", "")
        if not PHONE.match(phone):
            raise forms.ValidationError("请填写正确的手机号码或固定电话，如 13812345678 或 0543-1234567。")
        return phone

    @property
    def is_robot(self):
        return bool(self.data.get("website"))

    def error_list(self):
        """(field id, label, message) of every error, for the summary at the top of the form."""
        rows = []
        for name, messages in self.errors.items():
            field = self[name] if name in self.fields else None
            target = (field.id_for_label or f"{field.auto_id}_0") if field else ""
            rows += [(target, field.label if field else "", message) for message in messages]
        return rows


class QueryForm(CleanedTextMixin, forms.Form):
    bound_field_class = DescribedBoundField
    described_by = {}

    code = forms.CharField(
        label="查询码",
        max_length=20,
        help_text="提交来信后显示的 12 位查询码，如 ABCD-EFGH-JKMN，不区分大小写。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages=required("请填写查询码。", max_length="查询码是 12 位字母和数字。"),
    )

    def error_list(self):
        return LetterForm.error_list(self)
