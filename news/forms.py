"""The article form of the admin, for the change page and for restoring an old version alike: the body in CKEditor 5
(config "news" in settings), the edit-conflict check, and the editorial workflow (news/workflow.py) for the person
saving: the statuses offered are the ones they may move the article to, and saving moves it with `workflow.move()`.
Saving it as 已发布 passes the content checks first (union_site/checks/gate.py: 禁用 words, personal data)."""

from types import SimpleNamespace

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from news import adoption, workflow
from news.attachments import prepare_upload, save_with_file
from news.models import Article, Attachment
from news.uploads import take_pasted_images
from union_site.checks.gate import ContentCheckFormMixin
from union_site.common.concurrency import EditConflictMixin
from union_site.common.file_types import ACCEPT, ALLOWED, limit_label, name_stem
from union_site.common.forms import name_every_input


class ArticleBodyWidget(CKEditor5Widget):
    """The body's editor (config "news"): the public site's body styles inside it (css/article_body.css), 字数 instead
    of CKEditor's word count, and the alt text asked for on every picture (news/static/news/article_editor.js)."""

    def __init__(self, attrs=None):
        super().__init__(config_name="news", attrs=attrs)

    class Media:
        css = {"all": ["css/article_body.css", "news/article_editor.css"]}
        js = ["news/article_editor.js"]


PUBLISH_AT_HELP = _("留空即在发布的那一刻自动填入；设为将来的时间即定时发布，到点自动出现在网站上。")


class ArticleAdminForm(ContentCheckFormMixin, EditConflictMixin):
    user = None  # who is saving: ArticleAdmin.get_form sets it on the form class it makes for each request

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:  # absent when the admin shows the body read-only
            self.fields["body"].widget = ArticleBodyWidget()
        if "publish_at" in self.fields:
            self.fields["publish_at"].help_text = PUBLISH_AT_HELP
        if "adoption" in self.fields:  # a post without it (an older page, a script) leaves it as it is
            self.fields["adoption"].required = False
        name_every_input(self)
        # The article as it is now, not as the form shows it: restoring an old version starts from the current row.
        self.current = Article.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        self.from_status = self.current.status if self.current else Article.Status.DRAFT
        if "status" in self.fields:
            offered = workflow.status_choices(self.user, self.from_status)
            self.fields["status"].widget.choices = offered  # offered; clean() says why any other is refused
            if self.initial.get("status") not in dict(offered):  # an old version's status this person cannot give
                self.initial["status"] = self.from_status

    def clean(self):
        cleaned = super().clean()
        self.check_adoption(cleaned)
        if cleaned.get("status"):
            try:
                workflow.check(self.from_status, cleaned["status"], self.user)
            except workflow.NotAllowed as refusal:
                self.add_error("status", str(refusal))
        self.check_content(publishing=cleaned.get("status", self.from_status) == Article.Status.PUBLISHED)
        body = cleaned.get("body", self.instance.body) if "body" in self.fields else self.instance.body
        refusal = workflow.missing_alt_refusal(body, self.from_status, cleaned.get("status", self.from_status))
        if refusal:
            self.add_error("body" if "body" in self.fields else None, refusal)
        return cleaned

    def clean_adoption(self):
        current = self.current.adoption if self.current else adoption.Adoption.PENDING
        return self.cleaned_data.get("adoption") or current

    def check_adoption(self, cleaned):
        """采用 (news/adoption.py) as this save would leave it, for a reviewer setting it: 退回 sends an item 待审核
        back to 草稿 (the workflow's 退回草稿, checked below like any status change)."""
        if "adoption" not in self.fields:
            return
        start = self.current or self.instance
        names = ["contributing_unit_id", *adoption.REVIEWER_FIELDS, *adoption.WORKFLOW_FIELDS]
        article = SimpleNamespace(**{name: getattr(start, name) for name in names})
        for name in adoption.REVIEWER_FIELDS:
            if name in cleaned:
                setattr(article, name, cleaned[name])
        if "contributing_unit" in cleaned:
            article.contributing_unit_id = getattr(cleaned["contributing_unit"], "pk", None)
        status = cleaned.get("status", self.from_status)
        if article.adoption == adoption.Adoption.RETURNED and status == Article.Status.REVIEW:
            cleaned["status"] = Article.Status.DRAFT
        for name, message in adoption.problems(article, publishing=status == Article.Status.PUBLISHED).items():
            self.add_error(name if name in self.fields else None, message)

    def clean_body(self):
        """Pictures pasted as data: URLs become uploads (checked now, written when the save commits); one that cannot
        be used refuses the save, naming it."""
        self.pasted = take_pasted_images(self.cleaned_data.get("body") or "")
        return self.pasted.body

    def chosen_publish_at(self):
        """The publishing time chosen in this form: changed here, or still to come (a schedule set earlier). None
        otherwise, and publishing then sets it to now, as 立即发布 does."""
        value = self.cleaned_data.get("publish_at")
        if "publish_at" not in self.fields or value is None:
            return None
        shown = self.get_initial_for_field(self.fields["publish_at"], "publish_at")
        if value > timezone.now() or shown is None or value != shown.replace(microsecond=0):  # shown to the second
            return value
        return None

    def save(self, commit=True):
        article = super().save(commit=False)
        if self.current is not None:
            # What this person cannot set stays as it is now, also when they restore an old version.
            kept = workflow.WORKFLOW_FIELDS + [name for name in workflow.REVIEWER_FIELDS if name not in self.fields]
            for name in kept:
                setattr(article, name, getattr(self.current, name))
        if "status" in self.fields:
            workflow.move(
                article,
                self.cleaned_data["status"],
                self.user,
                from_status=self.from_status,
                publish_at=self.chosen_publish_at(),
            )
        if hasattr(self, "pasted"):
            self.pasted.store_on_commit()
        if commit:
            article.save()
            self._save_m2m()
        return article


class AttachmentFileInput(forms.ClearableFileInput):
    """The file of an attachment row: the stored one is named as visitors download it and linked to the download
    (the storage's own address is never shown); choosing another replaces it. No 清除 box: a row goes with 删除."""

    template_name = "news/widgets/attachment_file.html"

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPT, **(attrs or {})})


class AttachmentForm(forms.ModelForm):
    """One row of an article's 附件 (the admin's inline). A chosen file is checked by its content as soon as the
    form is validated (news/attachments.py prepare_upload) and a refusal is shown on its row, in Chinese; the file is
    written, under a generated name, only when the row itself is saved."""

    class Meta:
        model = Attachment
        fields = ["file", "title", "order"]
        widgets = {"file": AttachmentFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:  # absent when the row is shown read-only
            self.fields["file"].help_text = _("%(allowed)s，每个不超过 %(limit)s，按文件内容识别格式。") % {
                "allowed": ALLOWED,
                "limit": limit_label(),
            }
        name_every_input(self, every_field=True)  # a tabular row: its only label is the column's header
        self.prepared = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):  # the file stored before, unchanged
            return upload
        self.prepared = prepare_upload(upload.name, upload)
        return self.prepared.content

    def clean(self):
        cleaned = super().clean()
        if self.prepared is not None:
            self.instance.kind = self.prepared.file_type.key
            self.instance.original_name = self.prepared.original_name
            self.instance.size = self.prepared.size
        if not cleaned.get("title") and (self.prepared or self.instance.original_name):
            cleaned["title"] = name_stem(self.prepared.original_name if self.prepared else self.instance.original_name)
        return cleaned

    def save(self, commit=True):
        attachment = super().save(commit=False)
        if commit:
            save_with_file(attachment)
        return attachment
