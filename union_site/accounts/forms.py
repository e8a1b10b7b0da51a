from django import forms


class CodeForm(forms.Form):
    """One code: the 6 digits an authenticator app shows, or (when `backup` is allowed) a backup code."""

    otp_token = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
    )

    def __init__(self, *args, backup=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["otp_token"]
        if backup:
            field.help_text = "验证器应用中的 6 位数字；手机不在身边时，可输入一个备用码（每个只能用一次）。"
        else:
            field.help_text = "验证器应用中显示的 6 位数字。"
            field.widget.attrs["inputmode"] = "numeric"
