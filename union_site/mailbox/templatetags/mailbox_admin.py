"""The admin index's 主席信箱 box: counts of the letters waiting for whoever is looking, and links to them."""

from django import template
from django.urls import reverse

from union_site.mailbox import workflow
from union_site.mailbox.models import Letter

register = template.Library()


@register.simple_tag(takes_context=True)
def mailbox_dashboard(context):
    """[(label, count, url, css key)] for the signed-in user: handlers see what waits for handling and the due
    dates, reviewers the replies waiting for review and the letters ready to publish. Empty for anyone else."""
    user = context["request"].user
    url = reverse("admin:mailbox_letter_changelist")
    rows = []
    letters = Letter.objects.all()
    if user.has_perm(workflow.HANDLE):
        rows += [
            ("待受理", letters.filter(status=Letter.Status.RECEIVED).count(), f"{url}?status__exact=received", ""),
            ("办理中", letters.filter(status__in=[Letter.Status.ACCEPTED, Letter.Status.FORWARDED]).count(), url, ""),
            ("即将到期", letters.due_soon().count(), f"{url}?urgency=soon", "soon"),
            ("已超期", letters.overdue().count(), f"{url}?urgency=overdue", "overdue"),
            ("超过90天未答复", letters.stale().count(), f"{url}?urgency=stale", "stale"),
        ]
    if user.has_perm(workflow.REVIEW):
        rows.append(("答复待审核", letters.waiting_review().count(), f"{url}?status__exact=replied", ""))
    if user.has_perm(workflow.PUBLISH):
        ready = letters.filter(status__in=Letter.ANSWERED, may_publish=True, is_published=False)
        ready = ready.exclude(reply="")
        rows.append(("同意公开、尚未公开", ready.count(), f"{url}?is_published__exact=0", ""))
    return rows
