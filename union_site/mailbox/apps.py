from django.apps import AppConfig


class MailboxConfig(AppConfig):
    """主席信箱: letters from the public (咨询、投诉、建议、求助), their handling in the admin, and the published,
    masked answers at /mailbox/."""

    name = "union_site.mailbox"
    label = "mailbox"
    verbose_name = "主席信箱"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_init, post_save

        from union_site.common import generation
        from union_site.mailbox.models import Department, Letter

        # The public list and pages show published letters and their departments: a change ends the cached pages.
        # Only a letter that is or was public: a visitor sending one (or staff handling it) must not end every
        # cached page of the site, or a busy mailbox would keep the whole site uncached.
        generation.watch(Department)
        post_init.connect(_remember_public, sender=Letter, dispatch_uid="mailbox.remember_public")
        post_save.connect(_public_changed, sender=Letter, dispatch_uid="mailbox.public_changed")
        post_delete.connect(_public_changed, sender=Letter, dispatch_uid="mailbox.public_deleted")


def _remember_public(sender, instance, **kwargs):
    instance._was_public = instance.is_published


def _public_changed(sender, instance, **kwargs):
    from union_site.common import generation

    if instance.is_published or getattr(instance, "_was_public", False):
        generation.bump()
    instance._was_public = instance.is_published
