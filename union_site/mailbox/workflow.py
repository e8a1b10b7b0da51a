"""The handling of a letter as one table: each step, the statuses it starts from, who may take it, and what it needs
and changes. The admin's buttons (union_site/mailbox/admin.py) all go through `take()`, which checks the table,
changes the letter and writes a LetterStep (who, when, from → to, note): the letter's history.

    受理        待受理 → 已受理                 办理 (mailbox.handle_letter)    stamps 受理时间
    转办        已受理、转办 → 转办             办理                            needs a 承办部门
    答复        已受理、转办 → 已答复           办理                            needs the 答复内容; 答复人/时间
    审核通过    已答复 (not yet reviewed)       审核 (mailbox.review_letter)    the reply reaches the visitor
    退回答复    已受理/转办 ← 已答复 (unreviewed) 审核                          needs a note: what to change
    办结        已答复 → 已办结                 办理                            the reply reviewed (if reviews are on)
    不予受理    待受理、已受理 → 不予受理       办理                            needs the reason (the visitor sees it)
    公开        已答复、已办结                  公开 (mailbox.publish_letter)   the writer agreed; the reply visible;
                                                                                fills 公开标题/内容, masked, if blank
    撤回公开    公开的来信                      公开

The review of replies (审核通过) is on by default (MAILBOX_REPLY_REVIEW): as with news, what the public and the
writer read has been seen by a reviewer. With it off, 答复 reaches the visitor at once and 审核通过 is not offered."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_site.mailbox.models import Letter, LetterStep

Status = Letter.Status
HANDLE, REVIEW, PUBLISH = "mailbox.handle_letter", "mailbox.review_letter", "mailbox.publish_letter"
WHO = {HANDLE: _("信箱办理人员"), REVIEW: _("审核人员"), PUBLISH: _("审核人员")}


class NotAllowed(Exception):
    """A step the table does not have for this letter, or not for this person, or without what it needs."""


def _accept(letter, user, now):
    letter.accepted_at = now


def _reply(letter, user, now):
    letter.replied_at, letter.replied_by = now, user
    letter.reply_reviewed_at = letter.reply_reviewed_by = None


def _approve(letter, user, now):
    letter.reply_reviewed_at, letter.reply_reviewed_by = now, user


def _send_back(letter, user, now):
    letter.status = Status.FORWARDED if letter.department_id else Status.ACCEPTED
    letter.replied_at = letter.replied_by = None


def _close(letter, user, now):
    letter.closed_at = now


def _publish(letter, user, now):
    letter.is_published, letter.published_at = True, now
    letter.public_title = letter.public_title or letter.masked(letter.title)
    letter.public_content = letter.public_content or letter.masked(letter.content)


def _unpublish(letter, user, now):
    letter.is_published = False


def _needs_department(letter):
    return None if letter.department_id else _("转办前请选择承办部门。")


def _needs_reply(letter):
    return None if letter.reply.strip() else _("请先填写答复内容。")


def _needs_reason(letter):
    return None if letter.reject_reason.strip() else _("不予受理须填写理由。")


def _not_reviewed(letter):
    return None if letter.reply_reviewed_at is None else _("这份答复已审核通过。")


def _reviews_on(letter):
    return None if settings.MAILBOX_REPLY_REVIEW else _("本站未开启答复审核。")


def _reply_visible(letter):
    return None if letter.reply_visible else _("答复须先审核通过。")


def _may_publish(letter):
    if not letter.may_publish:
        return _("来信人未同意公开，不能公开。")
    return _reply_visible(letter)


def _is_published(letter):
    return None if letter.is_published else _("这封来信没有公开。")


def _not_published(letter):
    return None if not letter.is_published else _("这封来信已经公开。")


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    sources: tuple
    target: str | None  # None: the status stays
    permission: str
    needs: tuple = ()
    effect: object = None
    note_required: bool = False

    def problems(self, letter):
        return [message for need in self.needs if (message := need(letter))]


STEPS = [
    Step("accept", _("受理"), (Status.RECEIVED,), Status.ACCEPTED, HANDLE, effect=_accept),
    Step("forward", _("转办"), (Status.ACCEPTED, Status.FORWARDED), Status.FORWARDED, HANDLE, (_needs_department,)),
    Step("reply", _("答复"), (Status.ACCEPTED, Status.FORWARDED), Status.REPLIED, HANDLE, (_needs_reply,), _reply),
    Step("approve", _("审核通过"), (Status.REPLIED,), None, REVIEW, (_reviews_on, _not_reviewed), _approve),
    Step(
        "send_back",
        _("退回答复"),
        (Status.REPLIED,),
        None,
        REVIEW,
        (_reviews_on, _not_reviewed),
        _send_back,
        note_required=True,
    ),
    Step("close", _("办结"), (Status.REPLIED,), Status.CLOSED, HANDLE, (_reply_visible,), _close),
    Step("reject", _("不予受理"), (Status.RECEIVED, Status.ACCEPTED), Status.REJECTED, HANDLE, (_needs_reason,)),
    Step("publish", _("公开"), Letter.ANSWERED, None, PUBLISH, (_not_published, _may_publish), _publish),
    Step("unpublish", _("撤回公开"), Letter.ANSWERED, None, PUBLISH, (_is_published,), _unpublish),
]
BY_KEY = {step.key: step for step in STEPS}


def check(letter, key, user, note=""):
    """The step `key` if `user` may take it on `letter` (as it stands, unsaved edits included); else NotAllowed."""
    step = BY_KEY.get(key)
    if step is None:
        raise NotAllowed(_("没有这项操作。"))
    if letter.status not in step.sources:
        raise NotAllowed(
            _("“%(status)s”的来信不能“%(name)s”。") % {"status": letter.get_status_display(), "name": step.name}
        )
    if user is None or not user.has_perm(step.permission):
        raise NotAllowed(
            _("“%(name)s”须由%(who)s操作，您没有这项权限。") % {"name": step.name, "who": WHO[step.permission]}
        )
    problems = step.problems(letter)
    if step.note_required and not note.strip():
        problems.append(_("请在“办理说明”里写明退回的原因。"))
    if problems:
        raise NotAllowed(" ".join(str(p) for p in problems))
    return step


def available(letter, user):
    """The steps offered to `user` for `letter` now (its buttons), whether or not what they need is filled in yet."""
    steps = []
    for step in STEPS:
        if letter.status not in step.sources or not user.has_perm(step.permission):
            continue
        if step.key in {"approve", "send_back"} and (_reviews_on(letter) or _not_reviewed(letter)):
            continue
        if step.key == "publish" and (letter.is_published or not letter.may_publish):
            continue
        if step.key == "unpublish" and not letter.is_published:
            continue
        steps.append(step)
    return steps


def take(letter, key, user, note=""):
    """Checks and takes the step: changes `letter`, saves it and records the step. Returns the LetterStep."""
    step = check(letter, key, user, note)
    now = timezone.now()
    from_status = letter.status
    if step.target:
        letter.status = step.target
    if step.effect:
        step.effect(letter, user, now)
    letter.save()
    if key == "reject" and not note:
        note = letter.reject_reason
    if key == "forward" and not note:
        note = str(letter.department)
    return LetterStep.objects.create(
        letter=letter,
        action=str(step.name),
        from_status=from_status,
        to_status=letter.status,
        by=user,
        by_name=user.get_username(),
        at=now,
        note=note,
    )
