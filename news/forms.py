"""Forms for the admin: the article body is written in CKEditor 5 (config "news" in settings)."""

from django import forms
from django_ckeditor_5.widgets import CKEditor5Widget

from news.models import Article


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here rather than in Meta.widgets, so that a subclass with a Meta of its own keeps the editor.
        if "body" in self.fields:  # absent when the admin shows the body read-only
            self.fields["body"].widget = CKEditor5Widget(config_name="news")
