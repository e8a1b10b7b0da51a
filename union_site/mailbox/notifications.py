"""The e-mail to the handling staff about a new letter: plain text (nothing a visitor typed can become markup), and
only the title and type of the letter, not the writer's name or phone: those are read in the admin, behind a login."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from union_site.mailbox.workflow import HANDLE


def handler_addresses():
    """The e-mail addresses of the active staff who may handle letters (through a group, their own rights, or as
    superusers)."""
    app_label, codename = HANDLE.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    users = users.filter(Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission))
    return sorted(set(users.values_list("email", flat=True)))


def notify_new_letter(letter):
    """Sends the notice; returns how many addresses it went to."""
    recipients = handler_addresses()
    if not recipients:
        return 0
    link = settings.MAILBOX_ADMIN_BASE_URL.rstrip("/") + reverse("admin:mailbox_letter_change", args=[letter.pk])
    body = "\n".join(
        [
            "主席信箱收到一封新来信，请及时受理。",
            "",
            f"类型：{letter.get_letter_type_display()}",
            f"标题：{letter.title}",
            f"收信时间：{letter.received_at:%Y-%m-%d %H:%M}",
            f"答复期限：{letter.due_on:%Y-%m-%d}",
            "",
            f"办理：{link}",
        ]
    )
    subject = f"【主席信箱】新来信（{letter.get_letter_type_display()}）"
    send_mail(subject, body, None, recipients)
    return len(recipients)
