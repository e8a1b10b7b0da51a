"""The editorial workflow as one table: the status changes an article may go through, who may make each one, and
what else each one changes. The article form (news/forms.py: the change page and history restore) and the bulk
actions (news/admin.py) all move an article with `move()`, so a change is allowed, or refused, alike on every path and
has the same outcome on each.

    提交审核    草稿 → 待审核             editors (news.change_article)     stamps 提交审核时间 the first time;
                                                                          a 来稿 退回 before is 待处理 again
    退回草稿    待审核 → 草稿             editors (an editor's recall; a reviewer's 驳回 with a 审核意见)
    发布        草稿、待审核 → 已发布      reviewers (news.publish_article)  发布时间 = the chosen time, else now;
                                                                          clears the 审核意见
    撤下        已发布 → 已归档           reviewers
    重新编辑    已发布、已归档 → 草稿      reviewers

Two rules the paths used to disagree on, now one each:
- Publishing clears the 审核意见, in the form as in 立即发布: it is the reason for a 驳回, and a published article has
  been accepted.
- An archived article never goes back to 待审核 (nor does a published one): only drafts are submitted. A reviewer
  reopens it as a draft (重新编辑), from where it follows the usual path.
And publishing takes the time chosen in the form (changed there, or a later time set before: a schedule); with none
(立即发布, or the form's 发布时间 left as it was) the article is published now, not at the time it was created.

A 来稿 (an article with a 来稿单位) published is 采用 for 官网: news/adoption.py, on every save of a published one.

Saving without changing the status is not a transition: whoever may change the article edits it (editors only drafts
and articles waiting for review, see `editor_may_change`). Pinning and the headline are fields reviewers set."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news import adoption
from news.models import Article
from union_site.common.alt_text import undescribed_message, undescribed_pictures

Status = Article.Status
CHANGE_PERMISSION = "news.change_article"
PUBLISH_PERMISSION = "news.publish_article"
WHO = {CHANGE_PERMISSION: _("编辑"), PUBLISH_PERMISSION: _("审核人员")}
# Fields an editor sees but cannot set.
REVIEWER_FIELDS = [
    "publish_at",
    "unpublish_at",
    "is_pinned",
    "is_headline",
    "review_comment",
    *adoption.REVIEWER_FIELDS,
]
# Set by the transitions only, never typed in a form (nor brought back by restoring an old version).
WORKFLOW_FIELDS = ["submitted_at", *adoption.WORKFLOW_FIELDS]
EDITOR_STATUSES = [Status.DRAFT, Status.REVIEW]


class NotAllowed(Exception):
    """A status change the table does not have, or not for this person; the message says which, in Chinese."""


def stamp_submitted_at(article, publish_at):
    """The first submission counts: the review-time report measures from it."""
    if article.submitted_at is None:
        article.submitted_at = timezone.now()


def set_publish_at(article, publish_at):
    """The time the reviewer chose (a later one schedules the article), else now."""
    article.publish_at = publish_at or timezone.now()


def clear_review_comment(article, publish_at):
    article.review_comment = ""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str
    permission: str
    effects: tuple = ()

    def apply(self, article, publish_at=None):
        article.status = self.target
        for effect in self.effects:
            effect(article, publish_at)


TRANSITIONS = [
    Transition(_("提交审核"), (Status.DRAFT,), Status.REVIEW, CHANGE_PERMISSION, (stamp_submitted_at, adoption.reopen)),
    Transition(_("退回草稿"), (Status.REVIEW,), Status.DRAFT, CHANGE_PERMISSION),
    Transition(
        _("发布"),
        (Status.DRAFT, Status.REVIEW),
        Status.PUBLISHED,
        PUBLISH_PERMISSION,
        (set_publish_at, clear_review_comment),
    ),
    Transition(_("撤下"), (Status.PUBLISHED,), Status.ARCHIVED, PUBLISH_PERMISSION),
    Transition(_("重新编辑"), (Status.PUBLISHED, Status.ARCHIVED), Status.DRAFT, PUBLISH_PERMISSION),
]
BY_STATUSES = {(source, t.target): t for t in TRANSITIONS for source in t.sources}


def may(user, permission):
    return user is not None and user.has_perm(permission)


def can_publish(user):
    return may(user, PUBLISH_PERMISSION)


def check(from_status, to_status, user):
    """The transition from → to if `user` may make it; None when the status stays; NotAllowed otherwise."""
    if from_status == to_status:
        return None
    transition = BY_STATUSES.get((from_status, to_status))
    if transition is None:
        raise NotAllowed(
            _("稿件不能从“%(from)s”改为“%(to)s”。") % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    if not may(user, transition.permission):
        raise NotAllowed(
            _("“%(name)s”须由%(who)s操作，您没有这项权限。")
            % {"name": transition.name, "who": WHO[transition.permission]}
        )
    return transition


def move(article, to_status, user, *, from_status=None, publish_at=None):
    """Moves `article` (unsaved) to `to_status` as `user` would: checks the table, then applies the side effects.
    `from_status`: the status the article has now, when `article` shows another (a form's instance, an old version).
    `publish_at`: the time chosen for publishing, if any. Returns the transition made (None if the status stays)."""
    transition = check(article.status if from_status is None else from_status, to_status, user)
    if transition is not None:
        transition.apply(article, publish_at)
    return transition


def missing_alt_refusal(body, from_status, to_status):
    """Submitting or publishing needs alt text on every picture of the body (the albums' rule); articles already
    waiting or public are not blocked by it (pictures added to them later, like photos added to a shown album).
    The message, or ""."""
    if to_status == from_status or to_status not in (Status.REVIEW, Status.PUBLISHED):
        return ""
    numbers = undescribed_pictures(body)
    if not numbers:
        return ""
    return undescribed_message(numbers, "提交审核" if to_status == Status.REVIEW else "发布")


def status_choices(user, from_status):
    """The statuses `user` may give an article that is `from_status` now: its own, and those the table allows."""
    return [(value, label) for value, label in Status.choices if allowed(from_status, value, user)]


def allowed(from_status, to_status, user):
    try:
        check(from_status, to_status, user)
    except NotAllowed:
        return False
    return True


def editor_may_change(user, article):
    """Published and archived articles are the reviewers' to change: an editor's edit would go live unreviewed."""
    return can_publish(user) or article is None or article.status in EDITOR_STATUSES


def waiting_for_review():
    return Article.objects.filter(status=Status.REVIEW)
