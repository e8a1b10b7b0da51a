"""The visitor's answer form, built from a survey's questions, with every message in Chinese. Control characters are
taken out before any check and each question's errors are named at the top and at the question, as in the
主席信箱's forms (whose mixins these are)."""

from django import forms

from union_site.mailbox.forms import CleanedTextMixin, DescribedBoundField, LetterForm
from union_site.surveys.models import TEXT_MAX, Question

INVALID_CHOICE = "请从列出的选项中选择。"


def field_name(question):
    return f"q{question.pk}"


def _help(question):
    parts = [question.note] if question.note else []
    if question.kind == Question.Kind.MULTIPLE:
        parts.append(f"可多选，最多选 {question.max_choices} 项。" if question.max_choices else "可多选。")
    elif question.kind == Question.Kind.TEXT:
        parts.append(f"最多 {TEXT_MAX} 个字。")
    return " ".join(parts)


def answer_field(question, number):
    common = {"label": f"{number}. {question.text}", "required": question.is_required, "help_text": _help(question)}
    choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
    if question.kind == Question.Kind.SINGLE:
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": "请选择一项。", "invalid_choice": INVALID_CHOICE},
            **common,
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "请至少选择一项。",
                "invalid_choice": INVALID_CHOICE,
                "invalid_list": INVALID_CHOICE,
            },
            **common,
        )
    return forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写这一题。",
            "max_length": f"最多 {TEXT_MAX} 个字，现在是 %(show_value)d 个字。",
        },
        **common,
    )


class AnswerForm(CleanedTextMixin, forms.Form):
    """`AnswerForm(questions, data)`: one field per question (`q<id>`), in the questions' order; the questions'
    options prefetched (Survey.questions.prefetch_related("choices"))."""

    bound_field_class = DescribedBoundField
    described_by = {}
    error_list = LetterForm.error_list

    # The honeypot: hidden from people (CSS and aria-hidden), filled by form-filling robots.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, questions, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[field_name(question)] = answer_field(question, number)

    def clean(self):
        data = super().clean()
        for question in self.questions:
            picked = data.get(field_name(question))
            if question.kind == Question.Kind.MULTIPLE and question.max_choices and picked:
                if len(picked) > question.max_choices:
                    self.add_error(
                        field_name(question), f"最多选择 {question.max_choices} 项，您选了 {len(picked)} 项。"
                    )
        return data

    @property
    def is_robot(self):
        return bool(self.data.get("website"))

    def items(self):
        """[(question, bound field)] for the template."""
        return [(question, self[field_name(question)]) for question in self.questions]

    def answers(self):
        """[(question, [choice ids], text)] of what was answered (blank optional questions left out)."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if not value:
                continue
            if question.kind == Question.Kind.TEXT:
                rows.append((question, [], value))
            else:
                rows.append((question, [int(pk) for pk in ([value] if isinstance(value, str) else value)], ""))
        return rows
