"""The editorial workflow: who may move an article to which status, and which fields only reviewers set.

draft → review (editor submits) → published (reviewer) or back to draft with a comment (驳回) → archived (撤下).
Editors write and submit; only holders of news.publish_article (审核, superusers) publish, schedule, pin, mark the
headline or withdraw. The admin builds its form from these rules, so a crafted POST cannot get around them."""

from news.models import Article

Status = Article.Status
PUBLISH_PERMISSION = "news.publish_article"
# Fields an editor sees but cannot set.
REVIEWER_FIELDS = ["publish_at", "unpublish_at", "is_pinned", "is_headline", "review_comment"]
EDITOR_STATUSES = [Status.DRAFT, Status.REVIEW]


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def status_choices_for(user):
    if can_publish(user):
        return list(Status.choices)
    return [(value, label) for value, label in Status.choices if value in EDITOR_STATUSES]


def editor_may_change(user, article):
    """Published and archived articles are the reviewers' to change: an editor's edit would go live unreviewed."""
    return can_publish(user) or article is None or article.status in EDITOR_STATUSES


def waiting_for_review():
    return Article.objects.filter(status=Status.REVIEW)
