"""The article form of the admin, for the change page and for restoring an old version alike: the body in CKEditor 5
(config "news" in settings), the edit-conflict check, and the editorial workflow (news/workflow.py) for the person
saving: the statuses offered are the ones they may move the article to, and saving moves it with `workflow.move()`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from news import workflow
from news.models import Article
from news.uploads import take_pasted_images
from union_site.common.concurrency import EditConflictMixin

PUBLISH_AT_HELP = _("设为将来的时间即定时发布，到点自动出现在网站上。发布时不改动这个时间，发布时间即为保存的那一刻。")


class ArticleAdminForm(EditConflictMixin):
    user = None  # who is saving: ArticleAdmin.get_form sets it on the form class it makes for each request

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:  # absent when the admin shows the body read-only
            self.fields["body"].widget = CKEditor5Widget(config_name="news")
        if "publish_at" in self.fields:
            self.fields["publish_at"].help_text = PUBLISH_AT_HELP
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
        if cleaned.get("status"):
            try:
                workflow.check(self.from_status, cleaned["status"], self.user)
            except workflow.NotAllowed as refusal:
                self.add_error("status", str(refusal))
        return cleaned

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
