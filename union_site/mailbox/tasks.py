"""Background tasks of the mailbox (django-tasks, run by `manage.py db_worker`)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def notify_handlers(letter_id):
    """E-mail the handling staff about a new letter (union_site/mailbox/notifications.py)."""
    from union_site.mailbox.models import Letter
    from union_site.mailbox.notifications import notify_new_letter

    letter = Letter.objects.filter(pk=letter_id).first()
    return notify_new_letter(letter) if letter else 0


def enqueue_notification(letter_id):
    """Queue the notice; True when queued. A refused enqueue is logged and the letter stays: it is in the admin's
    list and counted on the dashboard either way."""
    try:
        notify_handlers.enqueue(letter_id)
    except Exception:
        logger.exception("新来信通知未能排队：来信 %s", letter_id)
        return False
    return True
